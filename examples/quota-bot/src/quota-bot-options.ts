import {
  CurrencySchema,
  Decimal,
  DecimalStringSchema,
  type Exchange,
  IdSchema,
  NonNegativeDecimalSchema,
} from '@ocx/core';
import { z } from 'zod';
import type { QuotaBotNotice } from './notice.js';

const UnitPriceSchema = z
  .object({
    landlord: IdSchema,
    service: IdSchema,
    metric: z.string().min(1),
    unitPrice: NonNegativeDecimalSchema,
    currency: CurrencySchema.default('USD'),
  })
  .strict();

/**
 * The idle policy. A resource is idle when no usage record of an *activity* metric (every metric
 * but `ignoreMetrics`) ended within the last `after` hours; see the README for the exact rules.
 */
const IdlePolicySchema = z
  .object({
    /** Hours without activity after which a resource is idle. */
    after: z
      .number()
      .positive()
      .max(24 * 366),
    /** `release` reclaims (shrink or destroy the enclave); `warn` only notifies. */
    action: z.enum(['release', 'warn']),
    /** Metrics that do not count as activity: by default node-hours, which only say a node is held. */
    ignoreMetrics: z.array(z.string().min(1)).default(['node-hours']),
    /** Shrinking never leaves an enclave that is still in use with fewer joined nodes than this. */
    minNodes: z.number().int().min(0).default(1),
  })
  .strict();

/** The bot's policy; parsed with zod at construction, so a bad field fails at once with its path. */
export const QuotaBotPolicySchema = z
  .object({
    /** Warn when in-use (or spend) reaches this percentage of the limit. */
    warnAtPercent: z
      .union([z.number(), DecimalStringSchema])
      .transform((value) => String(value))
      .refine(
        (value) =>
          Decimal.isDecimalString(value) &&
          Decimal.from(value).compare('0') > 0 &&
          Decimal.from(value).compare('100') <= 0,
        'must be a number above 0 and at most 100',
      )
      .default('80'),
    /** Spend limit per project for the current UTC month, as exact decimal strings in `currency`. */
    spendLimits: z.record(IdSchema, NonNegativeDecimalSchema).default({}),
    currency: CurrencySchema.default('USD'),
    /** Unit prices that replace the catalog's (negotiated rates); the catalog's price lists otherwise. */
    prices: z.array(UnitPriceSchema).default([]),
    idle: IdlePolicySchema.optional(),
  })
  .strict();
/** The policy as written. */
export type QuotaBotPolicy = z.input<typeof QuotaBotPolicySchema>;
/** The policy after parsing and defaults. */
export type ParsedQuotaBotPolicy = z.output<typeof QuotaBotPolicySchema>;

/** Options of {@link createQuotaBot}. */
export interface QuotaBotOptions {
  exchange: Exchange;
  policy: QuotaBotPolicy;
  /** Told about every new warning and every reclaim; may be async. A throwing callback is logged, never fatal. */
  notify: (notice: QuotaBotNotice) => void | Promise<void>;
}

/** The schema of {@link QuotaBotOptions}: a bad field fails `createQuotaBot` with its path. */
export const QuotaBotOptionsSchema = z
  .object({
    exchange: z.custom<Exchange>(
      (value) =>
        typeof (value as Exchange | undefined)?.events?.on === 'function' &&
        typeof (value as Exchange).usage?.query === 'function',
      'must be an Exchange',
    ),
    policy: QuotaBotPolicySchema,
    notify: z.custom<QuotaBotOptions['notify']>((value) => typeof value === 'function', 'must be a function'),
  })
  .strict();
