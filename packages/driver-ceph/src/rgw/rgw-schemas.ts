import { Secret } from '@ocx/core';
import { z } from 'zod';

/**
 * A whole count or byte size from RGW as a decimal string. RGW sends JSON numbers, so values
 * above 2^53 arrive already rounded by JSON parsing; they are kept as parsed, never refused.
 */
const count = z
  .number()
  .refine(Number.isInteger, 'expected a whole number')
  .transform((value) => BigInt(value).toString());

/** RGW's limits: any negative value (RGW sends -1) means unlimited, which is `null` here. */
const limit = z
  .number()
  .refine(Number.isInteger, 'expected a whole number')
  .transform((value) => (value < 0 ? null : BigInt(value).toString()));

/** One quota as RGW reports it. Limits are decimal strings; `null` is unlimited (-1). */
export const RgwQuotaSchema = z
  .object({
    enabled: z.boolean(),
    check_on_raw: z.boolean().optional(),
    max_size: limit,
    max_objects: limit,
  })
  .transform((quota) => ({
    enabled: quota.enabled,
    checkOnRaw: quota.check_on_raw ?? false,
    maxSizeBytes: quota.max_size,
    maxObjects: quota.max_objects,
  }));
/** A user or bucket quota: enabled, and limits as decimal strings (`null` = unlimited). */
export type RgwQuota = z.output<typeof RgwQuotaSchema>;

/** `GET /admin/user?quota&uid=` without a type: both quotas. */
export const RgwUserQuotasSchema = z
  .object({ user_quota: RgwQuotaSchema, bucket_quota: RgwQuotaSchema })
  .transform((quotas) => ({ user: quotas.user_quota, bucket: quotas.bucket_quota }));

/** Storage statistics (user or bucket): logical bytes, bytes allocated, and objects. */
export const RgwStatsSchema = z
  .object({
    size: count,
    size_actual: count,
    num_objects: count,
  })
  .transform((stats) => ({ sizeBytes: stats.size, sizeActualBytes: stats.size_actual, objects: stats.num_objects }));
/** Storage statistics: logical bytes, allocated bytes and objects, as decimal strings. */
export type RgwStats = z.output<typeof RgwStatsSchema>;

/** An S3 key pair. The secret is a {@link Secret}: it prints as `[REDACTED]`. */
export interface RgwKey {
  user: string;
  accessKey: string;
  secretKey: Secret;
}

/** One S3 key as RGW lists it, its secret wrapped in a {@link Secret}. */
export const RgwKeySchema = z
  .object({ user: z.string(), access_key: z.string().min(1), secret_key: z.string().min(1) })
  .transform(
    (key): RgwKey => ({
      user: key.user,
      accessKey: key.access_key,
      // Secret.from registers the text with the redactor, so it can never appear in a message.
      secretKey: Secret.from(key.secret_key),
    }),
  );

/** `GET /admin/user?uid=` (and what creating or modifying a user returns). */
export const RgwUserSchema = z
  .object({
    tenant: z.string().default(''),
    user_id: z.string().min(1),
    display_name: z.string(),
    email: z.string().default(''),
    suspended: z.union([z.number(), z.boolean()]).transform((value) => value === true || value === 1),
    max_buckets: z.number().int(),
    subusers: z.array(z.object({ id: z.string(), permissions: z.string() })).default([]),
    keys: z.array(RgwKeySchema).default([]),
    // Swift keys are not exposed; their secrets are registered so that no message can ever carry them.
    swift_keys: z
      .array(
        z
          .object({ user: z.string(), secret_key: z.string() })
          .transform((key) => ({ user: key.user, secretKey: Secret.from(key.secret_key) })),
      )
      .default([]),
    caps: z.array(z.object({ type: z.string(), perm: z.string() })).default([]),
    user_quota: RgwQuotaSchema.optional(),
    bucket_quota: RgwQuotaSchema.optional(),
    stats: RgwStatsSchema.optional(),
  })
  .transform((user) => ({
    uid: user.user_id,
    tenant: user.tenant,
    displayName: user.display_name,
    email: user.email,
    suspended: user.suspended,
    maxBuckets: user.max_buckets,
    subusers: user.subusers,
    keys: user.keys,
    swiftKeyUsers: user.swift_keys.map((key) => key.user),
    caps: user.caps,
    userQuota: user.user_quota,
    bucketQuota: user.bucket_quota,
    stats: user.stats,
  }));
/** An RGW user: uid, names, suspension, subusers, keys (secrets as Secrets), caps, quotas and, when asked, stats. */
export type RgwUser = z.output<typeof RgwUserSchema>;

/** `GET /admin/user?list`: uids a page at a time. */
export const RgwUserListSchema = z.object({
  keys: z.array(z.string()),
  truncated: z.boolean().default(false),
  marker: z.string().optional(),
});

/** `PUT|DELETE /admin/user?caps`: the user's caps after the change. */
export const RgwCapsSchema = z.array(z.object({ type: z.string(), perm: z.string() }));

/** `GET /admin/bucket?stats=true`: one bucket. Usage is per category (`rgw.main` holds the objects). */
export const RgwBucketSchema = z
  .object({
    bucket: z.string().min(1),
    tenant: z.string().default(''),
    id: z.string(),
    owner: z.string(),
    num_shards: z.number().int().optional(),
    usage: z.record(z.string(), RgwStatsSchema).default({}),
    bucket_quota: RgwQuotaSchema.optional(),
  })
  .transform((bucket) => ({
    name: bucket.bucket,
    tenant: bucket.tenant,
    id: bucket.id,
    owner: bucket.owner,
    usage: bucket.usage,
    quota: bucket.bucket_quota,
  }));
/** A bucket with its owner, usage per category (`rgw.main` holds the objects) and quota. */
export type RgwBucket = z.output<typeof RgwBucketSchema>;

const UsageCategorySchema = z
  .object({
    category: z.string().min(1),
    bytes_sent: count,
    bytes_received: count,
    ops: count,
    successful_ops: count,
  })
  .transform((category) => ({
    category: category.category,
    bytesSent: category.bytes_sent,
    bytesReceived: category.bytes_received,
    ops: category.ops,
    successfulOps: category.successful_ops,
  }));
/** One category of an hourly usage bucket: ops, successful ops, bytes received and sent. */
export type RgwUsageCategory = z.output<typeof UsageCategorySchema>;

const UsageEntriesSchema = z.array(
  z.object({
    user: z.string(),
    buckets: z.array(
      z.object({
        bucket: z.string(),
        time: z.string(),
        epoch: z.number().int(),
        owner: z.string(),
        categories: z.array(UsageCategorySchema),
      }),
    ),
  }),
);
const UsageSummarySchema = z.array(z.object({ user: z.string(), categories: z.array(UsageCategorySchema) }));

/**
 * `GET /admin/usage`: hourly buckets per user and bucket, and the per-user summary. RGW sends
 * `entries` exactly when `show-entries` is on and `summary` exactly when `show-summary` is on
 * (both by default): what was asked for must be there, so that a mistyped answer is an error,
 * never a usage log that looks empty (and bills nothing).
 */
export function rgwUsageSchema(asked: { entries: boolean; summary: boolean }) {
  return z
    .object({ entries: UsageEntriesSchema.optional(), summary: UsageSummarySchema.optional() })
    .superRefine((usage, context) => {
      if (asked.entries && usage.entries === undefined)
        context.addIssue({ code: 'custom', path: ['entries'], message: 'missing (show-entries was asked for)' });
      if (asked.summary && usage.summary === undefined)
        context.addIssue({ code: 'custom', path: ['summary'], message: 'missing (show-summary was asked for)' });
    })
    .transform((usage) => ({
      entries: (usage.entries ?? []).map((entry) => ({
        user: entry.user,
        buckets: entry.buckets.map((bucket) => ({
          bucket: bucket.bucket,
          owner: bucket.owner,
          hourStart: new Date(bucket.epoch * 1000).toISOString(),
          categories: bucket.categories,
        })),
      })),
      summary: usage.summary ?? [],
    }));
}
/** The usage log: per user, per bucket and hour (`hourStart`), the categories; and the per-user summary. */
export type RgwUsage = z.output<ReturnType<typeof rgwUsageSchema>>;
