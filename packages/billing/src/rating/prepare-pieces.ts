import { Decimal } from '@ocx/core';
import type { BillingPeriod } from '../period/billing-period.js';
import { dayBoundaries, PRORATION_SCALE, splitQuantity } from '../period/split-quantity.js';
import type { BillingPriceList, PriceListVersion, Rate, ServiceUnit } from '../price-list/price-list-schema.js';
import { type EffectiveVersion, effectiveVersions, findRate, serviceUnitsFor } from '../price-list/resolve-versions.js';
import { indexOutages, type OutageIndex, outageShare } from './outage-credit.js';
import type { PricedPiece } from './priced-piece.js';
import { serviceUnitQuantity } from './service-units.js';
import type { AllocationInterval, UnratedUsage, UsagePart } from './usage-part.js';

/** How finely lines are cut in time: one line per day, or one per period. */
export type LineGranularity = 'day' | 'period';

interface ListContext {
  list: BillingPriceList;
  versions: EffectiveVersion[];
  boundaries: number[];
  outages: OutageIndex;
}

interface VersionPiece {
  part: UsagePart;
  context: ListContext;
  effective: EffectiveVersion;
  startMs: number;
  endMs: number;
  quantity: Decimal;
  pieceIndex: number;
}

/** Turn usage parts and quota intervals of one period into priced pieces, and report what has no price. */
export function preparePieces(input: {
  period: BillingPeriod;
  usage: Iterable<UsagePart>;
  allocations: Iterable<AllocationInterval>;
  priceLists: ReadonlyMap<string, BillingPriceList>;
  granularity: LineGranularity;
}): { pieces: PricedPiece[]; unrated: UnratedUsage[] } {
  const periodStart = Date.parse(input.period.start);
  const periodEnd = Date.parse(input.period.end);
  const contexts = new Map<string, ListContext>();
  const contextOf = (landlord: string): ListContext | undefined => {
    let context = contexts.get(landlord);
    if (context === undefined) {
      const list = input.priceLists.get(landlord);
      if (list === undefined) return undefined;
      const versions = effectiveVersions(list);
      const boundaries = [
        periodStart,
        periodEnd,
        ...versions.flatMap((entry) => [entry.fromMs, entry.toMs]).filter(Number.isFinite),
      ];
      context = { list, versions, boundaries, outages: indexOutages(list.outages) };
      contexts.set(landlord, context);
    }
    return context;
  };
  const cut = (context: ListContext, startMs: number, endMs: number, quantity: Decimal) => {
    const days = input.granularity === 'day' ? dayBoundaries(startMs, endMs) : [];
    return splitQuantity(startMs, endMs, quantity, [...context.boundaries, ...days]).filter(
      (piece) => piece.startMs >= periodStart && piece.endMs <= periodEnd,
    );
  };
  const versionAt = (context: ListContext, atMs: number) =>
    context.versions.find((entry) => entry.fromMs <= atMs && atMs < entry.toMs);

  const unrated: UnratedUsage[] = [];
  const pieces: PricedPiece[] = [];
  const serviceUnitGroups = new Map<string, { unit: ServiceUnit; members: VersionPiece[] }>();

  for (const part of input.usage) {
    const context = contextOf(part.landlord);
    if (context === undefined) {
      unrated.push({
        key: part.key,
        landlord: part.landlord,
        service: part.service,
        metric: part.metric,
        reason: 'no-price-list',
      });
      continue;
    }
    cut(context, part.startMs, part.endMs, Decimal.from(part.quantity)).forEach((piece, pieceIndex) => {
      const effective = versionAt(context, piece.startMs);
      if (effective === undefined) {
        unrated.push({
          key: part.key,
          landlord: part.landlord,
          service: part.service,
          metric: part.metric,
          reason: 'no-version',
        });
        return;
      }
      const versionPiece: VersionPiece = {
        part,
        context,
        effective,
        startMs: piece.startMs,
        endMs: piece.endMs,
        quantity: piece.quantity,
        pieceIndex,
      };
      const unit = serviceUnitsFor(effective.version, part.service, part.resourceType).find((candidate) =>
        candidate.components.some((component) => component.metric === part.metric),
      );
      if (unit === undefined) {
        addUsagePiece(pieces, unrated, versionPiece, part.metric, piece.quantity, isStopped(part, effective.version));
        return;
      }
      const groupKey = [
        part.landlord,
        effective.version.version,
        part.service,
        part.organization,
        part.project,
        part.user ?? '',
        part.resourceId,
        piece.startMs,
        piece.endMs,
        unit.metric,
      ].join('\u0000');
      const group = serviceUnitGroups.get(groupKey) ?? { unit, members: [] };
      group.members.push(versionPiece);
      serviceUnitGroups.set(groupKey, group);
    });
  }

  for (const { unit, members } of serviceUnitGroups.values()) {
    const first = members[0]!;
    const quantities = new Map<string, Decimal>();
    for (const member of members)
      quantities.set(member.part.metric, (quantities.get(member.part.metric) ?? Decimal.ZERO).add(member.quantity));
    const quantity = serviceUnitQuantity(unit, quantities, first.endMs - first.startMs);
    const stopped = members.some((member) => isStopped(member.part, first.effective.version));
    const key = `${members
      .map((member) => `${member.part.key}#${member.pieceIndex}`)
      .sort()
      .join('+')}`;
    addUsagePiece(pieces, unrated, { ...first, part: { ...first.part, key } }, unit.metric, quantity, stopped);
  }

  for (const interval of input.allocations) {
    addAllocationPieces(pieces, unrated, interval, contextOf(interval.landlord), cut, versionAt);
  }
  return { pieces, unrated };
}

function isStopped(part: UsagePart, version: PriceListVersion): boolean {
  const state = part.attributes?.[version.policies.stateAttribute];
  return typeof state === 'string' && version.policies.stoppedStates.includes(state);
}

function addUsagePiece(
  pieces: PricedPiece[],
  unrated: UnratedUsage[],
  piece: VersionPiece,
  metric: string,
  quantity: Decimal,
  stopped: boolean,
): void {
  const { part, context, effective } = piece;
  const rate = findRate(effective.version, part.service, metric, 'usage');
  if (rate === undefined) {
    unrated.push({ key: part.key, landlord: part.landlord, service: part.service, metric, reason: 'no-rate' });
    return;
  }
  const notCharged = stopped && !(rate.chargeStopped ?? effective.version.policies.chargeStopped);
  const outageQuantity = notCharged
    ? Decimal.ZERO
    : outageShare(piece.startMs, piece.endMs, quantity, context.outages.intervalsFor(part.service, metric));
  pieces.push({
    key: `${part.key}#${piece.pieceIndex}`,
    category: 'usage',
    currency: context.list.currency,
    priceListId: context.list.id,
    effective,
    rate,
    landlord: part.landlord,
    service: part.service,
    organization: part.organization,
    project: part.project,
    ...(part.user === undefined ? {} : { user: part.user }),
    resource: {
      id: part.resourceId,
      type: part.resourceType,
      ...(part.resourceName === undefined ? {} : { name: part.resourceName }),
    },
    metric,
    unit: rate.unit,
    startMs: piece.startMs,
    endMs: piece.endMs,
    quantity: notCharged ? Decimal.ZERO : quantity.subtract(outageQuantity),
    outageQuantity,
    stoppedQuantity: notCharged ? quantity : Decimal.ZERO,
  });
}

function allocationRate(version: PriceListVersion, service: string, resource: string): Rate | undefined {
  const candidates = version.rates.filter((rate) => rate.charging === 'allocation' && rate.quotaResource === resource);
  return candidates.find((rate) => rate.service === service) ?? candidates.find((rate) => rate.service === undefined);
}

function addAllocationPieces(
  pieces: PricedPiece[],
  unrated: UnratedUsage[],
  interval: AllocationInterval,
  context: ListContext | undefined,
  cut: (
    context: ListContext,
    startMs: number,
    endMs: number,
    quantity: Decimal,
  ) => Array<{ startMs: number; endMs: number }>,
  versionAt: (context: ListContext, atMs: number) => EffectiveVersion | undefined,
): void {
  const key = `quota:${interval.landlord}/${interval.service}/${interval.project}/${interval.resource}@${interval.startMs}`;
  const metric = `quota:${interval.resource}`;
  if (context === undefined) {
    unrated.push({ key, landlord: interval.landlord, service: interval.service, metric, reason: 'no-price-list' });
    return;
  }
  const limit = Decimal.from(interval.limit);
  cut(context, interval.startMs, interval.endMs, Decimal.ZERO).forEach((piece, pieceIndex) => {
    const effective = versionAt(context, piece.startMs);
    const rate =
      effective === undefined ? undefined : allocationRate(effective.version, interval.service, interval.resource);
    if (effective === undefined || rate === undefined) {
      unrated.push({
        key,
        landlord: interval.landlord,
        service: interval.service,
        metric,
        reason: effective === undefined ? 'no-version' : 'no-rate',
      });
      return;
    }
    // limit × hours held; exact whenever the interval is a whole number of 0.36-second steps.
    const quantity = limit
      .multiply(Decimal.from(piece.endMs - piece.startMs))
      .divide(Decimal.from(3_600_000), Math.max(PRORATION_SCALE, limit.scale), 'half-even');
    const outageQuantity = outageShare(
      piece.startMs,
      piece.endMs,
      quantity,
      context.outages.intervalsFor(interval.service, rate.metric),
    );
    pieces.push({
      key: `${key}#${pieceIndex}`,
      category: 'allocation',
      currency: context.list.currency,
      priceListId: context.list.id,
      effective,
      rate,
      landlord: interval.landlord,
      service: interval.service,
      organization: interval.organization,
      project: interval.project,
      resource: { id: `${interval.service}:${interval.resource}`, type: 'quota' },
      metric: rate.metric,
      unit: rate.unit,
      startMs: piece.startMs,
      endMs: piece.endMs,
      quantity: quantity.subtract(outageQuantity),
      outageQuantity,
      stoppedQuantity: Decimal.ZERO,
    });
  });
}
