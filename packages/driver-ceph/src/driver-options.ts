import { type Clock, IdSchema, type Logger, type Store } from '@ocx/core';
import { z } from 'zod';
import { CephDashboardClientOptionsSchema } from './dashboard/dashboard-client.js';
import { RbdOwnerRuleSchema } from './meters/rbd-owners.js';
import { RgwAdminClientOptionsSchema } from './rgw/rgw-admin-client.js';

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** The schema of {@link CephDriverOptions}. Parsed once, at construction: a bad option names its path. */
export const CephDriverOptionsSchema = z
  .object({
    /** The landlord and service the driver's usage records are reported for. */
    landlord: IdSchema,
    service: IdSchema,
    /** RGW Admin Ops (see `createRgwAdminClient`); the keys need caps `users=*;buckets=*;usage=*`. */
    rgw: RgwAdminClientOptionsSchema.omit({ logger: true, clock: true }),
    /** The Ceph Dashboard, for RBD images and pools; `owners` say which project each image is billed to. */
    dashboard: CephDashboardClientOptionsSchema.omit({ logger: true, clock: true })
      .extend({ owners: z.array(RbdOwnerRuleSchema).default([]) })
      .optional(),
    /** RGW uids are `<uidPrefix><project>`; only such users are treated as exchange projects. */
    uidPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"')
      .max(32)
      .default('ocx-'),
    /** The usage-log meter: `graceMs` after an hour ends before it is reported; `categories` to keep. */
    usageLog: z
      .object({
        graceMs: z.number().int().min(0).max(86_400_000).default(60_000),
        categories: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict()
      .default({ graceMs: 60_000 }),
    /** Sample stored bytes on a timer this often (ms). Without it, call `ext.sampleStorage()` yourself. */
    sampleIntervalMs: z.number().int().min(1000).optional(),
    /** Where samples and project owners are kept; the exchange's store. Default: in memory (lost on restart). */
    store: z
      .custom<Store>((value) => isFunction((value as Store | undefined)?.insertMany), 'expected a Store')
      .optional(),
    /** Organization for usage of a project whose organization cannot be found. Default `unassigned`. */
    fallbackOrganization: IdSchema.default('unassigned'),
    /** The time of samples and of which usage hours have settled. Signing always uses the system clock. */
    clock: z.custom<Clock>((value) => isFunction((value as Clock | undefined)?.now), 'expected a Clock').optional(),
    logger: z
      .custom<Logger>((value) => isFunction((value as Logger | undefined)?.debug), 'expected a Logger')
      .optional(),
  })
  .strict();

/** Options of `createCephDriver`. */
export type CephDriverOptions = z.input<typeof CephDriverOptionsSchema>;
/** The driver options after parsing and defaults. */
export type ParsedCephDriverOptions = z.output<typeof CephDriverOptionsSchema>;
