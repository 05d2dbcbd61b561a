import type { Decimal } from '@ocx/core';
import { z } from 'zod';

/**
 * How money is rounded. `level: 'line'` rounds every rated line (the classic invoice);
 * `level: 'invoice'` keeps lines exact and rounds once per invoice and payee, adding a visible
 * rounding line so the invoice still equals the sum of its lines to the last digit.
 */
export const RoundingSchema = z
  .object({
    level: z.enum(['line', 'invoice']).default('line'),
    /** Digits after the point of a billed amount (2 for cents). */
    scale: z.number().int().min(0).max(12).default(2),
    mode: z.enum(['half-up', 'half-even', 'half-down', 'up', 'down', 'ceiling', 'floor']).default('half-even'),
  })
  .strict();
export type Rounding = z.output<typeof RoundingSchema>;
export type RoundingInput = z.input<typeof RoundingSchema>;

/** The default rounding: per line, to cents, half-even (banker's rounding). */
export const DEFAULT_ROUNDING: Rounding = { level: 'line', scale: 2, mode: 'half-even' };

/** Round an amount to the rounding's scale and mode. */
export function roundMoney(amount: Decimal, rounding: Rounding): Decimal {
  return amount.round(rounding.scale, rounding.mode);
}

/** A canonical decimal string of an amount: `toString` of core's Decimal, never an exponent. */
export function money(amount: Decimal): string {
  return amount.toString();
}
