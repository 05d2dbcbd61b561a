import {
  Decimal,
  OcxError,
  parseWith,
  type Store,
  type StoreOperation,
  type UsageRecord,
  type UsageRecordInput,
  UsageRecordSchema,
} from '@ocx/core';
import { z } from 'zod';
import { billingPeriodsBetween } from '../period/billing-period.js';
import { splitQuantity } from '../period/split-quantity.js';
import type { UsagePart } from '../rating/usage-part.js';
import { billingTarget, type PeriodRead } from './period-state.js';
import { COLLECTIONS, recordKeyOf, usagePartKey } from './storage-keys.js';

/** A usage part as stored: set `lateFor` when it arrived after its period was finalized. */
export interface StoredUsagePart extends UsagePart {
  /** The open period whose invoices carry this late usage as corrections. */
  lateFor?: string;
}

/** What one ingestion did. */
export interface UsageIngestResult {
  inserted: number;
  duplicates: number;
  /** Records whose period was already finalized: billed as corrections in an open period. */
  late: number;
}

// Billing refuses negative usage: a reversal is a correction, which the ledger derives itself.
const BillableUsageRecordSchema = UsageRecordSchema.superRefine((record, context) => {
  if (Decimal.isDecimalString(record.quantity) && Decimal.from(record.quantity).isNegative()) {
    context.addIssue({ code: 'custom', path: ['quantity'], message: 'must not be negative' });
  }
});

const CHUNK = 500;
const ATTEMPTS = 3;

/**
 * Store usage records once each, idempotent on (`source`, `id`). Every record is validated
 * before anything is written: a malformed one fails the call with its path (`records.3.quantity`)
 * and stores nothing. Records are written in atomic chunks together with the periods they touch,
 * so a store fault loses nothing that a retry will not complete, and a concurrent finalization
 * is detected (store conflict) and the chunk retried against the new state.
 */
export async function ingestUsage(store: Store, input: readonly UsageRecordInput[]): Promise<UsageIngestResult> {
  const records = parseWith(z.array(BillableUsageRecordSchema), input, { what: 'usage records', prefix: 'records' });
  const unique = new Map<string, UsageRecord>();
  let duplicates = 0;
  for (const record of records) {
    const key = recordKeyOf(record);
    if (unique.has(key)) duplicates += 1;
    else unique.set(key, record);
  }
  const result: UsageIngestResult = { inserted: 0, duplicates, late: 0 };
  const entries = [...unique.entries()];
  for (let start = 0; start < entries.length; start += CHUNK) {
    const chunk = entries.slice(start, start + CHUNK);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcome = await ingestChunk(store, chunk);
        result.inserted += outcome.inserted;
        result.duplicates += outcome.duplicates;
        result.late += outcome.late;
        break;
      } catch (error) {
        if (!(OcxError.is(error) && error.code === 'conflict') || attempt >= ATTEMPTS) throw error;
      }
    }
  }
  return result;
}

async function ingestChunk(store: Store, chunk: ReadonlyArray<[string, UsageRecord]>): Promise<UsageIngestResult> {
  const outcome: UsageIngestResult = { inserted: 0, duplicates: 0, late: 0 };
  const periods = new Map<string, PeriodRead>();
  const touched = new Map<string, PeriodRead>();
  const lateMarkers = new Set<string>();
  const operations: StoreOperation[] = [];
  for (const [recordKey, record] of chunk) {
    if ((await store.get(COLLECTIONS.usageIndex, recordKey)) !== undefined) {
      outcome.duplicates += 1;
      continue;
    }
    const startMs = Date.parse(record.window.start);
    const endMs = Date.parse(record.window.end);
    const spans = billingPeriodsBetween(startMs, endMs);
    const pieces = splitQuantity(
      startMs,
      endMs,
      Decimal.from(record.quantity),
      spans.map((period) => Date.parse(period.start)),
    );
    const placed: string[] = [];
    let late = false;
    for (const [index, piece] of pieces.entries()) {
      const period = spans[index]!.id;
      const target = await billingTarget(store, period, periods);
      const lateFor = target.state.id === period ? undefined : target.state.id;
      if (lateFor !== undefined) {
        late = true;
        lateMarkers.add(`${lateFor}|${period}`);
      }
      touched.set(target.state.id, target);
      const part: StoredUsagePart = {
        ...toPart(record, recordKey, index),
        quantity: piece.quantity.toString(),
        startMs: piece.startMs,
        endMs: piece.endMs,
        ...(lateFor === undefined ? {} : { lateFor }),
      };
      const key = usagePartKey(period, recordKey, index);
      operations.push({ type: 'put', collection: COLLECTIONS.usage, key, value: part, expectedVersion: 0 });
      placed.push(key);
    }
    operations.push({
      type: 'put',
      collection: COLLECTIONS.usageIndex,
      key: recordKey,
      value: { parts: placed },
      expectedVersion: 0,
    });
    outcome.inserted += 1;
    if (late) outcome.late += 1;
  }
  if (outcome.inserted === 0) return outcome;
  for (const marker of lateMarkers) {
    const [target, period] = marker.split('|') as [string, string];
    operations.push({ type: 'put', collection: COLLECTIONS.late, key: marker, value: { target, period } });
  }
  // Bumping each touched period's revision makes this write and a finalization of that period exclusive.
  for (const read of touched.values()) {
    operations.push({
      type: 'put',
      collection: COLLECTIONS.periods,
      key: read.state.id,
      value: { ...read.state, revision: read.state.revision + 1 },
      expectedVersion: read.version,
    });
  }
  await store.batch(operations);
  return outcome;
}

function toPart(record: UsageRecord, recordKey: string, index: number): UsagePart {
  return {
    key: `${recordKey}|${index}`,
    landlord: record.landlord,
    service: record.service,
    organization: record.subject.organization,
    project: record.subject.project,
    ...(record.subject.user === undefined ? {} : { user: record.subject.user }),
    resourceId: record.resource.id,
    resourceType: record.resource.type,
    ...(record.resource.name === undefined ? {} : { resourceName: record.resource.name }),
    metric: record.metric,
    unit: record.unit,
    quantity: record.quantity,
    startMs: Date.parse(record.window.start),
    endMs: Date.parse(record.window.end),
    ...(record.attributes === undefined ? {} : { attributes: record.attributes }),
  };
}
