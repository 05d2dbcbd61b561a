import type { CallOptions } from '@ocx/core';

/**
 * The bytes of one object as a target receives or returns them: any async iterable of byte
 * chunks. A Node `Readable` (without an encoding) is one, and so is an async generator.
 */
export type ObjectBody = AsyncIterable<Uint8Array>;

/** Options of {@link ObjectStoreTarget.put}. */
export interface PutObjectOptions extends CallOptions {
  /**
   * The exact number of bytes the body will yield. The split store always knows it (every object it
   * writes to a target is a part of known geometry), so a backend that needs a `Content-Length`
   * before the first byte can stream instead of buffering.
   */
  size?: number;
}

/** One entry of {@link ObjectStoreTarget.list}. */
export interface StoredObjectEntry {
  /** The full key, including the listed prefix. */
  key: string;
  /** Its size in bytes, when the backend's listing reports it. */
  size?: number;
}

/**
 * Where the split store writes one share of each object: one bucket, container or directory of
 * one object-storage service of one landlord. Backend-neutral by design; adapters wrap real
 * clients (`swiftTarget`, `s3Target`) or keep bytes locally (`memoryTarget`, `fileTarget`).
 *
 * The contract the split store relies on:
 * - `put` stores the whole body under `key` or fails; it may overwrite. A rejected `put` may have
 *   left a partial object, which the store deletes while rolling back.
 * - `get` of a missing key rejects with an `OcxError` of code `not-found`.
 * - `delete` of a missing key succeeds (deletes are idempotent).
 * - `list(prefix)` yields every stored key that starts with `prefix`, each once, in any order.
 *
 * `landlord`, `organization` and `service` say who holds the bytes; the store refuses a placement
 * in which two targets share a landlord or an organization, since they could then pool their shares.
 */
export interface ObjectStoreTarget {
  /** The landlord that operates the service (an exchange landlord id). */
  readonly landlord: string;
  /** The landlord's organization, when known; two targets of one organization are refused. */
  readonly organization?: string;
  /** The object-storage service of that landlord (an exchange service id). */
  readonly service: string;
  /**
   * The largest body this target takes in one `put`, for adapters whose backend client needs the
   * whole body in one buffer. The split store refuses a part size above it, so memory stays bounded.
   */
  readonly maxPutBytes?: number;
  /** Store `body` under `key`. */
  put(key: string, body: ObjectBody, options?: PutObjectOptions): Promise<void>;
  /** The bytes stored under `key`; rejects with `not-found` when there are none. */
  get(key: string, options?: CallOptions): Promise<ObjectBody>;
  /** Remove `key`; a missing key is fine. */
  delete(key: string, options?: CallOptions): Promise<void>;
  /** Every key that starts with `prefix`. */
  list(prefix: string, options?: CallOptions): AsyncIterable<StoredObjectEntry>;
  /** The size of `key`, or `undefined` when it does not exist. Optional: `list` serves when absent. */
  head?(key: string, options?: CallOptions): Promise<{ size: number } | undefined>;
}

/** How a target is named in reports and errors: `landlord/service`. */
export function describeTarget(target: Pick<ObjectStoreTarget, 'landlord' | 'service'>): string {
  return `${target.landlord}/${target.service}`;
}
