import { Decimal } from '@ocx/core';
import { DEFAULT_ROUNDING, type Rounding } from '../money/rounding.js';
import type { BillingPeriod } from '../period/billing-period.js';
import type { BillingPriceList } from '../price-list/price-list-schema.js';
import { aggregateLines, lineIdOf } from './aggregate-lines.js';
import { type LineGranularity, preparePieces } from './prepare-pieces.js';
import { priceGroups } from './price-groups.js';
import type { RatedLine } from './rated-line.js';
import type { AllocationInterval, UnratedUsage, UsagePart } from './usage-part.js';

/** What rating one period produced. */
export interface RatingResult {
  period: BillingPeriod;
  lines: RatedLine[];
  /** Usage no price list, version or rate covers: reported, never silently dropped. */
  unrated: UnratedUsage[];
}

/** Input of {@link ratePeriod}. */
export interface RatePeriodInput {
  period: BillingPeriod;
  usage: Iterable<UsagePart>;
  allocations?: Iterable<AllocationInterval>;
  /** One price list per landlord. */
  priceLists: ReadonlyMap<string, BillingPriceList> | readonly BillingPriceList[];
  granularity?: LineGranularity;
  rounding?: Rounding;
}

/**
 * Rate one billing period: usage parts and quota intervals become rated lines in exact decimal
 * money. A pure function of its input: rating the same input twice gives the same lines.
 *
 * @example
 * ```ts
 * const { lines } = ratePeriod({ period: billingPeriod('2026-11'), usage: parts, priceLists: [list] });
 * ```
 */
export function ratePeriod(input: RatePeriodInput): RatingResult {
  const priceLists = Array.isArray(input.priceLists)
    ? new Map((input.priceLists as readonly BillingPriceList[]).map((list) => [list.landlord, list]))
    : (input.priceLists as ReadonlyMap<string, BillingPriceList>);
  const granularity = input.granularity ?? 'day';
  const rounding = input.rounding ?? DEFAULT_ROUNDING;
  const periodStartMs = Date.parse(input.period.start);
  const periodEndMs = Date.parse(input.period.end);
  const { pieces, unrated } = preparePieces({
    period: input.period,
    usage: input.usage,
    allocations: input.allocations ?? [],
    priceLists,
    granularity,
  });
  const { slices, minimums } = priceGroups(pieces, periodStartMs, periodEndMs);
  const lines = aggregateLines({
    period: input.period.id,
    periodStartMs,
    periodEndMs,
    slices,
    minimums,
    granularity,
    rounding,
  });
  unrated.sort((a, b) =>
    a.key === b.key ? (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0) : a.key < b.key ? -1 : 1,
  );
  return { period: input.period, lines, unrated };
}

/**
 * Correction lines for a finalized period: what rating it again (with late usage) adds to what
 * was billed before, line by line, billed in `targetPeriod`. Lines that did not change are left out.
 */
export function correctionLines(
  before: readonly RatedLine[],
  after: readonly RatedLine[],
  targetPeriod: string,
  correctionOf: string,
): RatedLine[] {
  const previous = new Map(before.map((line) => [line.aggregationKey, line]));
  const current = new Map(after.map((line) => [line.aggregationKey, line]));
  const keys = [...new Set([...previous.keys(), ...current.keys()])].sort();
  const corrections: RatedLine[] = [];
  for (const key of keys) {
    const old = previous.get(key);
    const now = current.get(key);
    const base = (now ?? old)!;
    const delta = (field: 'quantity' | 'pricingQuantity' | 'amount'): Decimal =>
      Decimal.from(now?.[field] ?? '0').subtract(old?.[field] ?? '0');
    const amount = delta('amount');
    const quantity = delta('quantity');
    if (amount.isZero() && quantity.isZero()) continue;
    const aggregationKey = `correction|${targetPeriod}|${key}`;
    corrections.push({
      ...base,
      lineId: lineIdOf(targetPeriod, aggregationKey),
      period: targetPeriod,
      correctionOf,
      quantity: quantity.toString(),
      pricingQuantity: delta('pricingQuantity').toString(),
      amount: amount.toString(),
      sources: Math.abs((now?.sources ?? 0) - (old?.sources ?? 0)),
      aggregationKey,
    });
  }
  return corrections;
}
