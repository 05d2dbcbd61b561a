import { type Clock, type Logger, parseWith, Secret } from '@ocx/core';
import { createHttpClient, type HttpClient, requestSigner } from '@ocx/core/http';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { parseRgwError } from './parse-rgw-error.js';
import { rgwBucketCalls } from './rgw-buckets.js';
import { rgwQuotaCalls } from './rgw-quotas.js';
import { createRgwTransport } from './rgw-transport.js';
import { rgwUsageCalls } from './rgw-usage.js';
import { rgwUserCalls } from './rgw-users.js';
import { createSigV4Signer } from './sigv4-signer.js';

/** Options of {@link createRgwAdminClient}. */
export interface RgwAdminClientOptions {
  /** RGW's S3 endpoint, e.g. `http://127.0.0.1:7480`. */
  endpoint: string;
  /** Keys of an RGW user with Admin Ops caps (`users=*;buckets=*;usage=*`). */
  accessKey: string | Secret;
  secretKey: string | Secret;
  /** SigV4 region; default `us-east-1`. Use the zonegroup's API name if RGW checks it. */
  region?: string;
  /** RGW's `rgw_admin_entry`; default `admin`. */
  adminPath?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** Clock used for signing times and retry sleeps. */
  clock?: Clock;
  /** Retries of idempotent calls (`retries: 0` turns them off). */
  retry?: { retries?: number; minDelayMs?: number; maxDelayMs?: number };
}

const isFunction = (value: unknown): boolean => typeof value === 'function';
const secretText = z.union([
  z.string().min(1),
  z.custom<Secret>((value) => Secret.is(value), 'expected a string or Secret'),
]);

/** The schema of {@link RgwAdminClientOptions}; shared with the driver's `rgw` option. */
export const RgwAdminClientOptionsSchema = z
  .object({
    endpoint: z
      .url({ protocol: /^https?$/ })
      .refine((url) => !/[?#]/.test(url), 'an endpoint takes no query or fragment'),
    accessKey: secretText,
    secretKey: secretText,
    region: z.string().min(1).default('us-east-1'),
    adminPath: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'a single path segment such as "admin"')
      .default('admin'),
    timeoutMs: z.number().int().positive().optional(),
    dispatcher: z
      .custom<Dispatcher>(
        (value) => isFunction((value as Dispatcher | undefined)?.dispatch),
        'expected an undici Dispatcher',
      )
      .optional(),
    logger: z
      .custom<Logger>((value) => isFunction((value as Logger | undefined)?.debug), 'expected a Logger')
      .optional(),
    clock: z.custom<Clock>((value) => isFunction((value as Clock | undefined)?.now), 'expected a Clock').optional(),
    retry: z
      .object({
        retries: z.number().int().min(0).max(10).optional(),
        minDelayMs: z.number().min(0).optional(),
        maxDelayMs: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * A typed client of RGW's Admin Ops API, signed with AWS SigV4 over the one HTTP layer of
 * `@ocx/core/http`: users (create, get, list, modify, suspend, remove), keys, subusers, caps,
 * user and per-bucket quotas, bucket statistics and removal, and the usage log (show and trim).
 * RGW's error codes become typed `OcxError`s (`NoSuchUser` → `not-found`, `UserAlreadyExists` and
 * `BucketNotEmpty` → `conflict`, `AccessDenied` and `SignatureDoesNotMatch` → `auth`, …), with
 * `backendErrorType` set to the code. Keys never appear in errors or logs.
 *
 * @example
 * ```ts
 * const rgw = createRgwAdminClient({ endpoint: 'http://127.0.0.1:7480', accessKey, secretKey: Secret.from(secret), region: 'default' });
 * const user = await rgw.createUser({ uid: 'ocx-genomics', displayName: 'Genomics' });
 * const usage = await rgw.showUsage({ uid: user.uid, categories: ['put_obj', 'get_obj'] });
 * await rgw.close();
 * ```
 */
export function createRgwAdminClient(options: RgwAdminClientOptions) {
  const parsed = parseWith(RgwAdminClientOptionsSchema, options, { what: 'RGW admin client options' });
  const http = createRgwHttpClient(parsed, parsed.accessKey, parsed.secretKey, 'rgw-admin', 'unsigned');
  const transport = createRgwTransport(http, parsed.adminPath);
  return {
    /** The RGW endpoint this client talks to. */
    endpoint: http.baseUrl,
    /** The SigV4 region it signs with. */
    region: parsed.region,
    ...rgwUserCalls(transport),
    ...rgwQuotaCalls(transport),
    ...rgwBucketCalls(transport),
    ...rgwUsageCalls(transport),
    /** Release the client's resources (an injected dispatcher stays open). */
    close: () => http.close(),
  };
}

/** The client {@link createRgwAdminClient} returns. */
export type RgwAdminClient = ReturnType<typeof createRgwAdminClient>;

/** An HTTP client for RGW signed with one key pair (the admin's, or a project's for S3 calls). */
export function createRgwHttpClient(
  options: z.output<typeof RgwAdminClientOptionsSchema>,
  accessKey: string | Secret,
  secretKey: string | Secret,
  backend: string,
  payload: 'signed' | 'unsigned',
): HttpClient {
  return createHttpClient({
    backend,
    baseUrl: options.endpoint,
    auth: requestSigner(
      createSigV4Signer({
        accessKey,
        secretKey,
        region: options.region,
        payload,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      }),
    ),
    errorParser: parseRgwError,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
}
