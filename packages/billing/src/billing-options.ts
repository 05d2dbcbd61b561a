import { type Clock, Decimal, DecimalStringSchema, type Logger, type Store } from '@ocx/core';
import { z } from 'zod';
import type { BillingEventSink } from './billing-events.js';
import { RoundingSchema } from './money/rounding.js';
import { BillingPriceListSchema } from './price-list/price-list-schema.js';

/** Options of {@link createBilling}, parsed with zod: a bad option fails at once, naming its path. */
export const BillingOptionsSchema = z
  .object({
    store: z.custom<Store>((value) => typeof (value as Store | undefined)?.batch === 'function', 'must be a Store'),
    clock: z
      .custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function', 'must be a Clock')
      .optional(),
    /** Price lists known from configuration, one per landlord; `priceLists.put` stores others durably. */
    priceLists: z.array(BillingPriceListSchema).default([]),
    /** The exchange's fee, a percentage of what each landlord earns: `"5"` or `"2.5"`. */
    feePercent: DecimalStringSchema.refine(
      (text) =>
        !Decimal.isDecimalString(text) ||
        (Decimal.from(text).compare('0') >= 0 && Decimal.from(text).compare('100') <= 0),
      'must be between 0 and 100',
    ).default('0'),
    rounding: RoundingSchema.default(RoundingSchema.parse({})),
    /** Days after a period ends during which its invoices stay drafts and late usage still lands in it. */
    gracePeriodDays: z.number().int().min(0).max(365).default(5),
    /** One line per day (FOCUS-style, charts over the period) or one per period. */
    lineGranularity: z.enum(['day', 'period']).default('day'),
    /** Where billing events go besides `billing.events`, e.g. `exchange.events`. */
    events: z
      .custom<BillingEventSink>(
        (value) => typeof (value as BillingEventSink | undefined)?.emit === 'function',
        'must have an emit method',
      )
      .optional(),
    logger: z
      .custom<Logger>((value) => typeof (value as Logger | undefined)?.warn === 'function', 'must be a Logger')
      .optional(),
  })
  .strict()
  .superRefine((options, context) => {
    const seen = new Set<string>();
    options.priceLists.forEach((list, index) => {
      if (seen.has(list.landlord))
        context.addIssue({
          code: 'custom',
          path: ['priceLists', index, 'landlord'],
          message: 'one price list per landlord',
        });
      seen.add(list.landlord);
    });
  });
export type BillingOptions = z.input<typeof BillingOptionsSchema>;
