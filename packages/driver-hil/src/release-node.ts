import { type CallOptions, OcxError, type ReleaseResult } from '@ocx/core';
import type { HilNode } from './client/hil-schemas.js';
import { HIL_BACKEND } from './client/hil-transport.js';
import { isHilError, type PoolContext, withObm } from './pool-support.js';

const OPERATION = 'release';

/**
 * Where a node already is, if that ends the release: free, or in the maintenance pool. A node in
 * another project is a conflict; undefined means the node is still the project's to release.
 */
function settled(context: PoolContext, node: HilNode, project: string): ReleaseResult | undefined {
  if (node.project === null) return { pool: 'free' };
  if (
    context.maintenanceProject !== undefined &&
    node.project === context.maintenanceProject &&
    project !== node.project
  ) {
    return { pool: 'maintenance' };
  }
  if (node.project !== project) {
    throw new OcxError({
      code: 'conflict',
      backend: HIL_BACKEND,
      operation: OPERATION,
      fault: 'client',
      message: `${HIL_BACKEND}: release of ${node.name} refused: it belongs to project ${node.project}, not ${project}`,
    });
  }
  return undefined;
}

function attachments(node: HilNode): Array<{ nic: string; network: string }> {
  return node.nics.flatMap((nic) => Object.values(nic.networks).map((network) => ({ nic: nic.label, network })));
}

/** Wait between checks while someone else's action is pending; past the deadline, give up with `error`. */
async function pause(
  context: PoolContext,
  deadline: number,
  error: unknown,
  options: CallOptions | undefined,
): Promise<void> {
  if (context.clock.now().getTime() >= deadline) throw error;
  await context.clock.sleep(context.releasePollMs, options?.signal);
}

/** Detach one network from one NIC; false when it was not this call that detached it (look again). */
async function detachOne(
  context: PoolContext,
  node: string,
  item: { nic: string; network: string },
  deadline: number,
  options: CallOptions | undefined,
): Promise<boolean> {
  try {
    await context.client.networking.detachNetwork({ node, ...item }, options);
    context.progress({ node, step: 'network-detached', ...item });
    return true;
  } catch (error) {
    // Not attached any more: an earlier, interrupted release (or someone else) got there first.
    if (isHilError(error, 'http', 'BadArgumentError')) return false;
    // Another client's action is pending on the NIC: wait for it; the caller reads the node again.
    if (isHilError(error, 'conflict')) {
      await pause(context, deadline, error, options);
      return false;
    }
    throw error;
  }
}

/**
 * Detach every network of the node. When every detach ended DONE the node is known clean; after
 * anything unexpected, read it again and repeat. (detach_node refuses a node that still has a
 * network, so nothing can slip through either way.)
 */
async function detachAll(
  context: PoolContext,
  shown: HilNode,
  deadline: number,
  options: CallOptions | undefined,
): Promise<HilNode> {
  let node = shown;
  for (;;) {
    const pending = attachments(node);
    if (pending.length === 0) return node;
    const byNic = new Map<string, Array<{ nic: string; network: string }>>();
    for (const item of pending) byNic.set(item.nic, [...(byNic.get(item.nic) ?? []), item]);
    // NICs are independent; on one NIC HIL allows one pending action, so its detaches go in turn.
    const outcomes = await Promise.all(
      [...byNic.values()].map(async (items) => {
        let clean = true;
        for (const item of items) clean = (await detachOne(context, node.name, item, deadline, options)) && clean;
        return clean;
      }),
    );
    if (outcomes.every(Boolean)) return { ...node, nics: node.nics.map((nic) => ({ ...nic, networks: {} })) };
    node = await context.client.nodes.show(node.name, options);
  }
}

/**
 * Return a node from a project: power off → detach every network (waiting on each action) → OBM
 * off → detach from the project. Every step first looks at where the node is, so a release that
 * failed half-way (a timeout, a reset, a 500) can simply be called again and finishes the job;
 * a node that is already free (or in the maintenance pool) is a success.
 */
export async function releaseNode(
  context: PoolContext,
  project: string,
  node: string,
  options: CallOptions | undefined,
): Promise<ReleaseResult> {
  const { client } = context;
  const deadline = context.clock.now().getTime() + context.releaseWaitMs;
  let shown = await client.nodes.show(node, options);
  const already = settled(context, shown, project);
  if (already !== undefined) {
    context.obmHints.delete(node);
    return already;
  }

  context.progress({ node, project, step: 'release-started' });
  await withObm(context, node, options, () => client.obm.powerOff(node, options));
  context.progress({ node, project, step: 'release-powered-off' });

  for (;;) {
    shown = await detachAll(context, shown, deadline, options);
    await client.obm.disable(node, options);
    context.obmHints.set(node, false);
    context.progress({ node, project, step: 'release-obm-disabled' });
    try {
      await client.projects.detachNode(project, node, options);
      break;
    } catch (error) {
      // Blocked (an action still pending, a network attached meanwhile): wait, look again, retry.
      if (isHilError(error, 'conflict')) await pause(context, deadline, error, options);
      else if (!isHilError(error, 'not-found')) throw error;
      shown = await client.nodes.show(node, options);
      const now = settled(context, shown, project);
      if (now !== undefined) return now;
      // "Node not in project" while the node still shows the project would be a HIL bug: report it.
      if (isHilError(error, 'not-found')) throw error;
    }
  }
  context.obmHints.delete(node);
  context.progress({ node, project, step: 'released' });
  return { pool: context.maintenanceProject === undefined ? 'free' : 'maintenance' };
}
