import type { Clock } from '../runtime/clock.js';
import type { EnclaveNodeState } from '../spec/enclave.js';
import type { Store } from '../store/store.js';
import type { EnclaveNodeRecord, EnclaveRecord, EnclaveStep } from './enclave-types.js';

const ENCLAVES = 'enclaves';
const NODES = 'enclave-nodes';
const JOURNAL = 'enclave-journal';

/** One line of the append-only enclave journal. */
export interface JournalEntry {
  enclave: string;
  node: string;
  step: EnclaveStep | 'reconcile';
  from: EnclaveNodeState;
  to: EnclaveNodeState;
  time: string;
  reason?: string;
}

/**
 * The enclave journal in the Store. Each node step is written twice: before it runs (the node
 * record with `pending` set) and after (the new state, with an append-only journal entry, in one
 * atomic batch). After a crash, a node with `pending` set is exactly a step whose outcome must
 * be read back from the backend.
 */
export class EnclaveJournal {
  /** Store writes made, for the benchmark's writes-per-node figure. */
  writes = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async getEnclave(id: string): Promise<EnclaveRecord | undefined> {
    return (await this.store.get<EnclaveRecord>(ENCLAVES, id))?.value;
  }

  async putEnclave(record: EnclaveRecord): Promise<void> {
    this.writes += 1;
    await this.store.put(ENCLAVES, record.id, record);
  }

  async listEnclaves(): Promise<EnclaveRecord[]> {
    const records: EnclaveRecord[] = [];
    for await (const item of this.store.list<EnclaveRecord>(ENCLAVES)) records.push(item.value);
    return records;
  }

  async getNode(enclave: string, node: string): Promise<EnclaveNodeRecord | undefined> {
    return (await this.store.get<EnclaveNodeRecord>(NODES, `${enclave}/${node}`))?.value;
  }

  async listNodes(enclave: string): Promise<EnclaveNodeRecord[]> {
    const records: EnclaveNodeRecord[] = [];
    for await (const item of this.store.list<EnclaveNodeRecord>(NODES, { prefix: `${enclave}/` }))
      records.push(item.value);
    return records;
  }

  /** Every node record of every enclave (to find which nodes the exchange already holds). */
  async allNodes(): Promise<EnclaveNodeRecord[]> {
    const records: EnclaveNodeRecord[] = [];
    for await (const item of this.store.list<EnclaveNodeRecord>(NODES)) records.push(item.value);
    return records;
  }

  /** Record that `step` is about to run on this node. */
  async begin(
    record: EnclaveNodeRecord,
    step: EnclaveStep,
    state: EnclaveNodeState = record.state,
  ): Promise<EnclaveNodeRecord> {
    const next: EnclaveNodeRecord = { ...record, pending: step, state };
    this.writes += 1;
    await this.store.put(NODES, key(record), next);
    return next;
  }

  /** Record that the pending step ended, moving the node to `to` with any changed fields. */
  async end(
    record: EnclaveNodeRecord,
    to: EnclaveNodeState,
    changes: Partial<EnclaveNodeRecord> = {},
    step: JournalEntry['step'] = record.pending ?? 'reconcile',
  ): Promise<EnclaveNodeRecord> {
    const time = this.clock.now().toISOString();
    const { pending: _finished, ...rest } = record;
    const next: EnclaveNodeRecord = {
      ...rest,
      ...changes,
      state: to,
      since: to === record.state ? record.since : time,
    };
    if (changes.reason === undefined && to !== 'rejected' && to !== 'released') delete next.reason;
    const entry: JournalEntry = { enclave: record.enclave, node: record.node, step, from: record.state, to, time };
    if (next.reason !== undefined) entry.reason = next.reason;
    this.writes += 1;
    await this.store.batch([
      { type: 'put', collection: NODES, key: key(record), value: next },
      { type: 'append', log: JOURNAL, entries: [entry] },
    ]);
    return next;
  }

  /** The journal entries of one enclave, oldest first. */
  async entries(enclave: string): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = [];
    for await (const { entry } of this.store.readLog<JournalEntry>(JOURNAL))
      if (entry.enclave === enclave) entries.push(entry);
    return entries;
  }
}

function key(record: Pick<EnclaveNodeRecord, 'enclave' | 'node'>): string {
  return `${record.enclave}/${record.node}`;
}
