import type { CallOptions } from '@ocx/core';
import { z } from 'zod';
import { type RgwBucket, RgwBucketSchema } from './rgw-schemas.js';
import type { RgwTransport } from './rgw-transport.js';

/** The bucket calls of the Admin Ops API. */
export function rgwBucketCalls(transport: RgwTransport) {
  return {
    /** Names of a user's buckets (or of every bucket, without `uid`). */
    listBuckets(uid?: string, options?: CallOptions): Promise<string[]> {
      return transport.call(
        { operation: 'list_buckets', method: 'GET', resource: 'bucket', query: { uid }, schema: z.array(z.string()) },
        options,
      );
    },

    /** One bucket with its usage statistics (`stats=true`). Unknown buckets are `not-found`. */
    getBucketStats(bucket: string, options?: CallOptions): Promise<RgwBucket> {
      return transport.call(
        {
          operation: 'get_bucket_stats',
          method: 'GET',
          resource: 'bucket',
          query: { bucket, stats: 'true' },
          schema: RgwBucketSchema,
        },
        options,
      );
    },

    /** Every bucket of a user with its statistics, in one call. */
    listBucketStats(uid: string, options?: CallOptions): Promise<RgwBucket[]> {
      return transport.call(
        {
          operation: 'list_bucket_stats',
          method: 'GET',
          resource: 'bucket',
          query: { uid, stats: 'true' },
          schema: z.array(RgwBucketSchema),
        },
        options,
      );
    },

    /** Delete a bucket; `purgeObjects` deletes what it holds first (else a non-empty bucket is `conflict`, BucketNotEmpty). */
    async removeBucket(bucket: string, query: { purgeObjects?: boolean } = {}, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: 'remove_bucket',
          method: 'DELETE',
          resource: 'bucket',
          query: { bucket, 'purge-objects': query.purgeObjects === undefined ? undefined : String(query.purgeObjects) },
          idempotent: true,
        },
        options,
      );
    },
  };
}
