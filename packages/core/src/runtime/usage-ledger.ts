import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import { IdSchema, OrganizationIdSchema, type TimeWindow, TimeWindowSchema } from '../spec/primitives.js';
import { type UsageRecord, type UsageRecordInput, UsageRecordSchema, usageRecordKey } from '../spec/usage-record.js';
import type { Store } from '../store/store.js';
import { countMeteredRecords, traceOperation } from '../telemetry/operation.js';
import type { ExchangeEvents } from './events.js';
import type { LandlordRegistry } from './registry.js';
import type { TypedEmitter } from './typed-emitter.js';

const USAGE = 'usage';
const UsageRecordListSchema = z.array(UsageRecordSchema);
const BATCH_SIZE = 500;

/** Filters of {@link UsageLedger.query}. A record matches a window when the two overlap. */
export const UsageQuerySchema = z
  .object({
    window: TimeWindowSchema.optional(),
    organization: OrganizationIdSchema.optional(),
    project: IdSchema.optional(),
    user: IdSchema.optional(),
    landlord: IdSchema.optional(),
    service: IdSchema.optional(),
    metric: z.string().min(1).optional(),
  })
  .strict();
export type UsageQuery = z.input<typeof UsageQuerySchema>;

/** What one ingestion or collection did. */
export interface IngestResult {
  inserted: number;
  duplicates: number;
}

/** What {@link UsageLedger.collect} did, per meter, and which meters failed. */
export interface CollectionResult extends IngestResult {
  meters: Array<{
    landlord: string;
    service: string;
    meter: string;
    inserted: number;
    duplicates: number;
    error?: string;
  }>;
}

/**
 * Usage records land here once: ingestion is idempotent on (`source`, `id`), so a meter may be
 * collected again (late records included) without double counting.
 */
export class UsageLedger {
  /** When each meter (`landlord/service/meter`) last finished a collection without error, in this process. */
  readonly #lastSuccess = new Map<
    string,
    { landlord: string; service: string; meter: string; at: Date; windowEnd: string }
  >();

  constructor(
    private readonly store: Store,
    private readonly registry: LandlordRegistry,
    private readonly events: TypedEmitter<ExchangeEvents>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The last successful collection of each meter that has had one in this process. */
  lastCollections(): Array<{ landlord: string; service: string; meter: string; at: Date; windowEnd: string }> {
    return [...this.#lastSuccess.values()].map((entry) => ({ ...entry }));
  }

  /**
   * Validate and store records. A malformed record refuses the whole call (naming
   * `records.<index>.<field>`) and stores nothing.
   */
  async ingest(records: readonly UsageRecordInput[]): Promise<IngestResult> {
    const parsed = parseWith(UsageRecordListSchema, records, { what: 'usage records', prefix: 'records' });
    return this.#store(parsed);
  }

  /**
   * Collect one window from every meter of every registered service (or of one landlord) and
   * ingest what they yield. A failing meter is reported and does not stop the others.
   */
  async collect(input: { window: TimeWindow; landlord?: string; signal?: AbortSignal }): Promise<CollectionResult> {
    const window = parseWith(TimeWindowSchema, input.window, { what: 'collection window', prefix: 'window' });
    if (input.landlord !== undefined) this.registry.get(input.landlord);
    const result: CollectionResult = { inserted: 0, duplicates: 0, meters: [] };
    for (const handle of this.registry.services()) {
      if (input.landlord !== undefined && handle.landlord.id !== input.landlord) continue;
      for (const meter of handle.driver.meters ?? []) {
        const outcome = {
          landlord: handle.landlord.id,
          service: handle.service.id,
          meter: meter.name,
          inserted: 0,
          duplicates: 0,
        };
        const spanAttributes = {
          'ocx.landlord': handle.landlord.id,
          'ocx.service': handle.service.id,
          'ocx.meter': meter.name,
          'ocx.window.start': window.start,
          'ocx.window.end': window.end,
        };
        try {
          await traceOperation('ocx.meter.collect', spanAttributes, async () => {
            let batch: UsageRecord[] = [];
            const flush = async (): Promise<void> => {
              const stored = await this.#store(batch);
              outcome.inserted += stored.inserted;
              outcome.duplicates += stored.duplicates;
              batch = [];
            };
            for await (const record of meter.collect(window, { signal: input.signal })) {
              const parsed = parseWith(UsageRecordSchema, record, {
                what: `usage record from meter ${meter.name}`,
                backend: handle.service.id,
              });
              if (parsed.landlord !== handle.landlord.id) {
                throw new OcxError({
                  code: 'validation',
                  message: `Meter ${meter.name} of ${handle.landlord.id} produced a record for landlord ${parsed.landlord}`,
                  issues: [{ path: 'landlord', message: 'a meter may only report its own landlord' }],
                  backend: handle.service.id,
                });
              }
              batch.push(parsed);
              if (batch.length >= BATCH_SIZE) await flush();
            }
            await flush();
          });
          countMeteredRecords(outcome.inserted, {
            'ocx.landlord': handle.landlord.id,
            'ocx.service': handle.service.id,
            'ocx.meter': meter.name,
          });
          this.#lastSuccess.set(`${handle.landlord.id}/${handle.service.id}/${meter.name}`, {
            landlord: handle.landlord.id,
            service: handle.service.id,
            meter: meter.name,
            at: this.now(),
            windowEnd: window.end,
          });
          result.meters.push(outcome);
        } catch (error) {
          const message = OcxError.is(error) ? error.message : String(error);
          result.meters.push({ ...outcome, error: message });
          this.events.emit('usage.collection-failed', {
            landlord: handle.landlord.id,
            service: handle.service.id,
            meter: meter.name,
            error: message,
          });
        }
        result.inserted += outcome.inserted;
        result.duplicates += outcome.duplicates;
      }
    }
    return result;
  }

  /** Stored records matching the query, in key order. */
  async *query(query: UsageQuery = {}): AsyncIterable<UsageRecord> {
    const filter = parseWith(UsageQuerySchema, query, { what: 'usage query' });
    const start = filter.window === undefined ? undefined : Date.parse(filter.window.start);
    const end = filter.window === undefined ? undefined : Date.parse(filter.window.end);
    for await (const { value } of this.store.list<UsageRecord>(USAGE)) {
      if (filter.organization !== undefined && value.subject.organization !== filter.organization) continue;
      if (filter.project !== undefined && value.subject.project !== filter.project) continue;
      if (filter.user !== undefined && value.subject.user !== filter.user) continue;
      if (filter.landlord !== undefined && value.landlord !== filter.landlord) continue;
      if (filter.service !== undefined && value.service !== filter.service) continue;
      if (filter.metric !== undefined && value.metric !== filter.metric) continue;
      if (start !== undefined && end !== undefined) {
        if (Date.parse(value.window.end) <= start || Date.parse(value.window.start) >= end) continue;
      }
      yield value;
    }
  }

  async #store(records: readonly UsageRecord[]): Promise<IngestResult> {
    if (records.length === 0) return { inserted: 0, duplicates: 0 };
    const { inserted, duplicates } = await this.store.insertMany(
      USAGE,
      records.map((record) => ({ key: usageRecordKey(record), value: record })),
    );
    this.events.emit('usage.ingested', {
      inserted: inserted.length,
      duplicates: duplicates.length,
      landlords: [...new Set(records.map((record) => record.landlord))].sort(),
    });
    return { inserted: inserted.length, duplicates: duplicates.length };
  }
}
