import { CurrencySchema, Decimal, DecimalStringSchema, IdSchema, OrganizationIdSchema } from '@ocx/core';
import { z } from 'zod';

const PeriodIdSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a period such as "2026-11"');

/**
 * A credit (a fixed amount off) or a discount (a percentage off) on one project's invoice of one
 * period, optionally only on one landlord's or service's charges. Who funds it decides whose
 * settlement it reduces: the landlord's, or the exchange's (a new-PI credit, a subsidy).
 */
export const AdjustmentSchema = z
  .object({
    id: IdSchema,
    period: PeriodIdSchema,
    kind: z.enum(['credit', 'discount']),
    organization: OrganizationIdSchema,
    project: IdSchema,
    description: z.string().min(1).max(500),
    /** Credits: the amount, in `currency`. */
    amount: DecimalStringSchema.optional(),
    currency: CurrencySchema.optional(),
    /** Discounts: the percentage of the matching charges, `0 < percent <= 100`. */
    percent: DecimalStringSchema.optional(),
    landlord: IdSchema.optional(),
    service: IdSchema.optional(),
    fundedBy: z.enum(['landlord', 'exchange']).optional(),
  })
  .strict()
  .superRefine((adjustment, context) => {
    const positive = (text: string | undefined) =>
      text !== undefined && Decimal.isDecimalString(text) && Decimal.from(text).compare('0') > 0;
    if (adjustment.kind === 'credit') {
      if (!positive(adjustment.amount))
        context.addIssue({ code: 'custom', path: ['amount'], message: 'a credit needs a positive amount' });
      if (adjustment.currency === undefined)
        context.addIssue({ code: 'custom', path: ['currency'], message: 'a credit needs a currency' });
      if (adjustment.percent !== undefined)
        context.addIssue({ code: 'custom', path: ['percent'], message: 'a credit is an amount, not a percentage' });
      if (adjustment.fundedBy === 'landlord' && adjustment.landlord === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['landlord'],
          message: 'a landlord-funded credit must name the landlord',
        });
      }
    } else {
      if (!positive(adjustment.percent) || Decimal.from(adjustment.percent!).compare('100') > 0) {
        context.addIssue({
          code: 'custom',
          path: ['percent'],
          message: 'a discount needs a percentage above 0 and at most 100',
        });
      }
      if (adjustment.amount !== undefined)
        context.addIssue({ code: 'custom', path: ['amount'], message: 'a discount is a percentage, not an amount' });
    }
  });
export type Adjustment = z.output<typeof AdjustmentSchema>;
export type AdjustmentInput = z.input<typeof AdjustmentSchema>;

/** Who funds an adjustment: as given, else the landlord it names, else the exchange. */
export function fundingOf(adjustment: Adjustment): 'landlord' | 'exchange' {
  return adjustment.fundedBy ?? (adjustment.landlord === undefined ? 'exchange' : 'landlord');
}
