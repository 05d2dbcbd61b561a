import { Decimal } from '@ocx/core';

/** One piece of a quantity split over time. */
export interface QuantityPiece {
  startMs: number;
  endMs: number;
  quantity: Decimal;
}

/** Digits kept when a share of a quantity does not divide exactly. */
export const PRORATION_SCALE = 9;

/**
 * Split a quantity used evenly over `[startMs, endMs)` at the given boundaries, in proportion to
 * time. Shares that do not divide exactly keep {@link PRORATION_SCALE} digits, and the last piece
 * takes what is left, so the pieces always add up to the quantity exactly: proration never
 * creates or loses a unit.
 */
export function splitQuantity(
  startMs: number,
  endMs: number,
  quantity: Decimal,
  boundaries: readonly number[],
): QuantityPiece[] {
  const cuts = [...new Set(boundaries.filter((at) => at > startMs && at < endMs))].sort((a, b) => a - b);
  if (cuts.length === 0) return [{ startMs, endMs, quantity }];
  const duration = BigInt(endMs - startMs);
  const pieces: QuantityPiece[] = [];
  let assigned = Decimal.ZERO;
  let from = startMs;
  for (const to of [...cuts, endMs]) {
    const share =
      to === endMs
        ? quantity.subtract(assigned)
        : quantity
            .multiply(Decimal.from(BigInt(to - from)))
            .divide(Decimal.from(duration), Math.max(PRORATION_SCALE, quantity.scale), 'half-even');
    assigned = assigned.add(share);
    pieces.push({ startMs: from, endMs: to, quantity: share });
    from = to;
  }
  return pieces;
}

/** Midnight UTC boundaries strictly inside `[startMs, endMs)`. */
export function dayBoundaries(startMs: number, endMs: number): number[] {
  const day = 86_400_000;
  const boundaries: number[] = [];
  for (let at = Math.floor(startMs / day) * day + day; at < endMs; at += day) boundaries.push(at);
  return boundaries;
}
