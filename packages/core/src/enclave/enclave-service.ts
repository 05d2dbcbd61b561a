import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import type { AuditLog } from '../runtime/audit-log.js';
import type { Clock } from '../runtime/clock.js';
import type { ExchangeEvents } from '../runtime/events.js';
import type { Logger } from '../runtime/logger.js';
import { type ActionOptions, type Principal, SYSTEM_PRINCIPAL } from '../runtime/principal.js';
import type { LandlordRegistry } from '../runtime/registry.js';
import type { TypedEmitter } from '../runtime/typed-emitter.js';
import type { EnclaveNode, EnclaveStatus } from '../spec/enclave.js';
import type { Meter } from '../spec/interfaces/meter.js';
import { IdSchema } from '../spec/primitives.js';
import type { Store } from '../store/store.js';
import { EnclaveJournal, type JournalEntry } from './enclave-journal.js';
import { createEnclaveMeter } from './enclave-meter.js';
import {
  type CreateEnclaveInput,
  CreateEnclaveInputSchema,
  type EnclaveNodeRecord,
  type EnclaveRecord,
  type ServiceRef,
} from './enclave-types.js';
import { NodePicker } from './node-picker.js';
import { isSettled, quarantine, releaseNode, type WalkContext, walkNode } from './node-walker.js';
import { reconcileNode } from './reconcile.js';
import { BackendLimiter } from './semaphore.js';

/** An enclave as its owner sees it: status and the state of every node. */
export interface EnclaveView {
  id: string;
  project: string;
  organization: string;
  status: EnclaveStatus;
  /** How many joined nodes it should have. */
  target: number;
  nodes: EnclaveNode[];
  createdAt: string;
}

const ACTIVE_STATES = new Set([
  'requested',
  'allocated',
  'airlock',
  'provisioning',
  'attesting',
  'joined',
  'rejected',
  'releasing',
]);

/**
 * Secure elastic enclaves (the Bolted design) across landlords: nodes lent by one landlord's
 * HardwarePool, network-booted by another's Provisioner and attested by the tenant's Attestor.
 * Every node step is journaled in the Store, so `resume()` after a crash continues or rolls
 * back without leaking a node or allocating one twice.
 */
export class EnclaveService {
  readonly #journal: EnclaveJournal;

  constructor(
    private readonly deps: {
      store: Store;
      registry: LandlordRegistry;
      audit: AuditLog;
      events: TypedEmitter<ExchangeEvents>;
      clock: Clock;
      logger: Logger;
    },
  ) {
    this.#journal = new EnclaveJournal(deps.store, deps.clock);
  }

  /** Store writes made by enclave journaling so far (for benchmarks). */
  get journalWrites(): number {
    return this.#journal.writes;
  }

  /**
   * Build an enclave: each node walks allocated → airlock → provisioned → attested → joined
   * (on PASS) or quarantined (on FAIL), concurrently, at most `concurrency` calls per backend.
   *
   * @example
   * ```ts
   * const enclave = await exchange.enclaves.create({
   *   project: 'genomics', organization: 'bu', nodes: 8, image: 'ubuntu-22.04',
   *   hardware: { landlord: 'bu', service: 'hil' }, provisioner: { landlord: 'mghpcc', service: 'm2' },
   *   attestor: { landlord: 'genomics-lab', service: 'keylime' }, policy: { name: 'golden' },
   * });
   * ```
   */
  async create(input: CreateEnclaveInput, options: ActionOptions = {}): Promise<EnclaveView> {
    const request = parseWith(CreateEnclaveInputSchema, input, { what: 'enclave request' });
    const id = request.id ?? `${request.project}-enclave`;
    parseWith(IdSchema, id, { what: 'enclave id', prefix: 'id' });
    this.#backends({ hardware: request.hardware, provisioner: request.provisioner, attestor: request.attestor });
    if ((await this.#journal.getEnclave(id)) !== undefined) {
      throw new OcxError({
        code: 'conflict',
        message: `Enclave ${id} already exists`,
        issues: [{ path: 'id', message: 'already exists' }],
        fault: 'client',
      });
    }
    const record: EnclaveRecord = {
      id,
      project: request.project,
      organization: request.organization,
      hardware: request.hardware,
      provisioner: request.provisioner,
      attestor: request.attestor,
      image: request.image,
      policy: request.policy,
      networks: {
        airlock: request.networks?.airlock ?? `${id}-airlock`,
        enclave: request.networks?.enclave ?? `${id}-net`,
      },
      concurrency: request.concurrency ?? 16,
      attestationTimeoutMs: request.attestationTimeoutMs ?? 300_000,
      ...(request.agentMetadataKey === undefined ? {} : { agentMetadataKey: request.agentMetadataKey }),
      replacementsPerNode: request.replacementsPerNode ?? 2,
      target: typeof request.nodes === 'number' ? request.nodes : request.nodes.length,
      status: 'creating',
      createdAt: this.deps.clock.now().toISOString(),
    };
    await this.#journal.putEnclave(record);
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    await this.#auditAction(actor, 'enclave.create', record, { nodes: record.target, image: record.image });
    this.deps.events.emit('enclave.status', { enclave: id, project: record.project, status: 'creating' });
    const context = this.#context(record, actor, options.signal);
    try {
      const hardware = context.hardware;
      await context.limiter.run(key(record.hardware), () =>
        hardware.ensureProject(record.project, { signal: options.signal, actor }),
      );
      for (const network of [record.networks.airlock, record.networks.enclave]) {
        await context.limiter.run(key(record.hardware), () =>
          hardware.createNetwork({ project: record.project, network }, { signal: options.signal, actor }),
        );
      }
      const explicit = Array.isArray(request.nodes) ? request.nodes : undefined;
      await this.#fill(context, record.target, explicit);
    } catch (error) {
      if (!OcxError.is(error) || error.code !== 'aborted') throw error;
      await this.#rollBackAll(record, actor);
      throw error;
    }
    return this.#settleStatus(id);
  }

  /** The enclave with its nodes; throws `not-found` if there is none. */
  async get(id: string): Promise<EnclaveView> {
    const record = await this.#record(id);
    return this.#view(record, await this.#journal.listNodes(id));
  }

  async list(): Promise<EnclaveView[]> {
    const records = await this.#journal.listEnclaves();
    return Promise.all(records.map(async (record) => this.#view(record, await this.#journal.listNodes(record.id))));
  }

  /** The journal of an enclave: every node transition, oldest first. */
  journal(id: string): Promise<JournalEntry[]> {
    return this.#journal.entries(id);
  }

  /** Add `count` nodes to a live enclave. */
  async grow(id: string, count: number, options: ActionOptions = {}): Promise<EnclaveView> {
    parseWith(IdSchema, id, { what: 'enclave id', prefix: 'id' });
    const added = checkCount(count);
    const record = await this.#record(id);
    const next: EnclaveRecord = { ...record, target: record.target + added, status: 'creating' };
    await this.#journal.putEnclave(next);
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    await this.#auditAction(actor, 'enclave.grow', next, { count: added });
    await this.#fill(this.#context(next, actor, options.signal), added, undefined);
    return this.#settleStatus(id);
  }

  /** Remove `count` joined nodes (most recently joined first), returning them to the pool. */
  async shrink(id: string, count: number, options: ActionOptions = {}): Promise<EnclaveView> {
    parseWith(IdSchema, id, { what: 'enclave id', prefix: 'id' });
    const removed = checkCount(count);
    const record = await this.#record(id);
    const joined = (await this.#journal.listNodes(id))
      .filter((node) => node.state === 'joined')
      .sort((a, b) => b.since.localeCompare(a.since) || b.node.localeCompare(a.node));
    if (removed > joined.length) {
      throw new OcxError({
        code: 'validation',
        message: `Enclave ${id} has ${joined.length} joined nodes; cannot remove ${removed}`,
        issues: [{ path: 'count', message: 'more than the joined nodes' }],
        fault: 'client',
      });
    }
    const next: EnclaveRecord = { ...record, target: Math.max(0, record.target - removed) };
    await this.#journal.putEnclave(next);
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    await this.#auditAction(actor, 'enclave.shrink', next, { count: removed });
    const context = this.#context(next, actor, undefined);
    await settleAll(joined.slice(0, removed).map((node) => releaseNode(context, node, 'enclave shrunk')));
    return this.#settleStatus(id);
  }

  /**
   * Return chosen nodes of an enclave to the pool — e.g. quarantined nodes once they have been
   * inspected. The enclave's target shrinks by the joined nodes among them.
   */
  async releaseNodes(id: string, nodes: readonly string[], options: ActionOptions = {}): Promise<EnclaveView> {
    parseWith(IdSchema, id, { what: 'enclave id', prefix: 'id' });
    const record = await this.#record(id);
    const current = await this.#journal.listNodes(id);
    const chosen = nodes.map((name, index) => {
      const node = current.find((candidate) => candidate.node === name && candidate.state !== 'released');
      if (node === undefined) {
        throw new OcxError({
          code: 'not-found',
          message: `Enclave ${id} holds no node ${name}`,
          issues: [{ path: `nodes.${index}`, message: 'not in the enclave' }],
          fault: 'client',
        });
      }
      return node;
    });
    const joined = chosen.filter((node) => node.state === 'joined').length;
    const next: EnclaveRecord = { ...record, target: Math.max(0, record.target - joined) };
    await this.#journal.putEnclave(next);
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    await this.#auditAction(actor, 'enclave.release-nodes', next, { nodes: [...nodes] });
    const context = this.#context(next, actor, undefined);
    await settleAll(chosen.map((node) => releaseNode(context, node, 'released on request')));
    return this.#settleStatus(id);
  }

  /** Release every node (quarantined ones too, through the pool's scrub step) and delete the networks. */
  async destroy(id: string, options: ActionOptions = {}): Promise<EnclaveView> {
    parseWith(IdSchema, id, { what: 'enclave id', prefix: 'id' });
    const record = await this.#record(id);
    const releasing: EnclaveRecord = { ...record, status: 'releasing', target: 0 };
    await this.#journal.putEnclave(releasing);
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    await this.#auditAction(actor, 'enclave.destroy', releasing, {});
    this.deps.events.emit('enclave.status', { enclave: id, project: record.project, status: 'releasing' });
    await this.#rollBackAll(releasing, actor);
    return this.get(id);
  }

  /**
   * Burst nodes between clusters: release `count` joined nodes from one enclave and walk
   * those same nodes into another (allocate, airlock, provision, re-attest, join).
   */
  async burst(
    input: { from: string; to: string; count: number },
    options: ActionOptions = {},
  ): Promise<{ from: EnclaveView; to: EnclaveView; moved: string[] }> {
    parseWith(IdSchema, input.from, { what: 'enclave id', prefix: 'from' });
    parseWith(IdSchema, input.to, { what: 'enclave id', prefix: 'to' });
    const count = checkCount(input.count);
    const source = await this.#record(input.from);
    const target = await this.#record(input.to);
    if (key(source.hardware) !== key(target.hardware)) {
      throw new OcxError({
        code: 'validation',
        message: 'Bursting moves nodes within one hardware pool; the two enclaves use different pools',
        issues: [{ path: 'to', message: 'different hardware pool' }],
        fault: 'client',
      });
    }
    const joined = (await this.#journal.listNodes(source.id))
      .filter((node) => node.state === 'joined')
      .sort((a, b) => b.since.localeCompare(a.since));
    if (count > joined.length) {
      throw new OcxError({
        code: 'validation',
        message: `Enclave ${source.id} has ${joined.length} joined nodes`,
        issues: [{ path: 'count', message: 'more than the joined nodes' }],
        fault: 'client',
      });
    }
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    const moving = joined.slice(0, count);
    await this.#auditAction(actor, 'enclave.burst', target, {
      from: source.id,
      nodes: moving.map((node) => node.node),
    });
    await this.#journal.putEnclave({ ...source, target: Math.max(0, source.target - count) });
    const sourceContext = this.#context(source, actor, undefined);
    const released = await settleAll(moving.map((node) => releaseNode(sourceContext, node, `burst to ${target.id}`)));
    const freed = released.filter((node) => node.state === 'released').map((node) => node.node);
    const nextTarget: EnclaveRecord = { ...target, target: target.target + freed.length, status: 'creating' };
    await this.#journal.putEnclave(nextTarget);
    await this.#fill(this.#context(nextTarget, actor, options.signal), freed.length, freed);
    return { from: await this.#settleStatus(source.id), to: await this.#settleStatus(target.id), moved: freed };
  }

  /**
   * After a crash: reconcile every unfinished node step with what the backends report, then
   * continue (or, for enclaves being destroyed, roll back) until every node is settled.
   */
  async resume(options: ActionOptions = {}): Promise<{ enclaves: string[]; reconciled: number }> {
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    const resumed: string[] = [];
    let reconciled = 0;
    for (const record of await this.#journal.listEnclaves()) {
      const nodes = await this.#journal.listNodes(record.id);
      const unfinished = nodes.filter((node) => !isSettled(node));
      if (unfinished.length === 0 && record.status !== 'creating' && record.status !== 'releasing') continue;
      resumed.push(record.id);
      const context = this.#context(record, actor, options.signal);
      await this.#auditAction(actor, 'enclave.resume', record, { unfinished: unfinished.map((node) => node.node) });
      const settled = await settleAll(
        unfinished.map(async (node) => {
          const current = await reconcileNode(context, node);
          reconciled += 1;
          if (record.status === 'releasing') return releaseNode(context, current, 'enclave destroyed');
          return this.#walkOrRollBack(context, current);
        }),
      );
      if (record.status === 'releasing') {
        await this.#rollBackAll(record, actor);
        continue;
      }
      const joined = (await this.#journal.listNodes(record.id)).filter((node) => node.state === 'joined').length;
      const missing =
        record.status === 'creating'
          ? record.target - joined - settled.filter((node) => node.state === 'rejected').length
          : 0;
      if (missing > 0) await this.#fill(context, missing, undefined);
      await this.#settleStatus(record.id);
    }
    return { enclaves: resumed, reconciled };
  }

  /**
   * Watch the joined nodes' attestation until the signal aborts; a node whose attestation fails
   * after it joined (a revocation) is quarantined at once.
   */
  async watch(id: string, options: ActionOptions & { intervalMs?: number } = {}): Promise<void> {
    const record = await this.#record(id);
    const context = this.#context(record, options.actor ?? SYSTEM_PRINCIPAL, undefined);
    const joined = (await this.#journal.listNodes(id)).filter(
      (node) => node.state === 'joined' && node.agent !== undefined,
    );
    const byAgent = new Map(joined.map((node) => [node.agent as string, node]));
    for await (const verdict of context.attestor.watch([...byAgent.keys()], {
      signal: options.signal,
      intervalMs: options.intervalMs,
    })) {
      const node = byAgent.get(verdict.agent);
      if (verdict.status !== 'fail' || node === undefined) continue;
      const current = (await this.#journal.getNode(id, node.node)) ?? node;
      if (current.state !== 'joined') continue;
      await quarantine(
        {
          ...context,
          onAttestationFailed: (name, agent, reason) => this.#attestationFailed(record, name, agent, reason, true),
        },
        current,
        verdict.reason ?? verdict.state,
      );
      await this.#settleStatus(id);
    }
  }

  /** Node-hours per project and landlord, from the journal's allocation intervals. */
  meter(): Meter {
    return createEnclaveMeter(this.#journal, this.deps.clock);
  }

  async #fill(context: WalkContext, count: number, explicit: readonly string[] | undefined): Promise<void> {
    // Skip nodes another enclave holds, and nodes that already failed attestation for this one.
    const held = new Set(
      (await this.#journal.allNodes())
        .filter(
          (node) =>
            ACTIVE_STATES.has(node.state) || (node.enclave === context.enclave.id && node.attestationFailed === true),
        )
        .map((node) => node.node),
    );
    const candidates =
      explicit ??
      (await context.limiter.run(key(context.enclave.hardware), () =>
        context.hardware.listFreeNodes({ signal: context.signal }),
      ));
    const picker = new NodePicker(candidates, held);
    const slots = Array.from({ length: count }, () =>
      this.#slot(context, picker, explicit === undefined ? context.enclave.replacementsPerNode : 0),
    );
    const results = await Promise.allSettled(slots);
    const aborted = results.find(
      (result) => result.status === 'rejected' && OcxError.is(result.reason) && result.reason.code === 'aborted',
    );
    if (aborted !== undefined && aborted.status === 'rejected') throw aborted.reason;
  }

  /** One slot of the enclave: try a node, and on a backend fault roll it back and try another. */
  async #slot(context: WalkContext, picker: NodePicker, replacements: number): Promise<void> {
    for (let attempt = 0; attempt <= replacements; attempt += 1) {
      const node = picker.take();
      if (node === undefined) return;
      const record: EnclaveNodeRecord = {
        enclave: context.enclave.id,
        node,
        state: 'requested',
        allocations: [],
        since: this.deps.clock.now().toISOString(),
      };
      const result = await this.#walkOrRollBack(context, record);
      if (result.state !== 'released') return;
    }
  }

  async #walkOrRollBack(context: WalkContext, record: EnclaveNodeRecord): Promise<EnclaveNodeRecord> {
    try {
      return await walkNode(context, record);
    } catch (error) {
      const latest = (await this.#journal.getNode(record.enclave, record.node).catch(() => undefined)) ?? record;
      const reason = OcxError.is(error) ? `${error.code}: ${error.message}` : String(error);
      this.deps.logger.warn('An enclave node failed; rolling it back', {
        enclave: record.enclave,
        node: record.node,
        reason,
      });
      try {
        const released = await releaseNode(context, latest, reason);
        if (OcxError.is(error) && error.code === 'aborted') throw error;
        return released;
      } catch (rollbackError) {
        if (rollbackError === error) throw error;
        this.deps.logger.error('Rolling back an enclave node failed; resume() will finish it', {
          enclave: record.enclave,
          node: record.node,
        });
        throw error;
      }
    }
  }

  async #rollBackAll(record: EnclaveRecord, actor: Principal): Promise<void> {
    const context = this.#context(record, actor, undefined);
    const nodes = await this.#journal.listNodes(record.id);
    await settleAll(
      nodes
        .filter((node) => node.state !== 'released' || node.pending !== undefined)
        .map((node) => releaseNode(context, node, 'enclave released')),
    );
    const remaining = (await this.#journal.listNodes(record.id)).filter(
      (node) => node.state !== 'released' || node.pending !== undefined,
    );
    if (remaining.length === 0) {
      for (const network of [record.networks.airlock, record.networks.enclave]) {
        await context.limiter
          .run(key(record.hardware), () => context.hardware.deleteNetwork({ network, ignoreMissing: true }, { actor }))
          .catch((error: unknown) =>
            this.deps.logger.warn('Could not delete an enclave network', { network, error: String(error) }),
          );
      }
    }
    const status: EnclaveStatus = remaining.length === 0 ? 'released' : 'releasing';
    await this.#journal.putEnclave({ ...record, target: 0, status });
    this.deps.events.emit('enclave.status', { enclave: record.id, project: record.project, status });
  }

  async #settleStatus(id: string): Promise<EnclaveView> {
    const record = await this.#record(id);
    const nodes = await this.#journal.listNodes(id);
    const joined = nodes.filter((node) => node.state === 'joined').length;
    const unsettled = nodes.some((node) => !isSettled(node));
    let status: EnclaveStatus = record.status;
    if (record.status !== 'released' && record.status !== 'releasing') {
      if (unsettled) status = 'creating';
      else if (joined >= record.target) status = 'ready';
      else status = joined > 0 ? 'degraded' : 'failed';
    }
    if (status !== record.status) {
      await this.#journal.putEnclave({ ...record, status });
      this.deps.events.emit('enclave.status', { enclave: id, project: record.project, status });
    }
    return this.#view({ ...record, status }, nodes);
  }

  #context(record: EnclaveRecord, actor: Principal, signal: AbortSignal | undefined): WalkContext {
    const backends = this.#backends(record);
    return {
      enclave: record,
      ...backends,
      limiter: new BackendLimiter(record.concurrency),
      journal: this.#journal,
      clock: this.deps.clock,
      actor,
      signal,
      onTransition: (node, from, to, reason) =>
        this.deps.events.emit('enclave.node', {
          enclave: record.id,
          project: record.project,
          node,
          from,
          to,
          ...(reason === undefined ? {} : { reason }),
        }),
      onAttestationFailed: (node, agent, reason) => this.#attestationFailed(record, node, agent, reason, false),
    };
  }

  #attestationFailed(record: EnclaveRecord, node: string, agent: string, reason: string, revoked: boolean): void {
    this.deps.events.emit('attestation.failed', {
      enclave: record.id,
      project: record.project,
      node,
      agent,
      reason,
      revoked,
    });
  }

  #backends(refs: { hardware: ServiceRef; provisioner: ServiceRef; attestor: ServiceRef }) {
    const capability = <T>(ref: ServiceRef, name: 'hardware' | 'provisioner' | 'attestor', path: string): T => {
      const implementation = this.deps.registry.service(ref.landlord, ref.service).driver[name];
      if (implementation === undefined) {
        throw new OcxError({
          code: 'capability',
          message: `Service ${key(ref)} has no ${name} capability`,
          issues: [{ path, message: `needs ${name}` }],
          fault: 'client',
        });
      }
      return implementation as T;
    };
    const hardwareDriver = this.deps.registry.service(refs.hardware.landlord, refs.hardware.service).driver;
    return {
      hardware: capability<NonNullable<typeof hardwareDriver.hardware>>(refs.hardware, 'hardware', 'hardware'),
      provisioner: capability<NonNullable<typeof hardwareDriver.provisioner>>(
        refs.provisioner,
        'provisioner',
        'provisioner',
      ),
      attestor: capability<NonNullable<typeof hardwareDriver.attestor>>(refs.attestor, 'attestor', 'attestor'),
      power: hardwareDriver.capabilities.hardware?.power ?? true,
    };
  }

  async #record(id: string): Promise<EnclaveRecord> {
    const record = await this.#journal.getEnclave(id);
    if (record === undefined) throw new OcxError({ code: 'not-found', message: `No enclave ${id}`, fault: 'client' });
    return record;
  }

  #view(record: EnclaveRecord, nodes: EnclaveNodeRecord[]): EnclaveView {
    return {
      id: record.id,
      project: record.project,
      organization: record.organization,
      status: record.status,
      target: record.target,
      createdAt: record.createdAt,
      nodes: nodes
        .map((node) => ({
          node: node.node,
          state: node.state,
          hardwareLandlord: record.hardware.landlord,
          since: node.since,
          ...(node.reason === undefined ? {} : { reason: node.reason }),
        }))
        .sort((a, b) => a.node.localeCompare(b.node)),
    };
  }

  async #auditAction(
    actor: Principal,
    action: string,
    record: EnclaveRecord,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.record({
      actor,
      action,
      target: { type: 'enclave', id: record.id },
      landlord: record.hardware.landlord,
      outcome: 'success',
      details: { project: record.project, ...details },
    });
  }
}

function key(ref: ServiceRef): string {
  return `${ref.landlord}/${ref.service}`;
}

function checkCount(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new OcxError({
      code: 'validation',
      message: 'count must be a whole number from 1 to 100000',
      issues: [{ path: 'count', message: 'must be a whole number from 1 to 100000' }],
      fault: 'client',
    });
  }
  return count;
}

/** Wait for every promise; return the fulfilled values (failures are logged by their owners). */
async function settleAll<T>(promises: ReadonlyArray<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}
