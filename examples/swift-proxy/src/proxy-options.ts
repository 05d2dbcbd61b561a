import { IdSchema, type Logger, SecretSchema, UrlSchema } from '@ocx/core';
import { z } from 'zod';

const TempAuthSchema = z
  .object({
    kind: z.literal('tempauth'),
    /** The landlord's auth endpoint, e.g. `http://127.0.0.1:8090/auth/v1.0`. */
    authUrl: UrlSchema,
    /** `account:user`, e.g. `test:tester`. */
    user: z.string().min(1),
    key: SecretSchema,
  })
  .strict();

const StaticTokenSchema = z.object({ kind: z.literal('token'), token: SecretSchema }).strict();

/** One landlord's Swift: where its account is and how to get a token for it. */
const SwiftLandlordSchema = z
  .object({
    /** The landlord's id, as reported in `X-OCX-Partial`. */
    id: IdSchema,
    /** The storage URL of the account, e.g. `http://127.0.0.1:8090/v1/AUTH_test`. */
    storageUrl: UrlSchema.refine((url) => /\/v1\/[^/?#]+\/?$/.test(new URL(url).pathname), 'must end in /v1/<account>'),
    auth: z.discriminatedUnion('kind', [TempAuthSchema, StaticTokenSchema]),
  })
  .strict();

/** Options of `createSwiftProxy`, parsed with zod at construction. */
export const SwiftProxyOptionsSchema = z
  .object({
    /** The Swifts merged into one account, in the order equal names are combined. */
    landlords: z
      .array(SwiftLandlordSchema)
      .min(1)
      .refine(
        (landlords) => new Set(landlords.map((landlord) => landlord.id)).size === landlords.length,
        'landlord ids must be unique',
      ),
    /** The account the proxy presents: requests go to `/v1/<account>`. */
    account: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, "_", "." or "-"')
      .default('AUTH_ocx'),
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65_535).default(0),
    /** Per attempt, per landlord. A landlord slower than this is reported as partial. */
    timeoutMs: z.number().int().positive().default(5_000),
    /** Retries of a failed backend call (idempotent reads only). */
    retries: z.number().int().min(0).max(5).default(1),
    /** When set, clients must send it as `X-Auth-Token`; it is never forwarded to a landlord. */
    clientToken: SecretSchema.optional(),
    logger: z
      .custom<Logger>((value) => typeof (value as Logger | undefined)?.warn === 'function', 'must be a Logger')
      .optional(),
  })
  .strict();

/** Input of `createSwiftProxy`. */
export type SwiftProxyOptions = z.input<typeof SwiftProxyOptionsSchema>;
/** Proxy options after parsing and defaults. */
export type ParsedSwiftProxyOptions = z.output<typeof SwiftProxyOptionsSchema>;
/** One landlord's Swift after parsing (its key or token a `Secret`). */
export type SwiftLandlord = ParsedSwiftProxyOptions['landlords'][number];
