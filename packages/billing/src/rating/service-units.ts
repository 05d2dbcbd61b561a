import { Decimal } from '@ocx/core';
import { PRORATION_SCALE } from '../period/split-quantity.js';
import type { ServiceUnit } from '../price-list/price-list-schema.js';

const HOUR_MS = 3_600_000n;

/**
 * The SU quantity of one resource over one window: the largest component ratio
 * (`quantity / perUnit`), as NERC defines GPU/CPU/RAM SUs. With `roundUp`, the SU count per hour
 * is rounded up to a whole SU first (a 1.5-SU instance is billed 2 SU·h per hour).
 *
 * The comparison is done on exact fractions with bigints; only the final quotient is rounded to
 * {@link PRORATION_SCALE} digits when it does not terminate (a `perUnit` of 3, say).
 */
export function serviceUnitQuantity(
  unit: ServiceUnit,
  quantities: ReadonlyMap<string, Decimal>,
  durationMs: number,
): Decimal {
  // Each ratio as numerator/denominator over integers: (q.c · 10^p.s) / (p.c · 10^q.s).
  let bestNumerator = 0n;
  let bestDenominator = 1n;
  for (const component of unit.components) {
    const quantity = quantities.get(component.metric) ?? Decimal.ZERO;
    const perUnit = Decimal.from(component.perUnit);
    const numerator = quantity.coefficient * 10n ** BigInt(perUnit.scale);
    const denominator = perUnit.coefficient * 10n ** BigInt(quantity.scale);
    if (numerator * bestDenominator > bestNumerator * denominator) {
      bestNumerator = numerator;
      bestDenominator = denominator;
    }
  }
  if (bestNumerator <= 0n) return Decimal.ZERO;
  if (!unit.roundUp)
    return Decimal.from(bestNumerator).divide(Decimal.from(bestDenominator), PRORATION_SCALE, 'half-even');
  // SUs held during the window = ratio / hours = ratio · 3.6e6 / durationMs, rounded up.
  const duration = BigInt(durationMs);
  const top = bestNumerator * HOUR_MS;
  const bottom = bestDenominator * duration;
  const count = (top + bottom - 1n) / bottom;
  return Decimal.from(count * duration).divide(Decimal.from(HOUR_MS), PRORATION_SCALE, 'half-even');
}
