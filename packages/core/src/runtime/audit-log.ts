import { z } from 'zod';
import { parseWith } from '../errors/validation.js';
import { redactValue } from '../secrets/redact.js';
import { IdSchema, TimestampSchema } from '../spec/primitives.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import { type Principal, PrincipalSchema } from './principal.js';

/** One audit entry: who did what, to what, for which landlord, when, and how it ended. */
export interface AuditEntry {
  sequence: number;
  time: string;
  actor: Principal;
  /** Dotted verb, e.g. `landlord.register`, `quota.set`, `enclave.create`. */
  action: string;
  target?: { type: string; id: string };
  landlord?: string;
  outcome: 'success' | 'failure';
  /** Redacted details. */
  details?: Record<string, unknown>;
}

/** What a caller records; the log adds sequence and time. */
export type AuditRecord = Omit<AuditEntry, 'sequence' | 'time'>;

/** Filters of {@link AuditLog.query}; all optional, combined with AND. */
export const AuditQuerySchema = z
  .object({
    actor: IdSchema.optional(),
    action: z.string().min(1).optional(),
    /** Match actions starting with this prefix, e.g. `landlord.`. */
    actionPrefix: z.string().min(1).optional(),
    landlord: IdSchema.optional(),
    target: z.string().min(1).optional(),
    since: TimestampSchema.optional(),
    until: TimestampSchema.optional(),
    outcome: z.enum(['success', 'failure']).optional(),
    limit: z.number().int().positive().max(100_000).optional(),
  })
  .strict();
export type AuditQuery = z.input<typeof AuditQuerySchema>;

const AUDIT_LOG = 'audit';

/**
 * The exchange's append-only audit log, kept in the Store. Every mutating action records one
 * entry; entries are never changed or removed.
 */
export class AuditLog {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #onRecord: (entry: AuditEntry) => void;
  /** Principal objects already validated (the same object is passed for every call of a workflow). */
  readonly #checkedActors = new WeakSet<object>();

  constructor(store: Store, clock: Clock, onRecord: (entry: AuditEntry) => void) {
    this.#store = store;
    this.#clock = clock;
    this.#onRecord = onRecord;
  }

  /** Append one entry (details are redacted first). */
  async record(record: AuditRecord): Promise<AuditEntry> {
    if (!this.#checkedActors.has(record.actor)) {
      parseWith(PrincipalSchema, record.actor, { what: 'audit actor', prefix: 'actor' });
      this.#checkedActors.add(record.actor);
    }
    const time = this.#clock.now().toISOString();
    const body = { ...redactValue(record), time };
    const [sequence] = await this.#store.append(AUDIT_LOG, [body]);
    const entry: AuditEntry = { sequence: sequence ?? 0, ...body };
    this.#onRecord(entry);
    return entry;
  }

  /** Entries matching the query, oldest first. */
  async query(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const results: AuditEntry[] = [];
    for await (const entry of this.entries(query)) results.push(entry);
    return results;
  }

  /**
   * Entries matching the query, oldest first, one at a time: for an export of the whole log that
   * must not hold it in memory. The query is checked before the first entry is read.
   */
  entries(query: AuditQuery = {}): AsyncIterable<AuditEntry> {
    const filter = parseWith(AuditQuerySchema, query, { what: 'audit query' });
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    const until = filter.until === undefined ? undefined : Date.parse(filter.until);
    const log = this.#store.readLog<Omit<AuditEntry, 'sequence'>>(AUDIT_LOG);
    return (async function* () {
      let count = 0;
      for await (const { sequence, entry } of log) {
        const time = Date.parse(entry.time);
        if (filter.actor !== undefined && entry.actor.id !== filter.actor) continue;
        if (filter.action !== undefined && entry.action !== filter.action) continue;
        if (filter.actionPrefix !== undefined && !entry.action.startsWith(filter.actionPrefix)) continue;
        if (filter.landlord !== undefined && entry.landlord !== filter.landlord) continue;
        if (filter.target !== undefined && entry.target?.id !== filter.target) continue;
        if (filter.outcome !== undefined && entry.outcome !== filter.outcome) continue;
        if (since !== undefined && time < since) continue;
        if (until !== undefined && time >= until) continue;
        yield { sequence, ...entry };
        count += 1;
        if (filter.limit !== undefined && count >= filter.limit) return;
      }
    })();
  }

  /** The entries matching the query as JSON lines (one entry per line, `\n`-terminated), streamed. */
  async *jsonLines(query: AuditQuery = {}): AsyncIterable<string> {
    for await (const entry of this.entries(query)) yield `${JSON.stringify(entry)}\n`;
  }
}
