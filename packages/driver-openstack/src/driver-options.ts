import { type Clock, IdSchema, type Logger, parseWith } from '@ocx/core';
import type { RetryOptions } from '@ocx/core/http';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { type KeystoneAuth, type KeystoneAuthOptions, parseKeystoneAuth } from './keystone/auth-options.js';

/** The OpenStack services the driver can use besides Keystone. */
export const OPENSTACK_SERVICES = ['nova', 'cinder', 'neutron', 'glance', 'swift'] as const;
/** One of the services the driver can use besides Keystone. */
export type OpenStackService = (typeof OPENSTACK_SERVICES)[number];

/** The catalog type of each service. */
export const SERVICE_TYPES: Readonly<Record<OpenStackService, string>> = Object.freeze({
  nova: 'compute',
  cinder: 'block-storage',
  neutron: 'network',
  glance: 'image',
  swift: 'object-store',
});

/** Retrying a 5xx once is the default: an OpenStack 500 is often a transient database deadlock. */
export const DEFAULT_RETRY: Partial<RetryOptions> = Object.freeze({ retries: 1, statuses: [429, 500, 502, 503, 504] });

const OptionsSchema = z
  .object({
    auth: z.unknown(),
    /** Region of the endpoints to use; any region when absent. */
    region: z.string().min(1).optional(),
    /** Catalog interface. Default `public`. */
    interface: z.enum(['public', 'internal', 'admin']).default('public'),
    /** Which services to use. Default all five; `connectOpenStackDriver` keeps those in the catalog. */
    services: z.array(z.enum(OPENSTACK_SERVICES)).default([...OPENSTACK_SERVICES]),
    /** Whether a stopped server's time is billed (`charge`, Nova's own count) or not (`free`). */
    stoppedServerPolicy: z.enum(['charge', 'free']).default('charge'),
    /** The landlord and service ids written into usage records and quotas. */
    landlord: IdSchema,
    service: IdSchema,
    /** The Keystone domain exchange projects are created in. Default `default`. */
    tenantDomainId: z.string().min(1).default('default'),
    /** The Keystone domain members are found or created in. Default: the tenant domain. */
    userDomainId: z.string().min(1).optional(),
    /** The roles members may hold; the first is the default. */
    roles: z.array(z.string().min(1)).min(1).default(['member', 'reader', 'admin']),
    /** Length of the usage buckets meters report, in seconds; must divide an hour. Default 3600. */
    bucketSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .refine((seconds) => 3600 % seconds === 0, 'must divide 3600, so buckets start on the hour')
      .default(3600),
    /** Items per page when listing (servers per usage page, volumes, floating IPs). Default 1000. */
    pageSize: z.number().int().min(1).max(10_000).default(1000),
    /** Per-attempt timeout of every HTTP call, in milliseconds. Default 30000. */
    timeoutMs: z.number().int().positive().default(30_000),
    dispatcher: z
      .custom<Dispatcher>(
        (value) => typeof (value as Dispatcher | undefined)?.dispatch === 'function',
        'must be an undici Dispatcher',
      )
      .optional(),
    logger: z
      .custom<Logger>((value) => typeof (value as Logger | undefined)?.debug === 'function', 'must be a Logger')
      .optional(),
    /** Retries of idempotent calls; default one retry of 429/500/502/503/504 and connection failures. */
    retry: z
      .custom<Partial<RetryOptions>>((value) => typeof value === 'object' && value !== null, 'must be retry options')
      .optional(),
    clock: z
      .custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function', 'must be a Clock')
      .optional(),
  })
  .strict();

/** Options of `createOpenStackDriver`. */
export type OpenStackDriverOptions = Omit<z.input<typeof OptionsSchema>, 'auth'> & { auth: KeystoneAuthOptions };

/** Options after parsing. */
export type ParsedOpenStackDriverOptions = Omit<z.output<typeof OptionsSchema>, 'auth' | 'userDomainId'> & {
  auth: KeystoneAuth;
  userDomainId: string;
};

/** Parse driver options: a bad one is an `OcxError` `validation` naming its path (`auth.password`, `bucketSeconds`). */
export function parseOpenStackDriverOptions(options: OpenStackDriverOptions): ParsedOpenStackDriverOptions {
  const parsed = parseWith(OptionsSchema, options, { what: 'OpenStack driver options' });
  const auth = parseKeystoneAuth(parsed.auth, 'auth');
  return { ...parsed, auth, userDomainId: parsed.userDomainId ?? parsed.tenantDomainId };
}
