import type { CallOptions } from '@ocx/core';
import { type RgwQuota, RgwQuotaSchema, RgwUserQuotasSchema } from './rgw-schemas.js';
import type { RgwTransport } from './rgw-transport.js';

/** `user`: the limit on all of a user's data; `bucket`: the limit on each of its buckets. */
export type RgwQuotaType = 'user' | 'bucket';

/** A quota to set. Limits are whole numbers as decimal strings; `null` is unlimited (RGW's -1). */
export interface RgwQuotaInput {
  enabled: boolean;
  maxSizeBytes: string | null;
  maxObjects: string | null;
}

/** Query parameters rather than a JSON body, so that 64-bit limits travel as exact text. */
const wire = (quota: RgwQuotaInput) => ({
  enabled: String(quota.enabled),
  'max-size': quota.maxSizeBytes ?? '-1',
  'max-objects': quota.maxObjects ?? '-1',
});

/** The quota calls of the Admin Ops API: user quotas, per-bucket quotas of a user, and one bucket's quota. */
export function rgwQuotaCalls(transport: RgwTransport) {
  return {
    /** One of a user's quotas. */
    getQuota(uid: string, type: RgwQuotaType, options?: CallOptions): Promise<RgwQuota> {
      return transport.call(
        {
          operation: `get_${type}_quota`,
          method: 'GET',
          resource: 'user',
          query: { quota: '', uid, 'quota-type': type },
          schema: RgwQuotaSchema,
        },
        options,
      );
    },

    /** Both of a user's quotas in one call. */
    getQuotas(uid: string, options?: CallOptions): Promise<{ user: RgwQuota; bucket: RgwQuota }> {
      return transport.call(
        {
          operation: 'get_quotas',
          method: 'GET',
          resource: 'user',
          query: { quota: '', uid },
          schema: RgwUserQuotasSchema,
        },
        options,
      );
    },

    /** Replace one of a user's quotas (every field is sent, so none keeps a stale value; RGW keeps fields not sent). */
    async setQuota(uid: string, type: RgwQuotaType, quota: RgwQuotaInput, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: `set_${type}_quota`,
          method: 'PUT',
          resource: 'user',
          query: { quota: '', uid, 'quota-type': type, ...wire(quota) },
          idempotent: true,
        },
        options,
      );
    },

    /** Replace the quota of one existing bucket (`PUT /admin/bucket?quota`; needs `buckets=write`). */
    async setBucketQuota(uid: string, bucket: string, quota: RgwQuotaInput, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: 'set_bucket_quota',
          method: 'PUT',
          resource: 'bucket',
          query: { quota: '', uid, bucket, ...wire(quota) },
          idempotent: true,
        },
        options,
      );
    },
  };
}
