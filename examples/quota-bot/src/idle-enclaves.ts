import type { EnclaveView, Exchange } from '@ocx/core';

/** What the idle rules found in one enclave. */
export interface IdleFinding {
  enclave: EnclaveView;
  /** `enclave`: the project had no activity at all for the idle period; `nodes`: only some nodes had none. */
  scope: 'enclave' | 'nodes';
  /** Idle joined nodes, in the order `exchange.enclaves.shrink` releases nodes (latest joined first). */
  nodes: string[];
  /**
   * How many of `nodes` a shrink may release without touching a busy node or going below
   * `minNodes`: shrink picks the most recently joined nodes and cannot be told which, so only a
   * leading run of idle nodes in that order is safe to shrink.
   */
  shrinkable: number;
  /** The latest activity seen for the scope. */
  lastActivity: Date;
}

/** The idle rules' inputs. */
export interface IdleRules {
  /** Milliseconds without activity after which something is idle. */
  afterMs: number;
  ignoreMetrics: readonly string[];
  minNodes: number;
}

/**
 * Apply the idle rules to every live (`ready` or `degraded`) enclave with joined nodes:
 *
 * - Activity is a usage record of the project of any metric not in `ignoreMetrics`; its time is
 *   the end of its window. A node's state change and the enclave's creation count as activity too,
 *   so a fresh or just-grown enclave is never idle.
 * - The whole enclave is idle when the latest activity of its project is at least `afterMs` old.
 * - Otherwise a joined node is idle when the latest usage record naming it as resource (and its
 *   join) is at least `afterMs` old.
 */
export async function findIdleEnclaves(exchange: Exchange, rules: IdleRules, now: Date): Promise<IdleFinding[]> {
  const cutoff = now.getTime() - rules.afterMs;
  const ignored = new Set(rules.ignoreMetrics);
  const findings: IdleFinding[] = [];
  for (const enclave of await exchange.enclaves.list()) {
    if (enclave.status !== 'ready' && enclave.status !== 'degraded') continue;
    const joined = enclave.nodes
      .filter((node) => node.state === 'joined')
      .sort((a, b) => b.since.localeCompare(a.since) || b.node.localeCompare(a.node));
    if (joined.length === 0) continue;
    let projectActivity = Math.max(
      Date.parse(enclave.createdAt),
      ...enclave.nodes.map((node) => Date.parse(node.since)),
    );
    const nodeActivity = new Map<string, number>();
    for await (const record of exchange.usage.query({ project: enclave.project })) {
      if (ignored.has(record.metric)) continue;
      const end = Date.parse(record.window.end);
      projectActivity = Math.max(projectActivity, end);
      nodeActivity.set(record.resource.id, Math.max(nodeActivity.get(record.resource.id) ?? 0, end));
    }
    if (projectActivity <= cutoff) {
      findings.push({
        enclave,
        scope: 'enclave',
        nodes: joined.map((node) => node.node),
        shrinkable: 0,
        lastActivity: new Date(projectActivity),
      });
      continue;
    }
    const lastOf = (node: (typeof joined)[number]): number =>
      Math.max(Date.parse(node.since), nodeActivity.get(node.node) ?? 0);
    const idle = joined.filter((node) => lastOf(node) <= cutoff);
    if (idle.length === 0) continue;
    const leadingRun = joined.findIndex((node) => lastOf(node) > cutoff);
    const shrinkable = Math.max(
      0,
      Math.min(leadingRun === -1 ? joined.length : leadingRun, joined.length - rules.minNodes),
    );
    findings.push({
      enclave,
      scope: 'nodes',
      nodes: idle.map((node) => node.node),
      shrinkable,
      lastActivity: new Date(Math.max(...idle.map(lastOf))),
    });
  }
  return findings;
}
