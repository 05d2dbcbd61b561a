import { Decimal } from '@ocx/core';
import { splitQuantity } from '../period/split-quantity.js';
import type { Outage } from '../price-list/price-list-schema.js';

/** Outage intervals as merged, sorted millisecond ranges, per list (computed once per rating run). */
export interface OutageIndex {
  intervalsFor(service: string, metric: string): ReadonlyArray<readonly [number, number]>;
}

/** Index a price list's outage windows by the service and metric they affect. */
export function indexOutages(outages: readonly Outage[]): OutageIndex {
  const cache = new Map<string, Array<[number, number]>>();
  return {
    intervalsFor(service, metric) {
      const cacheKey = `${service}\u0000${metric}`;
      let merged = cache.get(cacheKey);
      if (merged === undefined) {
        const ranges = outages
          .filter(
            (outage) =>
              (outage.services === undefined || outage.services.includes(service)) &&
              (outage.metrics === undefined || outage.metrics.includes(metric)),
          )
          .map((outage): [number, number] => [Date.parse(outage.start), Date.parse(outage.end)])
          .sort((a, b) => a[0] - b[0]);
        merged = [];
        for (const range of ranges) {
          const last = merged[merged.length - 1];
          if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
          else merged.push([range[0], range[1]]);
        }
        cache.set(cacheKey, merged);
      }
      return merged;
    },
  };
}

/**
 * The part of a quantity used evenly over `[startMs, endMs)` that falls inside outage windows.
 * The split is the exact proration of {@link splitQuantity}, so credited + billable = quantity.
 */
export function outageShare(
  startMs: number,
  endMs: number,
  quantity: Decimal,
  intervals: ReadonlyArray<readonly [number, number]>,
): Decimal {
  const overlapping = intervals.filter(([from, to]) => from < endMs && to > startMs);
  if (overlapping.length === 0) return Decimal.ZERO;
  const boundaries = overlapping.flat();
  let credited = Decimal.ZERO;
  for (const piece of splitQuantity(startMs, endMs, quantity, boundaries)) {
    if (overlapping.some(([from, to]) => piece.startMs >= from && piece.endMs <= to))
      credited = credited.add(piece.quantity);
  }
  return credited;
}
