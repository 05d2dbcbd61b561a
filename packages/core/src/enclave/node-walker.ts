import { OcxError } from '../errors/ocx-error.js';
import type { Clock } from '../runtime/clock.js';
import type { Principal } from '../runtime/principal.js';
import type { EnclaveNodeState } from '../spec/enclave.js';
import type { Attestor } from '../spec/interfaces/attestor.js';
import type { HardwarePool } from '../spec/interfaces/hardware-pool.js';
import type { Provisioner } from '../spec/interfaces/provisioner.js';
import type { CallOptions } from '../spec/primitives.js';
import { traceOperation } from '../telemetry/operation.js';
import type { EnclaveJournal } from './enclave-journal.js';
import type { EnclaveNodeRecord, EnclaveRecord, ServiceRef } from './enclave-types.js';
import type { BackendLimiter } from './semaphore.js';

/** Everything a node's walk needs: the enclave, its three backends and the journal. */
export interface WalkContext {
  enclave: EnclaveRecord;
  hardware: HardwarePool;
  provisioner: Provisioner;
  attestor: Attestor;
  /** Whether the hardware pool controls power and boot device. */
  power: boolean;
  limiter: BackendLimiter;
  journal: EnclaveJournal;
  clock: Clock;
  actor: Principal;
  signal?: AbortSignal;
  onTransition(node: string, from: EnclaveNodeState, to: EnclaveNodeState, reason?: string): void;
  onAttestationFailed(node: string, agent: string, reason: string): void;
}

const TERMINAL: ReadonlySet<EnclaveNodeState> = new Set(['joined', 'rejected', 'released']);

/** True once a node needs no more steps (until it is released). */
export function isSettled(record: EnclaveNodeRecord): boolean {
  return record.pending === undefined && TERMINAL.has(record.state);
}

/** Call a backend under its concurrency limit, with the walk's signal and actor. */
function call<T>(
  context: WalkContext,
  ref: ServiceRef,
  node: string,
  run: (options: CallOptions) => Promise<T>,
  rollback = false,
): Promise<T> {
  // Roll-back calls run without the (possibly aborted) signal: undoing must not be cancelled.
  const options: CallOptions = rollback ? { actor: context.actor } : { signal: context.signal, actor: context.actor };
  return context.limiter.run(`${ref.landlord}/${ref.service}`, () => run(options), context.limiter.priorityOf(node));
}

function checkAborted(context: WalkContext): void {
  if (context.signal?.aborted)
    throw new OcxError({ code: 'aborted', message: `Enclave ${context.enclave.id} was cancelled`, backend: 'enclave' });
}

async function transition(
  context: WalkContext,
  record: EnclaveNodeRecord,
  to: EnclaveNodeState,
  changes: Partial<EnclaveNodeRecord> = {},
): Promise<EnclaveNodeRecord> {
  const next = await context.journal.end(record, to, changes);
  if (record.state !== to) context.onTransition(record.node, record.state, to, next.reason);
  return next;
}

async function networksOf(context: WalkContext, node: string, nic: string, rollback = false): Promise<string[]> {
  const description = await call(
    context,
    context.enclave.hardware,
    node,
    (options) => context.hardware.getNode(node, options),
    rollback,
  );
  return Object.values(description.nics.find((item) => item.label === nic)?.networks ?? {});
}

/**
 * Walk one node forward until it is joined, rejected (quarantined) or released. Each step is
 * journaled before and after it runs. A node joins the enclave network only after its
 * attestor reported `pass`; a `fail` quarantines it. Throws on a backend fault or abort,
 * leaving the node's record at the last completed step for the caller to roll back.
 */
export async function walkNode(context: WalkContext, start: EnclaveNodeRecord): Promise<EnclaveNodeRecord> {
  const { enclave } = context;
  let record = start;
  while (!isSettled(record)) {
    checkAborted(context);
    await traceOperation(
      'ocx.enclave.step',
      {
        'ocx.enclave': enclave.id,
        'ocx.project': enclave.project,
        'ocx.node': record.node,
        'ocx.enclave.from': record.state,
      },
      () => step(),
    );
  }
  return record;

  /** One step from the node's current state; it leaves `record` at the next state. */
  async function step(): Promise<void> {
    switch (record.state) {
      case 'requested': {
        record = await context.journal.begin(record, 'allocate');
        await call(context, enclave.hardware, record.node, (options) =>
          context.hardware.allocate({ project: enclave.project, node: record.node }, options),
        );
        record = await transition(context, record, 'allocated', {
          allocations: [...record.allocations, { start: context.clock.now().getTime() }],
        });
        break;
      }
      case 'allocated': {
        const description = await call(context, enclave.hardware, record.node, (options) =>
          context.hardware.getNode(record.node, options),
        );
        const nic = description.nics[0]?.label;
        if (nic === undefined)
          throw new OcxError({ code: 'state', message: `Node ${record.node} has no NIC`, backend: 'enclave' });
        const metadataAgent =
          enclave.agentMetadataKey === undefined ? undefined : description.metadata[enclave.agentMetadataKey];
        const agent = typeof metadataAgent === 'string' && metadataAgent.length > 0 ? metadataAgent : record.node;
        record = await context.journal.begin({ ...record, nic, agent }, 'airlock');
        await call(context, enclave.hardware, record.node, (options) =>
          context.hardware.attachNetwork({ node: record.node, nic, network: enclave.networks.airlock }, options),
        );
        record = await transition(context, record, 'airlock');
        break;
      }
      case 'airlock': {
        record = await context.journal.begin(record, 'provision');
        const result = await call(context, enclave.provisioner, record.node, (options) =>
          context.provisioner.provision(
            { project: enclave.project, node: record.node, nic: record.nic as string, image: enclave.image },
            options,
          ),
        );
        if (context.power) {
          await call(context, enclave.hardware, record.node, (options) =>
            context.hardware.setBootDevice({ node: record.node, device: 'pxe' }, options),
          );
          await call(context, enclave.hardware, record.node, (options) =>
            context.hardware.power({ node: record.node, action: 'cycle' }, options),
          );
        }
        record = await transition(context, record, 'provisioning', { disk: result.disk });
        break;
      }
      case 'provisioning': {
        record = await context.journal.begin(record, 'enroll');
        await call(context, enclave.attestor, record.node, (options) =>
          context.attestor.enroll(
            { agent: record.agent as string, node: record.node, policy: enclave.policy },
            options,
          ),
        );
        record = await transition(context, record, 'attesting');
        break;
      }
      case 'attesting': {
        const verdict = await call(context, enclave.attestor, record.node, (options) =>
          context.attestor.waitForVerdict(record.agent as string, {
            ...options,
            maxWaitMs: enclave.attestationTimeoutMs,
          }),
        );
        record =
          verdict.status === 'pass'
            ? await join(context, record)
            : await quarantine(context, record, verdict.reason ?? verdict.state);
        break;
      }
      default:
        throw new OcxError({
          code: 'internal',
          message: `Node ${record.node} cannot walk on from ${record.state}`,
          backend: 'enclave',
        });
    }
  }
}

/**
 * Move an attested node from the airlock to the enclave network. On the normal path the journal
 * says where the node is; after a crash (`verify`) the pool is asked first, since half of the
 * move may already have happened.
 */
export async function join(context: WalkContext, start: EnclaveNodeRecord, verify = false): Promise<EnclaveNodeRecord> {
  const { enclave } = context;
  const record = await context.journal.begin(start, 'join');
  const nic = record.nic as string;
  const attached = verify ? await networksOf(context, record.node, nic) : [enclave.networks.airlock];
  if (attached.includes(enclave.networks.airlock)) {
    await call(context, enclave.hardware, record.node, (options) =>
      context.hardware.detachNetwork({ node: record.node, nic, network: enclave.networks.airlock }, options),
    );
  }
  if (!attached.includes(enclave.networks.enclave)) {
    await call(context, enclave.hardware, record.node, (options) =>
      context.hardware.attachNetwork({ node: record.node, nic, network: enclave.networks.enclave }, options),
    );
  }
  return transition(context, record, 'joined');
}

/** Isolate a node that failed attestation: off every network, kept out of the pool. */
export async function quarantine(
  context: WalkContext,
  start: EnclaveNodeRecord,
  reason: string,
): Promise<EnclaveNodeRecord> {
  const { enclave } = context;
  const record = await context.journal.begin(start, 'quarantine');
  const nic = record.nic as string;
  for (const network of await networksOf(context, record.node, nic, true)) {
    await call(
      context,
      enclave.hardware,
      record.node,
      (options) => context.hardware.detachNetwork({ node: record.node, nic, network }, options),
      true,
    );
  }
  if (context.power)
    await call(
      context,
      enclave.hardware,
      record.node,
      (options) => context.hardware.power({ node: record.node, action: 'off' }, options),
      true,
    );
  context.onAttestationFailed(record.node, record.agent as string, reason);
  return transition(context, record, 'rejected', { reason, attestationFailed: true });
}

/**
 * Return a node to its pool, undoing whatever steps it reached: stop attesting, deprovision,
 * release (power off → detach networks → OBM off → leave the project). Every call is
 * idempotent, so a release interrupted by a crash or fault can simply run again.
 */
export async function releaseNode(
  context: WalkContext,
  start: EnclaveNodeRecord,
  reason?: string,
): Promise<EnclaveNodeRecord> {
  if (start.state === 'released' && start.pending === undefined) return start;
  const { enclave } = context;
  const from = start.state;
  const record = await context.journal.begin(start, 'release', 'releasing');
  if (from !== 'releasing') context.onTransition(record.node, from, 'releasing', reason);
  let allocated = from !== 'requested';
  if (!allocated) {
    // An allocation may have reached the pool before a crash or abort: ask the pool.
    const description = await call(
      context,
      enclave.hardware,
      record.node,
      (options) => context.hardware.getNode(record.node, options),
      true,
    );
    allocated = description.project === enclave.project;
  }
  if (record.agent !== undefined && from !== 'requested' && from !== 'allocated' && from !== 'airlock') {
    await call(
      context,
      enclave.attestor,
      record.node,
      (options) => context.attestor.remove(record.agent as string, options),
      true,
    );
  }
  if (record.disk !== undefined) {
    await call(
      context,
      enclave.provisioner,
      record.node,
      (options) =>
        context.provisioner.deprovision(
          { project: enclave.project, node: record.node, nic: record.nic as string, disk: record.disk as string },
          options,
        ),
      true,
    );
  }
  if (allocated)
    await call(
      context,
      enclave.hardware,
      record.node,
      (options) => context.hardware.release({ project: enclave.project, node: record.node }, options),
      true,
    );
  const now = context.clock.now().getTime();
  const allocations = record.allocations.map((interval) =>
    interval.end === undefined ? { ...interval, end: now } : interval,
  );
  return transition(context, record, 'released', { allocations, ...(reason === undefined ? {} : { reason }) });
}
