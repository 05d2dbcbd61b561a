import { parseWith, type Quota, QuotaSchema, type Store } from '@ocx/core';
import { z } from 'zod';
import type { ProjectProfile } from '../directory/project-profile.js';
import { billingPeriodsBetween } from '../period/billing-period.js';
import type { AllocationInterval } from '../rating/usage-part.js';
import { COLLECTIONS } from './storage-keys.js';

/** What recording quota history did. Only project quotas are billable; others are counted as skipped. */
export interface QuotaIngestResult {
  inserted: number;
  duplicates: number;
  skipped: number;
}

/**
 * Record quota history (as core's `exchange.quotas.history()` returns it) for allocation
 * charging. Idempotent: the same version of a quota is stored once. Validated first; a bad entry
 * fails the call with its path (`quotas.2.limit`) and stores nothing.
 */
export async function ingestQuotaHistory(store: Store, input: readonly Quota[]): Promise<QuotaIngestResult> {
  const quotas = parseWith(z.array(QuotaSchema), input, { what: 'quota history', prefix: 'quotas' });
  const billable = quotas.filter((quota) => quota.scope.kind === 'project');
  const { inserted, duplicates } = await store.insertMany(
    COLLECTIONS.quotas,
    billable.map((quota) => ({ key: quotaKey(quota), value: quota })),
  );
  return { inserted: inserted.length, duplicates: duplicates.length, skipped: quotas.length - billable.length };
}

function quotaKey(quota: Quota): string {
  return [quota.landlord, quota.service, quota.scope.id, encodeURIComponent(quota.resource), quota.effectiveFrom].join(
    '|',
  );
}

/**
 * The quota intervals inside `[startMs, endMs)`: each version of a limit holds from its
 * `effectiveFrom` until the next version of the same quota. Unlimited (`null`) limits bill nothing.
 */
export async function allocationIntervals(
  store: Store,
  startMs: number,
  endMs: number,
  profiles: ReadonlyMap<string, ProjectProfile>,
): Promise<AllocationInterval[]> {
  const series = new Map<string, Quota[]>();
  for await (const { value } of store.list<Quota>(COLLECTIONS.quotas)) {
    const key = [value.landlord, value.service, value.scope.id, value.resource].join('\u0000');
    const versions = series.get(key);
    if (versions === undefined) series.set(key, [value]);
    else versions.push(value);
  }
  const intervals: AllocationInterval[] = [];
  for (const key of [...series.keys()].sort()) {
    const versions = series.get(key)!.sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom));
    versions.forEach((quota, index) => {
      const from = Math.max(Date.parse(quota.effectiveFrom), startMs);
      const next = versions[index + 1];
      const to = Math.min(next === undefined ? endMs : Date.parse(next.effectiveFrom), endMs);
      if (quota.limit === null || to <= from) return;
      intervals.push({
        landlord: quota.landlord,
        service: quota.service,
        organization: profiles.get(quota.scope.id)?.organization ?? 'unassigned',
        project: quota.scope.id,
        resource: quota.resource,
        limit: quota.limit,
        startMs: from,
        endMs: to,
      });
    });
  }
  return intervals;
}

/**
 * Periods from the first recorded quota up to the one holding `nowMs`: quota history bills every
 * period it spans, usage or not, so each needs a period to be invoiced in.
 */
export async function quotaPeriods(store: Store, nowMs: number): Promise<string[]> {
  let earliest = Number.POSITIVE_INFINITY;
  for await (const { value } of store.list<Quota>(COLLECTIONS.quotas))
    if (value.limit !== null) earliest = Math.min(earliest, Date.parse(value.effectiveFrom));
  if (!Number.isFinite(earliest) || earliest > nowMs) return [];
  return billingPeriodsBetween(earliest, nowMs + 1).map((period) => period.id);
}
