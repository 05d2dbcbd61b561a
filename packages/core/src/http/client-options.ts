import buffer from 'node:buffer';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { parseWith } from '../errors/validation.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { AuthPlugin } from './auth/auth-plugin.js';
import type { ErrorParser } from './backend-error.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './buffered-exchange.js';
import { DEFAULT_REQUEST_ID_HEADERS } from './map-http-error.js';
import { defaultRetryOptions, type RetryOptions } from './retry-policy.js';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** The backend's name, used in errors and logs, e.g. `hil`, `keystone`. */
  backend: string;
  /** The URL relative paths are resolved against, e.g. `https://nova.example/v2.1`. */
  baseUrl: string;
  /** Per-attempt timeout in milliseconds (connect, headers and body). Default 30000. */
  timeoutMs?: number;
  /** The undici dispatcher (connection pool, proxy, mock). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** How the client proves who it is. Applied only to allowed origins. */
  auth?: AuthPlugin;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Receives one debug line per attempt (method, path, status, ms); wrapped in a redacting logger. */
  logger?: Logger;
  /** How failed idempotent calls are retried. */
  retry?: Partial<RetryOptions>;
  /** Extracts the backend's own error type and message from failed responses. */
  errorParser?: ErrorParser;
  /** Response headers that carry the request id. Default: the OpenStack, S3 and Swift ones. */
  requestIdHeaders?: readonly string[];
  /**
   * Origins besides the base URL's that may receive credentials (e.g. a Swift endpoint on another
   * host of the same landlord). Any other origin, reached by redirect or absolute URL, gets the
   * request without the auth plug-in's headers or client certificate.
   */
  allowedOrigins?: readonly string[];
  /** Used for backoff sleeps and Retry-After dates. Default: the system clock. */
  clock?: Clock;
  /**
   * The most bytes of a successful response body read into memory, after any content decoding.
   * A larger body is a `protocol` error and its connection is closed. Default 64 MiB. Bodies read
   * with `responseType: 'stream'` are not capped: the caller reads them at its own pace.
   */
  maxResponseBytes?: number;
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const retrySchema = z
  .object({
    retries: z.number().int().min(0).max(20).default(defaultRetryOptions.retries),
    minDelayMs: z.number().min(0).default(defaultRetryOptions.minDelayMs),
    maxDelayMs: z.number().min(0).default(defaultRetryOptions.maxDelayMs),
    maxRetryAfterMs: z.number().min(0).default(defaultRetryOptions.maxRetryAfterMs),
    statuses: z.array(z.number().int().min(100).max(599)).default([...defaultRetryOptions.statuses]),
  })
  .strict()
  .refine((retry) => retry.minDelayMs <= retry.maxDelayMs, {
    message: 'minDelayMs must not exceed maxDelayMs',
    path: ['minDelayMs'],
  });

/** A body cap: a positive whole number of bytes, at most what one Buffer may hold. */
export const maxResponseBytesSchema = z.number().int().positive().max(buffer.constants.MAX_LENGTH);

const isFunction = (value: unknown): boolean => typeof value === 'function';

const httpClientOptionsSchema = z
  .object({
    backend: z.string().min(1),
    baseUrl: httpUrl.refine((url) => !/[?#]/.test(url), 'a base URL takes no query or fragment'),
    timeoutMs: z.number().int().positive().default(30_000),
    dispatcher: z
      .custom<Dispatcher>(
        (value) => isFunction((value as Dispatcher | undefined)?.dispatch),
        'expected an undici Dispatcher',
      )
      .optional(),
    auth: z
      .custom<AuthPlugin>(
        (value) =>
          typeof (value as AuthPlugin | undefined)?.name === 'string' && isFunction((value as AuthPlugin).authorize),
        'expected an AuthPlugin (name and authorize())',
      )
      .optional(),
    headers: z.record(z.string(), z.string()).optional(),
    logger: z
      .custom<Logger>((value) => isFunction((value as Logger | undefined)?.debug), 'expected a Logger')
      .optional(),
    retry: retrySchema.optional(),
    errorParser: z.custom<ErrorParser>(isFunction, 'expected a function').optional(),
    requestIdHeaders: z.array(z.string().min(1)).optional(),
    allowedOrigins: z.array(httpUrl).optional(),
    clock: z.custom<Clock>((value) => isFunction((value as Clock | undefined)?.sleep), 'expected a Clock').optional(),
    maxResponseBytes: maxResponseBytesSchema.default(DEFAULT_MAX_RESPONSE_BYTES),
  })
  .strict();

/** Client options after parsing and defaults. */
export type ParsedHttpClientOptions = Omit<z.output<typeof httpClientOptionsSchema>, 'retry' | 'requestIdHeaders'> & {
  retry: RetryOptions;
  requestIdHeaders: readonly string[];
};

/** Parse client options once, at construction: a bad option is a `validation` error naming the field. */
export function parseHttpClientOptions(options: HttpClientOptions): ParsedHttpClientOptions {
  const parsed = parseWith(httpClientOptionsSchema, options, { what: 'HTTP client options' });
  const retry = parsed.retry ?? retrySchema.parse({});
  return {
    ...parsed,
    retry,
    requestIdHeaders: (parsed.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS).map((name) => name.toLowerCase()),
  };
}
