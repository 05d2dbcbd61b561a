import { OcxError } from '../errors/ocx-error.js';
import type { EnclaveNodeRecord } from './enclave-types.js';
import { join, quarantine, releaseNode, type WalkContext } from './node-walker.js';

/**
 * Settle a node's unfinished step after a crash by asking the backends what actually happened,
 * so the walk can continue from a true state: a step that took effect is recorded as done, one
 * that did not is cleared to be run again (every step is idempotent).
 */
export async function reconcileNode(context: WalkContext, record: EnclaveNodeRecord): Promise<EnclaveNodeRecord> {
  const { enclave, journal } = context;
  const readNode = () =>
    context.limiter.run(`${enclave.hardware.landlord}/${enclave.hardware.service}`, () =>
      context.hardware.getNode(record.node, { actor: context.actor }),
    );
  const settle = (state: EnclaveNodeRecord['state'], changes: Partial<EnclaveNodeRecord> = {}) =>
    journal.end(record, state, changes, 'reconcile');

  switch (record.pending) {
    case undefined:
      return record;
    case 'allocate': {
      const node = await readNode();
      if (node.project === enclave.project)
        return settle('allocated', { allocations: [...record.allocations, { start: Date.parse(record.since) }] });
      return settle('released', { reason: 'the allocation never reached the pool' });
    }
    case 'airlock': {
      const node = await readNode();
      const networks = Object.values(node.nics.find((nic) => nic.label === record.nic)?.networks ?? {});
      return settle(networks.includes(enclave.networks.airlock) ? 'airlock' : 'allocated');
    }
    case 'provision':
      // Provisioning is idempotent for the same node and image: run it again.
      return settle('airlock');
    case 'enroll': {
      try {
        await context.attestor.status(record.agent as string, { actor: context.actor });
        return settle('attesting');
      } catch (error) {
        if (OcxError.is(error) && error.code === 'not-found') return settle('provisioning');
        throw error;
      }
    }
    case 'join': {
      // A node joins only on a pass the attestor reports now; the move may be half done.
      const verdict = await context.attestor.status(record.agent as string, { actor: context.actor });
      const attesting = await settle('attesting');
      if (verdict.status === 'pass') return join(context, attesting, true);
      if (verdict.status === 'fail') return quarantine(context, attesting, verdict.reason ?? verdict.state);
      return attesting;
    }
    case 'quarantine':
      return quarantine(context, await settle('attesting'), record.reason ?? 'attestation failed');
    case 'release':
      return releaseNode(context, record, record.reason);
  }
}
