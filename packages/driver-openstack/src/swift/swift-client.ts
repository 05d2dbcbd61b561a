import { type CallOptions, OcxError } from '@ocx/core';
import { type HttpClient, type HttpHeaders, markerPages } from '@ocx/core/http';
import type { OpenStackServiceClient } from '../shared/service-client.js';
import { ContainerListSchema, ObjectListSchema, type SwiftContainer, type SwiftObject } from './results.js';

/** An account's usage, from `HEAD /v1/{account}`; counters are exact integers as decimal strings (64-bit). */
export interface SwiftAccountUsage {
  bytesUsed: string;
  objectCount: string;
  containerCount: string;
  /** `X-Account-Meta-Quota-Bytes` (Zed's account quota), when set. */
  quotaBytes?: string;
}

/**
 * What an exchange needs of Swift: account usage (HEAD), the account byte quota (Zed's
 * `X-Account-Meta-Quota-Bytes`, which needs the ResellerAdmin role), and listings (`format=json`,
 * `limit` + `marker`, in Swift's byte order). Calls name a project; the driver's own project's
 * account is used when none is given.
 */
export interface SwiftClient {
  /** The account URL of a project (`…/v1/AUTH_<project>`). */
  accountUrl(projectId?: string, options?: CallOptions): Promise<string>;
  headAccount(projectId?: string, options?: CallOptions): Promise<SwiftAccountUsage>;
  /** Set (bytes) or remove (null) the account's byte quota. */
  setAccountQuotaBytes(projectId: string, bytes: string | null, options?: CallOptions): Promise<void>;
  listContainers(
    projectId?: string,
    filter?: { prefix?: string; pageSize?: number },
    options?: CallOptions,
  ): AsyncGenerator<SwiftContainer>;
  listObjects(
    container: string,
    projectId?: string,
    filter?: { prefix?: string; pageSize?: number },
    options?: CallOptions,
  ): AsyncGenerator<SwiftObject>;
  createContainer(container: string, projectId?: string, options?: CallOptions): Promise<void>;
  /** Delete an (empty) container; a missing one is fine. */
  deleteContainer(container: string, projectId?: string, options?: CallOptions): Promise<void>;
  putObject(
    container: string,
    name: string,
    data: Buffer | string,
    projectId?: string,
    options?: CallOptions,
  ): Promise<void>;
  /** Delete an object; a missing one is fine. */
  deleteObject(container: string, name: string, projectId?: string, options?: CallOptions): Promise<void>;
}

function header(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function counter(headers: HttpHeaders, name: string): string {
  const value = header(headers, name)?.trim();
  if (value === undefined || value === '') return '0';
  if (!/^\d+$/.test(value)) {
    throw new OcxError({
      code: 'protocol',
      backend: 'swift',
      operation: 'head_account',
      fault: 'server',
      message: `swift sent a non-integer ${name}: ${value.slice(0, 40)}`,
    });
  }
  return value;
}

const notFound = (error: unknown): boolean => OcxError.is(error) && error.code === 'not-found';

/** Split the catalog URL `…/v1/AUTH_<project>` into the `…/v1` root and the reseller prefix `AUTH_`. */
export function splitSwiftAccountUrl(url: string): { root: string; prefix: string; account: string } {
  const trimmed = url.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  const account = trimmed.slice(slash + 1);
  const prefix = /^([A-Za-z0-9]*_)/.exec(account)?.[1] ?? 'AUTH_';
  return { root: trimmed.slice(0, slash), prefix, account };
}

/**
 * The Swift client. Its HTTP client's base is the catalog's object-store URL; other projects'
 * accounts are reached beside it on the same origin, so the token goes nowhere else.
 *
 * @example
 * ```ts
 * const swift = createSwiftClient(serviceClient);
 * const { bytesUsed } = await swift.headAccount(projectId);
 * ```
 */
export function createSwiftClient(service: OpenStackServiceClient): SwiftClient {
  const http = (signal?: AbortSignal): Promise<HttpClient> => service.client(signal);
  const account = async (projectId: string | undefined, signal?: AbortSignal): Promise<string> => {
    const endpoint = await service.endpoint(signal);
    if (projectId === undefined) return endpoint.replace(/\/+$/, '');
    const { root, prefix } = splitSwiftAccountUrl(endpoint);
    return `${root}/${prefix}${encodeURIComponent(projectId)}`;
  };
  const path = (...segments: string[]): string => segments.map((segment) => encodeURIComponent(segment)).join('/');

  const swift: SwiftClient = {
    accountUrl: (projectId, options = {}) => account(projectId, options.signal),
    async headAccount(projectId, options = {}) {
      const client = await http(options.signal);
      const { headers } = await client.head(await account(projectId, options.signal), {
        responseType: 'empty',
        operation: 'head_account',
        signal: options.signal,
      });
      const quota = header(headers, 'x-account-meta-quota-bytes');
      return {
        bytesUsed: counter(headers, 'x-account-bytes-used'),
        objectCount: counter(headers, 'x-account-object-count'),
        containerCount: counter(headers, 'x-account-container-count'),
        ...(quota === undefined || quota === '' ? {} : { quotaBytes: quota }),
      };
    },
    async setAccountQuotaBytes(projectId, bytes, options = {}) {
      const client = await http(options.signal);
      await client.post(await account(projectId, options.signal), {
        headers:
          bytes === null ? { 'X-Remove-Account-Meta-Quota-Bytes': 'x' } : { 'X-Account-Meta-Quota-Bytes': bytes },
        responseType: 'empty',
        operation: 'set_account_quota',
        // Setting a header to a value is idempotent even though the method is POST.
        idempotent: true,
        signal: options.signal,
      });
    },
    async *listContainers(projectId, filter = {}, options = {}) {
      const client = await http(options.signal);
      const url = await account(projectId, options.signal);
      yield* markerPages({
        what: `swift containers of ${projectId ?? 'the driver project'}`,
        limit: filter.pageSize ?? 10_000,
        signal: options.signal,
        fetchPage: async (marker, limit, signal) =>
          (
            await client.get(url, {
              query: { format: 'json', limit, marker, prefix: filter.prefix },
              schema: ContainerListSchema,
              operation: 'list_containers',
              signal,
            })
          ).data ?? [],
        key: (container) => container.name,
      });
    },
    async *listObjects(container, projectId, filter = {}, options = {}) {
      const client = await http(options.signal);
      const url = `${await account(projectId, options.signal)}/${path(container)}`;
      yield* markerPages({
        what: `swift objects of ${container}`,
        limit: filter.pageSize ?? 10_000,
        signal: options.signal,
        fetchPage: async (marker, limit, signal) =>
          (
            await client.get(url, {
              query: { format: 'json', limit, marker, prefix: filter.prefix },
              schema: ObjectListSchema,
              operation: 'list_objects',
              signal,
            })
          ).data ?? [],
        key: (object) => object.name,
      });
    },
    async createContainer(container, projectId, options = {}) {
      const client = await http(options.signal);
      await client.put(`${await account(projectId, options.signal)}/${path(container)}`, {
        responseType: 'empty',
        operation: 'create_container',
        signal: options.signal,
      });
    },
    async deleteContainer(container, projectId, options = {}) {
      const client = await http(options.signal);
      try {
        await client.delete(`${await account(projectId, options.signal)}/${path(container)}`, {
          responseType: 'empty',
          operation: 'delete_container',
          signal: options.signal,
        });
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    },
    async putObject(container, name, data, projectId, options = {}) {
      const client = await http(options.signal);
      await client.put(`${await account(projectId, options.signal)}/${path(container)}/${path(...name.split('/'))}`, {
        body: data,
        headers: { 'content-type': 'application/octet-stream' },
        responseType: 'empty',
        operation: 'put_object',
        signal: options.signal,
      });
    },
    async deleteObject(container, name, projectId, options = {}) {
      const client = await http(options.signal);
      try {
        await client.delete(
          `${await account(projectId, options.signal)}/${path(container)}/${path(...name.split('/'))}`,
          { responseType: 'empty', operation: 'delete_object', signal: options.signal },
        );
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    },
  };
  return swift;
}
