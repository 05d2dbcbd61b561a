import { Decimal, OcxError } from '@ocx/core';
import { DEFAULT_ROUNDING, type Rounding } from '../money/rounding.js';
import type { BillingPeriod } from '../period/billing-period.js';
import type { BillingPriceList, Rate } from '../price-list/price-list-schema.js';
import { type EffectiveVersion, effectiveVersions } from '../price-list/resolve-versions.js';
import { aggregateLines } from './aggregate-lines.js';
import { priceGroups } from './price-groups.js';
import type { PricedPiece } from './priced-piece.js';
import type { RatedLine } from './rated-line.js';

/**
 * Usage in columns: record `i` is (`landlord[i]`, `project[i]`, `metric[i]`) as indexes into the
 * dictionaries, its window start `startMs[i]`, and its quantity `quantity[i]` as a whole number of
 * `10^-quantityScale` units (micro-units by default).
 */
export interface UsageColumns {
  length: number;
  landlord: ArrayLike<number>;
  project: ArrayLike<number>;
  metric: ArrayLike<number>;
  startMs: ArrayLike<number>;
  quantity: ArrayLike<number>;
}

/** What the column indexes stand for. */
export interface ColumnDictionaries {
  landlords: readonly string[];
  projects: ReadonlyArray<{ id: string; organization: string }>;
  metrics: readonly string[];
}

/** What bulk rating produced: project-level lines, totals per currency, and what was not priced. */
export interface ColumnRatingResult {
  lines: RatedLine[];
  totals: Array<{ currency: string; amount: string }>;
  records: number;
  unrated: number;
}

/** A quantity below this adds exactly to a sum below it: both stay under 2^53 (see rateUsageColumns). */
const FLUSH_AT = 2 ** 52;

/**
 * Rate and aggregate many usage records fast: the bulk path of {@link ratePeriod} for usage
 * charged per project with landlord-wide rates (no service units, outages or state policies),
 * one record at a time in a tight loop over typed arrays.
 *
 * Why it is exact: quantities are whole numbers of micro-units held in float64, which represents
 * every integer below 2^53 exactly. Each record's quantity must be below 2^52 (checked), and a
 * running sum is moved into a bigint as soon as it reaches 2^52, so every addition is of two
 * integers below 2^52 whose sum is below 2^53 — never rounded. Prices are applied once per
 * (landlord, project, metric, version) group with the same Decimal pricing code as
 * {@link ratePeriod} (tiers, allowances, packages, minimums, proration), so the amounts are
 * identical to rating each record: graduated, volume and package prices depend only on the
 * group's total. Records are assigned to the price-list version in force at their start.
 *
 * @example
 * ```ts
 * const { totals } = rateUsageColumns(columns, dictionaries, { period: billingPeriod('2026-11'), priceLists });
 * ```
 */
export function rateUsageColumns(
  columns: UsageColumns,
  dictionaries: ColumnDictionaries,
  options: {
    period: BillingPeriod;
    priceLists: readonly BillingPriceList[];
    quantityScale?: number;
    rounding?: Rounding;
  },
): ColumnRatingResult {
  const scale = options.quantityScale ?? 6;
  const periodStartMs = Date.parse(options.period.start);
  const periodEndMs = Date.parse(options.period.end);
  const metricCount = dictionaries.metrics.length;
  const projectCount = dictionaries.projects.length;
  // One slot per (landlord, metric, version): its versions' ranges and rates, flattened for the loop.
  const slotFrom: number[] = [];
  const slotTo: number[] = [];
  const slotInfo: Array<{ list: BillingPriceList; effective: EffectiveVersion; rate: Rate } | undefined> = [];
  const firstSlot = new Int32Array(dictionaries.landlords.length * metricCount);
  const slotCount = new Int32Array(dictionaries.landlords.length * metricCount);
  dictionaries.landlords.forEach((landlord, landlordIndex) => {
    const list = options.priceLists.find((candidate) => candidate.landlord === landlord);
    dictionaries.metrics.forEach((metric, metricIndex) => {
      const cell = landlordIndex * metricCount + metricIndex;
      firstSlot[cell] = slotInfo.length;
      for (const effective of list === undefined ? [] : effectiveVersions(list)) {
        if (effective.toMs <= periodStartMs || effective.fromMs >= periodEndMs) continue;
        checkSupported(list!, effective);
        const rate = effective.version.rates.find(
          (candidate) => candidate.metric === metric && candidate.charging === 'usage',
        );
        slotFrom.push(effective.fromMs);
        slotTo.push(effective.toMs);
        slotInfo.push(rate === undefined ? undefined : { list: list!, effective, rate });
      }
      slotCount[cell] = slotInfo.length - firstSlot[cell]!;
    });
  });

  const sums = new Float64Array(slotInfo.length * projectCount);
  const overflow = new Map<number, bigint>();
  let unrated = 0;
  const { landlord, project, metric, startMs, quantity } = columns;
  for (let index = 0; index < columns.length; index += 1) {
    const cell = landlord[index]! * metricCount + metric[index]!;
    const at = startMs[index]!;
    let slot = firstSlot[cell]!;
    const end = slot + slotCount[cell]!;
    while (slot < end && !(at >= slotFrom[slot]! && at < slotTo[slot]!)) slot += 1;
    const amount = quantity[index]!;
    if (slot === end || slotInfo[slot] === undefined || at < periodStartMs || at >= periodEndMs) {
      unrated += 1;
      continue;
    }
    if (!(amount >= 0 && amount < FLUSH_AT && Number.isInteger(amount))) throw badQuantity(index, amount);
    const group = slot * projectCount + project[index]!;
    const sum = sums[group]! + amount;
    if (sum >= FLUSH_AT) {
      overflow.set(group, (overflow.get(group) ?? 0n) + BigInt(sum));
      sums[group] = 0;
    } else sums[group] = sum;
  }

  const pieces: PricedPiece[] = [];
  for (let group = 0; group < sums.length; group += 1) {
    const units = BigInt(sums[group]!) + (overflow.get(group) ?? 0n);
    if (units === 0n) continue;
    const info = slotInfo[Math.floor(group / projectCount)]!;
    const subject = dictionaries.projects[group % projectCount]!;
    const total = Decimal.from(units).divide(Decimal.from(10n ** BigInt(scale)), scale);
    pieces.push({
      key: `columns#${group}`,
      category: 'usage',
      currency: info.list.currency,
      priceListId: info.list.id,
      effective: info.effective,
      rate: info.rate,
      landlord: info.list.landlord,
      service: info.rate.service ?? '*',
      organization: subject.organization,
      project: subject.id,
      resource: { id: '*', type: 'aggregate' },
      metric: info.rate.metric,
      unit: info.rate.unit,
      startMs: Math.max(info.effective.fromMs, periodStartMs),
      endMs: Math.min(info.effective.toMs, periodEndMs),
      quantity: total,
      outageQuantity: Decimal.ZERO,
      stoppedQuantity: Decimal.ZERO,
    });
  }
  const { slices, minimums } = priceGroups(pieces, periodStartMs, periodEndMs);
  const lines = aggregateLines({
    period: options.period.id,
    periodStartMs,
    periodEndMs,
    slices,
    minimums,
    granularity: 'period',
    rounding: options.rounding ?? DEFAULT_ROUNDING,
  });
  const totals = new Map<string, Decimal>();
  for (const line of lines) totals.set(line.currency, (totals.get(line.currency) ?? Decimal.ZERO).add(line.amount));
  return {
    lines,
    totals: [...totals]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, amount]) => ({ currency, amount: amount.toString() })),
    records: columns.length,
    unrated,
  };
}

function checkSupported(list: BillingPriceList, effective: EffectiveVersion): void {
  const problem =
    list.outages.length > 0
      ? 'outage windows'
      : effective.version.serviceUnits.length > 0
        ? 'service units'
        : effective.version.rates.some(
              (rate) => rate.charging === 'usage' && (rate.service !== undefined || rate.aggregation !== 'project'),
            )
          ? 'service-specific rates or non-project aggregation'
          : undefined;
  if (problem !== undefined) {
    throw new OcxError({
      code: 'capability',
      message: `Bulk rating does not handle ${problem} (price list ${list.id}@${effective.version.version}); use ratePeriod`,
      fault: 'client',
    });
  }
}

function badQuantity(index: number, value: number): OcxError {
  return new OcxError({
    code: 'validation',
    message: `Usage column quantity ${index} is ${value}: expected a whole number of units in [0, 2^52)`,
    issues: [{ path: `quantity.${index}`, message: 'must be a non-negative integer below 2^52' }],
    fault: 'client',
  });
}
