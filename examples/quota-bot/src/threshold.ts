import { Decimal } from '@ocx/core';

/** Where a value stands against its limit: below the warning threshold, near it, or at/over the limit. */
export type ThresholdLevel = 'ok' | 'near' | 'over';

/**
 * Compare `value` with `limit` exactly (no floats): `over` at or above the limit, `near` at or
 * above `warnAtPercent` % of it, else `ok`. A zero limit with nothing used is `ok` (a resource the
 * project is simply not given), anything used against a zero limit is `over`.
 *
 * @example
 * ```ts
 * levelFor('8', '10', '80'); // 'near'
 * ```
 */
export function levelFor(value: string | Decimal, limit: string | Decimal, warnAtPercent: string): ThresholdLevel {
  const used = Decimal.from(value);
  const cap = Decimal.from(limit);
  if (cap.isZero()) return used.compare(Decimal.ZERO) > 0 ? 'over' : 'ok';
  if (used.compare(cap) >= 0) return 'over';
  return used.multiply('100').compare(cap.multiply(warnAtPercent)) >= 0 ? 'near' : 'ok';
}

/** `value` as a percentage of `limit`, one decimal, rounded half-up; null for a zero limit. */
export function percentOf(value: string | Decimal, limit: string | Decimal): string | null {
  const cap = Decimal.from(limit);
  if (cap.isZero()) return null;
  return Decimal.from(value).multiply('100').divide(cap, 1, 'half-up').toFixed(1);
}
