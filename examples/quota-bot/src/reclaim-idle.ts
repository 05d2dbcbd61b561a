import { type BotContext, type CheckReport, describeError, emptyReport } from './bot-context.js';
import { findIdleEnclaves, type IdleFinding } from './idle-enclaves.js';
import type { IdleNotice } from './notice.js';
import type { ParsedQuotaBotPolicy } from './quota-bot-options.js';

type IdlePolicy = NonNullable<ParsedQuotaBotPolicy['idle']>;
const HOUR_MS = 3_600_000;

/**
 * Apply the idle policy (see {@link findIdleEnclaves} for what is idle). With `action: 'release'`:
 * an idle enclave is destroyed; idle nodes of a busy enclave are shrunk away when shrink would pick
 * exactly them, the others only warned about. With `action: 'warn'`: each idle spell is told once.
 * Every destroy and shrink runs under the bot's principal, so the audit log names the bot.
 */
export async function reclaimIdleEnclaves(context: BotContext, idle: IdlePolicy): Promise<CheckReport> {
  const { exchange, memory, now } = context;
  const report = emptyReport();
  const rules = {
    afterMs: Math.round(idle.after * HOUR_MS),
    ignoreMetrics: idle.ignoreMetrics,
    minNodes: idle.minNodes,
  };
  const findings = await findIdleEnclaves(exchange, rules, now());
  const idleKeys = new Set(
    findings.flatMap((finding) =>
      finding.scope === 'enclave'
        ? [`idle:${finding.enclave.id}`]
        : finding.nodes.map((node) => `idle:${finding.enclave.id}/${node}`),
    ),
  );
  for (const enclave of await exchange.enclaves.list()) {
    // Busy again: the next idle spell is news again.
    if (!idleKeys.has(`idle:${enclave.id}`)) memory.observe(`idle:${enclave.id}`, 'ok');
    for (const node of enclave.nodes)
      if (!idleKeys.has(`idle:${enclave.id}/${node.node}`)) memory.observe(`idle:${enclave.id}/${node.node}`, 'ok');
  }
  for (const finding of findings) await reclaim(context, idle, finding, report);
  return report;
}

async function reclaim(
  context: BotContext,
  idle: IdlePolicy,
  finding: IdleFinding,
  report: CheckReport,
): Promise<void> {
  const { exchange, memory, actor, now, send, fail } = context;
  const { enclave } = finding;
  const base = {
    kind: 'idle' as const,
    project: enclave.project,
    enclave: enclave.id,
    scope: finding.scope,
    lastActivity: finding.lastActivity.toISOString(),
  };
  const warnNews = async (nodes: string[]): Promise<void> => {
    const news =
      finding.scope === 'enclave'
        ? memory.observe(`idle:${enclave.id}`, 'over')
          ? nodes
          : []
        : nodes.filter((node) => memory.observe(`idle:${enclave.id}/${node}`, 'over'));
    if (news.length > 0)
      await send({ ...base, action: 'warned', nodes: news, time: now().toISOString() } satisfies IdleNotice, report);
  };
  if (idle.action === 'warn') return warnNews(finding.nodes);
  try {
    if (finding.scope === 'enclave') {
      const after = await exchange.enclaves.destroy(enclave.id, { actor });
      const stuck = after.nodes.filter((node) => node.state !== 'released').map((node) => node.node);
      if (after.status === 'released') {
        memory.forget(`idle:${enclave.id}`);
        await send({ ...base, action: 'destroyed', nodes: finding.nodes, time: now().toISOString() }, report);
      } else {
        const error = `enclave is ${after.status}; nodes not yet released: ${stuck.join(', ')} (exchange.enclaves.resume() finishes them)`;
        await send({ ...base, action: 'failed', nodes: stuck, error, time: now().toISOString() }, report, 'failure');
      }
      return;
    }
    const released = finding.nodes.slice(0, finding.shrinkable);
    if (released.length > 0) {
      await exchange.enclaves.shrink(enclave.id, released.length, { actor });
      for (const node of released) memory.forget(`idle:${enclave.id}/${node}`);
      await send({ ...base, action: 'shrunk', nodes: released, time: now().toISOString() }, report);
    }
    // Idle nodes behind a busy one (or kept by minNodes) cannot be shrunk away safely: warn instead.
    await warnNews(finding.nodes.slice(finding.shrinkable));
  } catch (error) {
    fail(report, `reclaiming enclave ${enclave.id}`, error);
    await send(
      { ...base, action: 'failed', nodes: finding.nodes, error: describeError(error), time: now().toISOString() },
      report,
      'failure',
    );
  }
}
