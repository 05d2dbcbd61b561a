import { z } from 'zod';
import { Decimal } from '../money/decimal.js';
import { Secret } from '../secrets/secret.js';

/**
 * An identifier of the exchange (landlord, service, project, organization, user):
 * 1–128 characters of letters, digits, `.`, `_`, `-`, `@` and `:`, starting with a letter or digit.
 */
export const IdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@:-]*$/,
    'must be letters, digits, ".", "_", "-", "@" or ":", starting with a letter or digit',
  );
export type Id = z.infer<typeof IdSchema>;

/**
 * An organization's identifier: like {@link IdSchema} but it may also be an institution's name
 * with spaces and punctuation (`Boston University`, `Harvard (FAS)`): 1–200 printable characters
 * without `/`, not starting or ending with a space.
 */
export const OrganizationIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[^\s/\p{Cc}](?:[^/\p{Cc}]*[^\s/\p{Cc}])?$/u,
    'must be printable, without "/", and not start or end with a space',
  );

/** An exact decimal number as a string (`"12.50"`). Binary floats are refused. */
export const DecimalStringSchema = z
  .string()
  .refine((text) => Decimal.isDecimalString(text), 'must be a decimal string such as "12.50"');

/** A non-negative exact decimal string. */
export const NonNegativeDecimalSchema = DecimalStringSchema.refine(
  (text) => !text.startsWith('-') || Decimal.from(text).isZero(),
  'must not be negative',
);

/** An ISO-8601 timestamp with an offset (`2026-11-01T00:00:00Z`). */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** ISO 4217 currency code. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "USD"');

/** An amount of money: an exact decimal string and a currency. */
export const MoneySchema = z.object({ amount: DecimalStringSchema, currency: CurrencySchema });
export type Money = z.infer<typeof MoneySchema>;

/** A half-open time window `[start, end)` in UTC; `end` must be after `start`. */
export const TimeWindowSchema = z
  .object({ start: TimestampSchema, end: TimestampSchema })
  .refine((window) => Date.parse(window.end) > Date.parse(window.start), {
    message: 'end must be after start (windows are half-open [start, end))',
    path: ['end'],
  });
export type TimeWindow = z.infer<typeof TimeWindowSchema>;

/** A secret given as a string or a {@link Secret}; always parsed into a `Secret`. */
export const SecretSchema = z
  .union([z.string().min(1), z.custom<Secret>((value) => Secret.is(value), 'must be a string or Secret')])
  .transform((value) => Secret.from(value));

/** An http(s) URL. */
export const UrlSchema = z.url({ protocol: /^https?$/ });

/** Options every capability call accepts. */
export interface CallOptions {
  /** Cancels the call; an aborted call is never retried. */
  signal?: AbortSignal;
  /**
   * Who is acting, for the exchange's audit log (drivers ignore it). Calls through
   * `exchange.landlords.service(...).driver` are audited under this principal.
   */
  actor?: { kind: 'user' | 'landlord' | 'system' | 'admin'; id: string; organization?: string };
}
