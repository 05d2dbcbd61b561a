import { Decimal } from '@ocx/core';
import { PRORATION_SCALE } from '../period/split-quantity.js';
import type { Rate } from '../price-list/price-list-schema.js';
import type { PricedPiece } from './priced-piece.js';

const TIERS = Array.from({ length: 16 }, (_, index) => `tier ${index + 1}`);
const VOLUME_TIERS = Array.from({ length: 16 }, (_, index) => `volume tier ${index + 1}`);

/** A priced share of one piece: consumed units, priced units, unit price and the exact amount. */
export interface PricedSlice {
  piece: PricedPiece;
  tier?: string;
  quantity: Decimal;
  pricingQuantity: Decimal;
  pricingUnit: string;
  unitPrice: Decimal;
  amount: Decimal;
}

/** The top-up of one aggregation scope to its rate's (prorated) minimum charge. */
export interface MinimumCharge {
  first: PricedPiece;
  scope: 'organization' | 'project' | 'user' | 'resource';
  windowStartMs: number;
  windowEndMs: number;
  amount: Decimal;
}

/**
 * Price pieces per period, price-list version, rate and aggregation scope. Free allowances, tier
 * thresholds and minimums apply per scope and period; a version that covers only part of the
 * period gets them in proportion to the time it covers (the proration at a price change).
 * Units are consumed in time order, so the first units used in a month are the first tier's.
 */
export function priceGroups(
  pieces: readonly PricedPiece[],
  periodStartMs: number,
  periodEndMs: number,
): { slices: PricedSlice[]; minimums: MinimumCharge[] } {
  const groups = new Map<string, PricedPiece[]>();
  for (const piece of pieces) {
    const key = groupKey(piece);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [piece]);
    else group.push(piece);
  }
  const slices: PricedSlice[] = [];
  const minimums: MinimumCharge[] = [];
  // Groups of one rate and version share its parsed, prorated prices: parse them once.
  const prepared = new Map<Rate, Map<string, PreparedRate>>();
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    if (group.length > 1) group.sort(byTimeThenResource);
    const first = group[0]!;
    const coverFrom = Math.max(first.effective.fromMs, periodStartMs);
    const coverTo = Math.min(first.effective.toMs, periodEndMs);
    let byCover = prepared.get(first.rate);
    if (byCover === undefined) {
      byCover = new Map();
      prepared.set(first.rate, byCover);
    }
    let rate = byCover.get(`${coverFrom}:${coverTo}`);
    if (rate === undefined) {
      rate = prepareRate(first.rate, coverTo - coverFrom, periodEndMs - periodStartMs);
      byCover.set(`${coverFrom}:${coverTo}`, rate);
    }
    const groupSlices = priceGroup(group, rate);
    slices.push(...groupSlices);
    if (rate.minimum !== undefined) {
      // A minimum applies to scopes that used the metric: records of zero quantity do not count.
      const used = group.some(
        (piece) => !piece.quantity.isZero() || !piece.outageQuantity.isZero() || !piece.stoppedQuantity.isZero(),
      );
      const charged = Decimal.sum(groupSlices.map((slice) => slice.amount));
      if (used && charged.compare(rate.minimum) < 0) {
        minimums.push({
          first,
          scope: first.rate.aggregation,
          windowStartMs: coverFrom,
          windowEndMs: coverTo,
          amount: rate.minimum.subtract(charged),
        });
      }
    }
  }
  return { slices, minimums };
}

/** A rate's numbers parsed, with allowance, thresholds and minimum prorated to the share of the period its version covers. */
interface PreparedRate {
  rate: Rate;
  allowance: Decimal;
  thresholds: Array<Decimal | null>;
  prices: Decimal[];
  unitPrice: Decimal;
  minimum: Decimal | undefined;
}

function prepareRate(rate: Rate, coveredMs: number, periodMs: number): PreparedRate {
  const prorate = (value: Decimal): Decimal =>
    coveredMs === periodMs
      ? value
      : value
          .multiply(Decimal.from(coveredMs))
          .divide(Decimal.from(periodMs), Math.max(PRORATION_SCALE, value.scale), 'half-even');
  const pricing = rate.pricing;
  return {
    rate,
    allowance: rate.freeAllowance === undefined ? Decimal.ZERO : prorate(Decimal.from(rate.freeAllowance)),
    thresholds:
      'tiers' in pricing
        ? pricing.tiers.map((tier) => (tier.upTo === null ? null : prorate(Decimal.from(tier.upTo))))
        : [],
    prices: 'tiers' in pricing ? pricing.tiers.map((tier) => Decimal.from(tier.unitPrice)) : [],
    unitPrice: pricing.model === 'unit' ? Decimal.from(pricing.unitPrice) : Decimal.ZERO,
    minimum: rate.minimumCharge === undefined ? undefined : prorate(Decimal.from(rate.minimumCharge)),
  };
}

/** The scope whose usage shares tiers, allowances and minimums. */
export function scopeKey(piece: PricedPiece): string {
  switch (piece.rate.aggregation) {
    case 'organization':
      return piece.organization;
    case 'project':
      return `${piece.organization}/${piece.project}`;
    case 'user':
      return `${piece.organization}/${piece.project}/${piece.user ?? ''}`;
    case 'resource':
      return `${piece.organization}/${piece.project}/${piece.resource.id}`;
  }
}

function groupKey(piece: PricedPiece): string {
  return [
    piece.currency,
    piece.landlord,
    piece.priceListId,
    piece.effective.version.version,
    piece.rate.charging,
    piece.rate.service ?? '*',
    piece.rate.metric,
    scopeKey(piece),
  ].join('\u0000');
}

function byTimeThenResource(a: PricedPiece, b: PricedPiece): number {
  if (a.startMs !== b.startMs) return a.startMs - b.startMs;
  if (a.resource.id !== b.resource.id) return a.resource.id < b.resource.id ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function priceGroup(group: readonly PricedPiece[], prepared: PreparedRate): PricedSlice[] {
  const slices: PricedSlice[] = [];
  const free = (piece: PricedPiece, tier: string, quantity: Decimal): void => {
    if (!quantity.isZero())
      slices.push({
        piece,
        tier,
        quantity,
        pricingQuantity: quantity,
        pricingUnit: piece.unit,
        unitPrice: Decimal.ZERO,
        amount: Decimal.ZERO,
      });
  };
  const charge = (piece: PricedPiece, tier: string | undefined, quantity: Decimal, unitPrice: Decimal): void => {
    slices.push({
      piece,
      ...(tier === undefined ? {} : { tier }),
      quantity,
      pricingQuantity: quantity,
      pricingUnit: piece.unit,
      unitPrice,
      amount: quantity.multiply(unitPrice),
    });
  };
  const pricing = prepared.rate.pricing;
  const { thresholds, prices: tierPrices, unitPrice } = prepared;
  let freeLeft = prepared.allowance;
  const volumeTier = pricing.model === 'volume' ? volumeTierIndex(group, freeLeft, thresholds) : 0;
  let billed = Decimal.ZERO;
  for (const piece of group) {
    free(piece, 'stopped', piece.stoppedQuantity);
    free(piece, 'outage credit', piece.outageQuantity);
    let quantity = piece.quantity;
    if (quantity.isZero()) continue;
    const allowance = quantity.min(freeLeft);
    if (!allowance.isZero()) {
      free(piece, 'free allowance', allowance);
      freeLeft = freeLeft.subtract(allowance);
      quantity = quantity.subtract(allowance);
      if (quantity.isZero()) continue;
    }
    switch (pricing.model) {
      case 'unit':
        charge(piece, undefined, quantity, unitPrice);
        break;
      case 'graduated':
        graduated(piece, quantity, billed, tierPrices, thresholds, charge);
        break;
      case 'volume':
        charge(piece, VOLUME_TIERS[volumeTier] ?? `volume tier ${volumeTier + 1}`, quantity, tierPrices[volumeTier]!);
        break;
      case 'package': {
        const size = Decimal.from(pricing.packageSize);
        const packages = billed
          .add(quantity)
          .divide(size, 0, 'ceiling')
          .subtract(billed.divide(size, 0, 'ceiling'));
        const price = Decimal.from(pricing.packagePrice);
        slices.push({
          piece,
          tier: 'package',
          quantity,
          pricingQuantity: packages,
          pricingUnit: `package of ${pricing.packageSize} ${piece.unit}`,
          unitPrice: price,
          amount: packages.multiply(price),
        });
        break;
      }
    }
    billed = billed.add(quantity);
  }
  return slices;
}

function graduated(
  piece: PricedPiece,
  quantity: Decimal,
  billedBefore: Decimal,
  prices: readonly Decimal[],
  thresholds: ReadonlyArray<Decimal | null>,
  charge: (piece: PricedPiece, tier: string, quantity: Decimal, unitPrice: Decimal) => void,
): void {
  let position = billedBefore;
  let remaining = quantity;
  for (let index = 0; index < prices.length && !remaining.isZero(); index += 1) {
    const upTo = thresholds[index] ?? null;
    if (upTo !== null && position.compare(upTo) >= 0) continue;
    const take = upTo === null ? remaining : remaining.min(upTo.subtract(position));
    charge(piece, TIERS[index] ?? `tier ${index + 1}`, take, prices[index]!);
    position = position.add(take);
    remaining = remaining.subtract(take);
  }
}

/** Volume pricing: the tier that the scope's whole billable quantity of the period falls in. */
function volumeTierIndex(
  group: readonly PricedPiece[],
  allowance: Decimal,
  thresholds: ReadonlyArray<Decimal | null>,
): number {
  const consumed = Decimal.sum(group.map((piece) => piece.quantity));
  const billable = consumed.subtract(allowance.min(consumed));
  const index = thresholds.findIndex((upTo) => upTo === null || billable.compare(upTo) <= 0);
  return index < 0 ? thresholds.length - 1 : index;
}
