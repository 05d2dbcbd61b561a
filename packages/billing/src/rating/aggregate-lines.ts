import { Decimal } from '@ocx/core';
import { type Rounding, roundMoney } from '../money/rounding.js';
import { lineIdOf } from './line-id.js';
import type { LineGranularity } from './prepare-pieces.js';
import type { MinimumCharge, PricedSlice } from './price-groups.js';
import type { RatedLine } from './rated-line.js';

const DAY_MS = 86_400_000;

export { lineIdOf };

interface Accumulator {
  line: RatedLine;
  quantity: Decimal;
  pricingQuantity: Decimal;
  amount: Decimal;
  sources: number;
}

/**
 * Add priced slices up into rated lines: one per period, category, landlord, service, subject,
 * resource, metric, price-list version, tier, unit price and window (a day or the period).
 * Amounts are added exactly and rounded once per line when rounding is per line.
 */
export function aggregateLines(input: {
  period: string;
  periodStartMs: number;
  periodEndMs: number;
  slices: readonly PricedSlice[];
  minimums: readonly MinimumCharge[];
  granularity: LineGranularity;
  rounding: Rounding;
}): RatedLine[] {
  const lines = new Map<string, Accumulator>();
  const isoCache = new Map<number, string>();
  const iso = (ms: number): string => {
    let text = isoCache.get(ms);
    if (text === undefined) {
      text = new Date(ms).toISOString();
      isoCache.set(ms, text);
    }
    return text;
  };
  const priceText = new Map<Decimal, string>();
  const windowOf = (startMs: number, fromMs: number, toMs: number): [number, number] => {
    const coverFrom = Math.max(fromMs, input.periodStartMs);
    const coverTo = Math.min(toMs, input.periodEndMs);
    if (input.granularity === 'period') return [coverFrom, coverTo];
    const day = Math.floor(startMs / DAY_MS) * DAY_MS;
    return [Math.max(day, coverFrom), Math.min(day + DAY_MS, coverTo)];
  };
  for (const slice of input.slices) {
    const { piece } = slice;
    const [start, end] = windowOf(piece.startMs, piece.effective.fromMs, piece.effective.toMs);
    let unitPrice = priceText.get(slice.unitPrice);
    if (unitPrice === undefined) {
      unitPrice = slice.unitPrice.toString();
      priceText.set(slice.unitPrice, unitPrice);
    }
    const aggregationKey = `${input.period}|${piece.category}|${piece.currency}|${piece.landlord}|${piece.service}|${piece.organization}|${piece.project}|${piece.user ?? ''}|${piece.resource.id}|${piece.metric}|${piece.priceListId}|${piece.effective.version.version}|${slice.tier ?? ''}|${unitPrice}|${iso(start)}`;
    let accumulator = lines.get(aggregationKey);
    if (accumulator === undefined) {
      const line: RatedLine = {
        lineId: lineIdOf(input.period, aggregationKey),
        period: input.period,
        category: piece.category,
        window: { start: iso(start), end: iso(end) },
        currency: piece.currency,
        landlord: piece.landlord,
        service: piece.service,
        organization: piece.organization,
        project: piece.project,
        resource: piece.resource,
        metric: piece.metric,
        unit: piece.unit,
        quantity: '0',
        pricingQuantity: '0',
        pricingUnit: slice.pricingUnit,
        unitPrice,
        amount: '0',
        priceListId: piece.priceListId,
        priceListVersion: piece.effective.version.version,
        fundedBy: 'landlord',
        aggregationKey,
        sources: 0,
      };
      if (piece.user !== undefined) line.user = piece.user;
      if (slice.tier !== undefined) line.tier = slice.tier;
      if (piece.rate.description !== undefined) line.description = piece.rate.description;
      accumulator = { line, quantity: Decimal.ZERO, pricingQuantity: Decimal.ZERO, amount: Decimal.ZERO, sources: 0 };
      lines.set(aggregationKey, accumulator);
    }
    accumulator.quantity = accumulator.quantity.add(slice.quantity);
    accumulator.pricingQuantity = accumulator.pricingQuantity.add(slice.pricingQuantity);
    accumulator.amount = accumulator.amount.add(slice.amount);
    accumulator.sources += 1;
  }
  const rated = [...lines.values()].map((accumulator) => finish(accumulator, input.rounding));
  for (const minimum of input.minimums) rated.push(minimumLine(input.period, minimum, input.rounding));
  return rated.sort(compareLines);
}

/** Lines in time order, then by what they add up: the order of a bill, and a stable one. */
export function compareLines(a: RatedLine, b: RatedLine): number {
  if (a.window.start !== b.window.start) return a.window.start < b.window.start ? -1 : 1;
  return a.aggregationKey < b.aggregationKey ? -1 : a.aggregationKey > b.aggregationKey ? 1 : 0;
}

function finish(accumulator: Accumulator, rounding: Rounding): RatedLine {
  const amount = rounding.level === 'line' ? roundMoney(accumulator.amount, rounding) : accumulator.amount;
  const { line } = accumulator;
  line.quantity = accumulator.quantity.toString();
  line.pricingQuantity = accumulator.pricingQuantity.toString();
  line.amount = amount.toString();
  line.sources = accumulator.sources;
  return line;
}

function minimumLine(period: string, minimum: MinimumCharge, rounding: Rounding): RatedLine {
  const { first } = minimum;
  const user = minimum.scope === 'user' ? first.user : undefined;
  const resource = minimum.scope === 'resource' ? first.resource : undefined;
  const aggregationKey = [
    period,
    'minimum',
    first.currency,
    first.landlord,
    first.rate.service ?? '*',
    first.organization,
    first.project,
    user ?? '',
    resource?.id ?? '',
    first.rate.metric,
    first.priceListId,
    first.effective.version.version,
  ].join('|');
  const amount = rounding.level === 'line' ? roundMoney(minimum.amount, rounding) : minimum.amount;
  return {
    lineId: lineIdOf(period, aggregationKey),
    period,
    category: 'minimum',
    window: { start: new Date(minimum.windowStartMs).toISOString(), end: new Date(minimum.windowEndMs).toISOString() },
    currency: first.currency,
    landlord: first.landlord,
    service: first.rate.service ?? first.service,
    organization: first.organization,
    project: first.project,
    ...(user === undefined ? {} : { user }),
    ...(resource === undefined ? {} : { resource }),
    metric: first.rate.metric,
    unit: first.unit,
    quantity: '0',
    pricingQuantity: '1',
    pricingUnit: 'minimum charge',
    unitPrice: amount.toString(),
    amount: amount.toString(),
    tier: 'minimum charge',
    priceListId: first.priceListId,
    priceListVersion: first.effective.version.version,
    fundedBy: 'landlord',
    aggregationKey,
    sources: 0,
    description: `Minimum charge of ${first.rate.minimumCharge} for ${first.rate.metric}`,
  };
}
