import { Decimal, DecimalStringSchema, type QuotaProvider, type QuotaUsage } from '@ocx/core';
import { z } from 'zod';
import { checkInput, checkSignal, orUndefined, projectNotFound } from './checks.js';
import { ProjectIdSchema, type ProjectNaming } from './project-naming.js';
import type { RgwAdminClient } from './rgw/rgw-admin-client.js';
import type { RgwQuota } from './rgw/rgw-schemas.js';

/**
 * The quota resources: `max-size-bytes` and `max-objects` limit all of a project's data (RGW's
 * user quota); `bucket-max-size-bytes` and `bucket-max-objects` limit each of its buckets (RGW's
 * per-user bucket quota).
 */
export const CEPH_QUOTA_RESOURCES = [
  'max-size-bytes',
  'max-objects',
  'bucket-max-size-bytes',
  'bucket-max-objects',
] as const;
/** One of {@link CEPH_QUOTA_RESOURCES}. */
export type CephQuotaResource = (typeof CEPH_QUOTA_RESOURCES)[number];

/** RGW reads limits as 64-bit integers but reports them as JSON numbers, exact only up to 2^53-1. */
const MAX_LIMIT = Decimal.from(String(Number.MAX_SAFE_INTEGER));

/** A limit: a whole number from 0 to 2^53-1 (9 PB), or null for unlimited. */
const LimitSchema = DecimalStringSchema.refine(
  (value) => !Decimal.from(value).isNegative(),
  'must not be negative (use null for unlimited)',
)
  .refine((value) => Decimal.from(value).round(0).equals(value), 'must be a whole number')
  .refine(
    (value) => Decimal.from(value).compare(MAX_LIMIT) <= 0,
    'must be at most 9007199254740991 (RGW reports limits as JSON numbers)',
  )
  .transform((value) => Decimal.from(value).round(0).toString())
  .nullable();

const LimitsSchema = z
  .partialRecord(z.enum(CEPH_QUOTA_RESOURCES), LimitSchema)
  .refine((limits) => Object.keys(limits).length > 0, 'give at least one resource');

/** What a quota limits now: RGW enforces a limit only while the quota is enabled. */
const effective = (quota: RgwQuota, field: 'maxSizeBytes' | 'maxObjects'): string | null =>
  quota.enabled ? quota[field] : null;

/**
 * Quotas on RGW: limits as exact decimal strings, `null` (RGW's -1, or a disabled quota) for
 * unlimited; a quota is enabled exactly when one of its limits is set. `inUse` of the user-wide
 * resources comes from RGW's synced user statistics.
 */
export function createCephQuotaProvider(rgw: RgwAdminClient, naming: ProjectNaming): QuotaProvider {
  const read = async (project: string, operation: string, signal: AbortSignal | undefined): Promise<QuotaUsage[]> => {
    const uid = naming.uidOf(project);
    const [quotas, user] = await Promise.all([
      orUndefined(rgw.getQuotas(uid, { signal })),
      orUndefined(rgw.getUser(uid, { stats: true, sync: true }, { signal })),
    ]);
    if (quotas === undefined || user === undefined) throw projectNotFound(project, operation);
    return [
      {
        resource: 'max-size-bytes',
        limit: effective(quotas.user, 'maxSizeBytes'),
        unit: 'byte',
        ...(user.stats ? { inUse: user.stats.sizeBytes } : {}),
      },
      {
        resource: 'max-objects',
        limit: effective(quotas.user, 'maxObjects'),
        unit: 'object',
        ...(user.stats ? { inUse: user.stats.objects } : {}),
      },
      { resource: 'bucket-max-size-bytes', limit: effective(quotas.bucket, 'maxSizeBytes'), unit: 'byte' },
      { resource: 'bucket-max-objects', limit: effective(quotas.bucket, 'maxObjects'), unit: 'object' },
    ];
  };

  return {
    resources: CEPH_QUOTA_RESOURCES,

    async getQuotas(projectId, options) {
      const project = checkInput(ProjectIdSchema, projectId, 'getQuotas');
      checkSignal(options, 'getQuotas');
      return read(project, 'getQuotas', options?.signal);
    },

    async setQuotas(projectId, limits, options) {
      const project = checkInput(ProjectIdSchema, projectId, 'setQuotas');
      const wanted = checkInput(LimitsSchema, limits, 'setQuotas');
      checkSignal(options, 'setQuotas');
      const current = await read(project, 'setQuotas', options?.signal);
      const limitOf = (resource: CephQuotaResource): string | null =>
        wanted[resource] !== undefined
          ? wanted[resource]
          : (current.find((item) => item.resource === resource)?.limit ?? null);
      const uid = naming.uidOf(project);
      // Each quota is written whole from what is in force now, so a limit RGW kept while disabled never comes back.
      for (const [type, size, objects] of [
        ['user', 'max-size-bytes', 'max-objects'],
        ['bucket', 'bucket-max-size-bytes', 'bucket-max-objects'],
      ] as const) {
        if (wanted[size] === undefined && wanted[objects] === undefined) continue;
        const maxSizeBytes = limitOf(size);
        const maxObjects = limitOf(objects);
        await rgw.setQuota(
          uid,
          type,
          { enabled: maxSizeBytes !== null || maxObjects !== null, maxSizeBytes, maxObjects },
          options,
        );
      }
      return read(project, 'setQuotas', options?.signal);
    },
  };
}
