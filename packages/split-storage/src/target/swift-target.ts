import { type CallOptions, OcxError } from '@ocx/core';
import { bodyFromAnswer, collectBody } from './body.js';
import type { ObjectStoreTarget } from './object-store-target.js';
import { identityFields, parseTargetIdentity } from './target-identity.js';

/**
 * The Swift calls a target needs, typed structurally so this package does not depend on
 * `@ocx/driver-openstack`. `putObject`, `listObjects` and `deleteObject` are those of that driver's
 * `SwiftClient` (`createSwiftClient`): `putObject` takes the whole object as one `Buffer`, and
 * `deleteObject` treats a missing object as deleted. That client has no `getObject` yet; supply
 * one (a GET of `{account}/{container}/{name}` through `@ocx/core/http`) until it does.
 */
export interface SwiftObjectClient {
  putObject(
    container: string,
    name: string,
    data: Buffer | string,
    projectId?: string,
    options?: CallOptions,
  ): Promise<unknown>;
  /** The object's bytes, whole or streamed; a missing object rejects with `not-found`. */
  getObject(
    container: string,
    name: string,
    projectId?: string,
    options?: CallOptions,
  ): Promise<Buffer | Uint8Array | AsyncIterable<Uint8Array>>;
  listObjects(
    container: string,
    projectId?: string,
    filter?: { prefix?: string; pageSize?: number },
    options?: CallOptions,
  ): AsyncIterable<{ name: string; bytes?: number }>;
  deleteObject(container: string, name: string, projectId?: string, options?: CallOptions): Promise<unknown>;
}

/** Options of {@link swiftTarget}. */
export interface SwiftTargetOptions {
  landlord: string;
  organization?: string;
  /** The landlord's object-storage service id. Default `swift`. */
  service?: string;
  client: SwiftObjectClient;
  /** The container that holds the shares; it must exist. */
  container: string;
  /** The project whose account holds the container; the client's own project when absent. */
  project?: string;
  /**
   * The most one `put` buffers (the Swift client takes a whole `Buffer`). Default 64 MiB; the
   * split store's parts (4 MiB by default) stay far below it.
   */
  maxPutBytes?: number;
}

const DEFAULT_MAX_PUT_BYTES = 64 << 20;

function checkName(value: unknown, field: string, what: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new OcxError({
    code: 'validation',
    message: `${what}: ${field} is required`,
    issues: [{ path: field, message: 'is required' }],
    fault: 'client',
  });
}

/**
 * A target over one Swift container of one landlord (OpenStack Swift, or Ceph RGW's Swift API).
 * Each share object is sent as one buffer because the OCX Swift client takes a `Buffer`; the split
 * store writes shares in parts of bounded size, so that buffer is one part, never a whole object.
 *
 * @example
 * ```ts
 * import { createSwiftClient } from '@ocx/driver-openstack';
 * const target = swiftTarget({ landlord: 'bu', organization: 'Boston University', client: swift, container: 'shares' });
 * ```
 */
export function swiftTarget(options: SwiftTargetOptions): ObjectStoreTarget {
  const { client, container, project, maxPutBytes = DEFAULT_MAX_PUT_BYTES, ...identityInput } = options;
  const identity = parseTargetIdentity({ service: 'swift', ...identityInput }, 'swiftTarget options');
  checkName(container, 'container', 'swiftTarget options');
  if (typeof client?.putObject !== 'function') checkName(undefined, 'client', 'swiftTarget options');
  return {
    ...identityFields(identity),
    maxPutBytes,
    async put(key, body, callOptions) {
      const data = await collectBody(body, { maxBytes: maxPutBytes, what: `swift ${container}/${key}` });
      await client.putObject(container, key, data, project, callOptions);
    },
    async get(key, callOptions) {
      return bodyFromAnswer(await client.getObject(container, key, project, callOptions));
    },
    async delete(key, callOptions) {
      try {
        await client.deleteObject(container, key, project, callOptions);
      } catch (error) {
        if (!(OcxError.is(error) && error.code === 'not-found')) throw error;
      }
    },
    async *list(prefix, callOptions) {
      for await (const object of client.listObjects(container, project, { prefix }, callOptions)) {
        yield { key: object.name, ...(object.bytes === undefined ? {} : { size: object.bytes }) };
      }
    },
  };
}
