import { type Clock, type Logger, parseWith, Secret } from '@ocx/core';
import type { BearerToken } from '@ocx/core/http';
import type { Dispatcher } from 'undici';
import { z } from 'zod';

const secretSchema = z.union([
  z.string().min(1),
  z.custom<Secret>((value) => Secret.is(value), 'must be a string or Secret'),
]);
const isFunction = (value: unknown): boolean => typeof value === 'function';

/** HTTP Basic against HIL's database auth backend. */
export interface HilBasicAuth {
  username: string;
  password: string | Secret;
}

/** A Keystone token (HIL's keystone backend reads `X-Auth-Token`). */
export interface HilKeystoneAuth {
  keystone: {
    /** Obtain a token, e.g. `POST /v3/auth/tokens`; called again before it expires and after a 401. */
    getToken: (signal?: AbortSignal) => Promise<BearerToken>;
  };
}

/** A fixed Keystone token. */
export interface HilTokenAuth {
  token: string | Secret;
}

/** How the client authenticates; omit it for a HIL running the null auth backend. */
export type HilAuth = HilBasicAuth | HilKeystoneAuth | HilTokenAuth;

const authSchema = z.union([
  z.object({ username: z.string().min(1), password: secretSchema }).strict(),
  z
    .object({
      keystone: z
        .object({ getToken: z.custom<HilKeystoneAuth['keystone']['getToken']>(isFunction, 'must be a function') })
        .strict(),
    })
    .strict(),
  z.object({ token: secretSchema }).strict(),
]);

/** The options of `createHilClient`, parsed with zod at construction. */
export const HilClientOptionsSchema = z
  .object({
    /** HIL's endpoint, e.g. `https://hil.example:5000` (the client adds `/v0`). */
    endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    auth: authSchema.optional(),
    /**
     * Origins besides HIL's own that may receive HIL's credentials. Power calls are redirected to
     * OBMd, which authenticates with the token in the URL; it gets no credentials unless listed.
     */
    allowedOrigins: z.array(z.url({ protocol: /^https?$/ })).default([]),
    /**
     * The OBMd servers HIL's power and console calls may be redirected to (HIL answers them with
     * a 307 to `{obmd_uri}/…?token=…`). They receive the call's method and body, never HIL's
     * credentials (unless also in `allowedOrigins`). A redirect to any other origin is refused
     * with a `protocol` error and nothing is sent there. Default: none.
     */
    obmdOrigins: z.array(z.url({ protocol: /^https?$/ })).default([]),
    dispatcher: z
      .custom<Dispatcher>(
        (value) => isFunction((value as Dispatcher | undefined)?.dispatch),
        'must be an undici Dispatcher',
      )
      .optional(),
    /** Per-attempt timeout of each HTTP call. Default 30000. */
    timeoutMs: z.number().int().positive().default(30_000),
    logger: z
      .custom<Logger>((value) => isFunction((value as Logger | undefined)?.debug), 'must be a Logger')
      .optional(),
    /** First wait before polling a networking action, and the shortest between polls. Default 250. */
    actionPollMs: z.number().int().min(1).default(250),
    /** Longest wait between polls of a networking action. Default 2000. */
    actionMaxPollMs: z.number().int().min(1).default(2_000),
    /** Give up waiting for a networking action after this long. Default 300000 (5 minutes). */
    actionTimeoutMs: z.number().int().positive().default(300_000),
    /** Retries of idempotent calls (GET, PUT, DELETE) on 429/502/503/504, resets and timeouts. */
    retries: z.number().int().min(0).max(10).default(2),
    clock: z.custom<Clock>((value) => isFunction((value as Clock | undefined)?.sleep), 'must be a Clock').optional(),
  })
  .strict()
  .refine((options) => options.actionMaxPollMs >= options.actionPollMs, {
    message: 'must not be smaller than actionPollMs',
    path: ['actionMaxPollMs'],
  });

/** Options of `createHilClient`. */
export type HilClientOptions = z.input<typeof HilClientOptionsSchema>;
/** Options after defaults. */
export type ParsedHilClientOptions = z.output<typeof HilClientOptionsSchema>;

/** Parse client options: a bad option is an `OcxError` (`validation`) naming its path. */
export function parseHilClientOptions(options: HilClientOptions, prefix = ''): ParsedHilClientOptions {
  return parseWith(HilClientOptionsSchema, options, { what: 'HIL client options', prefix });
}
