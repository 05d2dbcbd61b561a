import { type CallOptions, OcxError } from '@ocx/core';
import { bodyFromAnswer, collectBody } from './body.js';
import type { ObjectStoreTarget } from './object-store-target.js';
import { identityFields, parseTargetIdentity } from './target-identity.js';

/**
 * The S3 calls a target needs, typed structurally so this package does not depend on
 * `@ocx/driver-ceph`. `putObject` and `getObject` are those of that driver's `s3ObjectCalls`
 * (signed with a project's own keys): `putObject` takes the whole object as one `Buffer` and
 * `getObject` answers one `Buffer`. That client has no `deleteObject` or `listObjects` (ListObjectsV2)
 * yet; supply them from a fuller S3 client until it does.
 */
export interface S3ObjectClient {
  putObject(bucket: string, key: string, body: Buffer | string, options?: CallOptions): Promise<unknown>;
  /** The object's bytes, whole or streamed; a missing key rejects with `not-found`. */
  getObject(
    bucket: string,
    key: string,
    options?: CallOptions,
  ): Promise<Buffer | Uint8Array | AsyncIterable<Uint8Array>>;
  deleteObject(bucket: string, key: string, options?: CallOptions): Promise<unknown>;
  listObjects(
    bucket: string,
    filter: { prefix: string },
    options?: CallOptions,
  ): AsyncIterable<{ key: string; size?: number }>;
}

/** Options of {@link s3Target}. */
export interface S3TargetOptions {
  landlord: string;
  organization?: string;
  /** The landlord's object-storage service id. Default `s3`. */
  service?: string;
  client: S3ObjectClient;
  /** The bucket that holds the shares; it must exist. */
  bucket: string;
  /** The most one `put` buffers (the client takes a whole `Buffer`). Default 64 MiB. */
  maxPutBytes?: number;
}

const DEFAULT_MAX_PUT_BYTES = 64 << 20;

/**
 * A target over one S3 bucket of one landlord (Ceph RGW, or any S3 service). Like
 * {@link swiftTarget}, each share part is sent and read as one buffer, because the OCX S3 client
 * takes and returns whole buffers; parts are small, so memory stays bounded.
 *
 * @example
 * ```ts
 * const target = s3Target({ landlord: 'harvard', organization: 'Harvard University', client: s3, bucket: 'shares' });
 * ```
 */
export function s3Target(options: S3TargetOptions): ObjectStoreTarget {
  const { client, bucket, maxPutBytes = DEFAULT_MAX_PUT_BYTES, ...identityInput } = options;
  const identity = parseTargetIdentity({ service: 's3', ...identityInput }, 's3Target options');
  if (typeof bucket !== 'string' || bucket === '' || typeof client?.putObject !== 'function') {
    throw new OcxError({
      code: 'validation',
      message: 's3Target options: client and bucket are required',
      issues: [{ path: typeof bucket === 'string' && bucket !== '' ? 'client' : 'bucket', message: 'is required' }],
      fault: 'client',
    });
  }
  return {
    ...identityFields(identity),
    maxPutBytes,
    async put(key, body, callOptions) {
      const data = await collectBody(body, { maxBytes: maxPutBytes, what: `s3 ${bucket}/${key}` });
      await client.putObject(bucket, key, data, callOptions);
    },
    async get(key, callOptions) {
      return bodyFromAnswer(await client.getObject(bucket, key, callOptions));
    },
    async delete(key, callOptions) {
      try {
        await client.deleteObject(bucket, key, callOptions);
      } catch (error) {
        if (!(OcxError.is(error) && error.code === 'not-found')) throw error;
      }
    },
    async *list(prefix, callOptions) {
      for await (const object of client.listObjects(bucket, { prefix }, callOptions)) {
        yield { key: object.key, ...(object.size === undefined ? {} : { size: object.size }) };
      }
    },
  };
}
