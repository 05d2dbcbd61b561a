import { type CallOptions, OcxError } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import { z } from 'zod';
import { remapRgwError } from './parse-rgw-error.js';

/** S3 bucket names as RGW accepts them by default (DNS-compatible). */
export const BucketNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be 3–63 lower-case letters, digits, "." or "-"');

/** Object keys: 1–1024 characters, no control characters. */
export const ObjectKeySchema = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (key) => ![...key].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127),
    'must not contain control characters',
  );

/** RFC 3986 encoding of one path segment: what SigV4's canonical path uses, so RGW computes the same. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A few S3 calls signed with one RGW user's own keys: for demos and tests that play the project
 * (create a bucket, write and read objects), not a full S3 client.
 */
export function s3ObjectCalls(http: HttpClient) {
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw remapRgwError(error);
    }
  };
  return {
    /** Create a bucket owned by this user. A bucket the user already owns is a success. */
    async createBucket(bucket: string, options?: CallOptions): Promise<void> {
      await call(async () => {
        try {
          await http.put(`/${encodeSegment(bucket)}`, {
            operation: 's3_create_bucket',
            responseType: 'empty',
            signal: options?.signal,
          });
        } catch (error) {
          if (OcxError.is(error) && error.backendErrorType === 'BucketAlreadyOwnedByYou') return;
          throw error;
        }
      });
    },

    /** Write an object; returns its ETag. */
    async putObject(
      bucket: string,
      key: string,
      body: string | Buffer,
      options?: CallOptions,
    ): Promise<{ etag: string | undefined }> {
      return call(async () => {
        const response = await http.put(`/${encodeSegment(bucket)}/${key.split('/').map(encodeSegment).join('/')}`, {
          operation: 's3_put_object',
          body,
          headers: { 'content-type': 'application/octet-stream' },
          responseType: 'empty',
          signal: options?.signal,
        });
        const etag = response.headers.etag;
        return { etag: Array.isArray(etag) ? etag[0] : etag };
      });
    },

    /** Read an object's bytes. */
    async getObject(bucket: string, key: string, options?: CallOptions): Promise<Buffer> {
      return call(async () => {
        const response = await http.get(`/${encodeSegment(bucket)}/${key.split('/').map(encodeSegment).join('/')}`, {
          operation: 's3_get_object',
          responseType: 'buffer',
          signal: options?.signal,
        });
        return response.data;
      });
    },
  };
}
