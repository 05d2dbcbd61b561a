import { OcxError } from '@ocx/core';
import { bearerToken, createHttpClient, type HttpClient } from '@ocx/core/http';
import { z } from 'zod';
import type { ListingQuery } from './listing-query.js';
import type { SwiftLandlord } from './proxy-options.js';
import { ACCOUNT_USAGE_HEADERS, CONTAINER_USAGE_HEADERS, readUsage, type Usage } from './swift-usage.js';
import { tempAuthToken } from './tempauth-token.js';

/** A container in an account listing. Unknown fields pass through. */
export const ContainerEntrySchema = z
  .object({
    name: z.string(),
    count: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    last_modified: z.string().optional(),
  })
  .passthrough();
/** A container as Swift lists it. */
export type ContainerEntry = z.infer<typeof ContainerEntrySchema>;

/** An object (or, with a delimiter, a pseudo-directory) in a container listing. */
export const ObjectEntrySchema = z.union([
  z.object({ subdir: z.string() }).passthrough(),
  z
    .object({
      name: z.string(),
      bytes: z.number().int().nonnegative(),
      hash: z.string().optional(),
      content_type: z.string().optional(),
      last_modified: z.string().optional(),
    })
    .passthrough(),
]);
/** An object or pseudo-directory as Swift lists it. */
export type ObjectEntry = z.infer<typeof ObjectEntrySchema>;

/** One page of a listing from one landlord, with the usage headers that came with it. */
export interface BackendListing<Entry> {
  entries: Entry[];
  usage: Usage;
}

/** One landlord's Swift account, read through `@ocx/core/http` with that landlord's own token. */
export interface SwiftBackend {
  readonly landlord: string;
  listAccount(query: ListingQuery, signal: AbortSignal): Promise<BackendListing<ContainerEntry>>;
  headAccount(signal: AbortSignal): Promise<Usage>;
  /** Undefined when the container does not exist in this landlord's Swift. */
  listContainer(
    container: string,
    query: ListingQuery,
    signal: AbortSignal,
  ): Promise<BackendListing<ObjectEntry> | undefined>;
  headContainer(container: string, signal: AbortSignal): Promise<Usage | undefined>;
  close(): Promise<void>;
}

/**
 * Make the backend of one landlord. Its client's auth plug-in adds `X-Auth-Token` only to
 * requests for this landlord's origin, so a token never reaches another landlord.
 */
export function createSwiftBackend(
  landlord: SwiftLandlord,
  settings: { timeoutMs: number; retries: number },
): SwiftBackend {
  const storage = new URL(landlord.storageUrl);
  const accountPath = storage.pathname.replace(/\/+$/, '');
  const getToken =
    landlord.auth.kind === 'token'
      ? ((token) => async () => ({ token }))(landlord.auth.token)
      : tempAuthToken({
          landlord: landlord.id,
          authUrl: landlord.auth.authUrl,
          user: landlord.auth.user,
          key: landlord.auth.key,
          ...settings,
        });
  const client: HttpClient = createHttpClient({
    backend: landlord.id,
    baseUrl: storage.origin,
    timeoutMs: settings.timeoutMs,
    retry: { retries: settings.retries, minDelayMs: 50, maxDelayMs: 500, maxRetryAfterMs: 1_000 },
    auth: bearerToken({ header: 'X-Auth-Token', getToken }),
  });
  const containerPath = (container: string): string => `${accountPath}/${encodeURIComponent(container)}`;
  const listingQuery = (query: ListingQuery) => ({
    format: 'json',
    limit: query.limit,
    marker: query.marker,
    end_marker: query.endMarker,
    prefix: query.prefix,
    delimiter: query.delimiter,
  });
  const missingAsUndefined = (error: unknown): undefined => {
    if (OcxError.is(error) && error.code === 'not-found') return undefined;
    throw error;
  };

  return {
    landlord: landlord.id,
    async listAccount(query, signal) {
      try {
        const response = await client.get(accountPath, {
          query: listingQuery(query),
          schema: z.array(ContainerEntrySchema).optional(),
          operation: 'list_containers',
          signal,
        });
        return { entries: response.data ?? [], usage: readUsage(response.headers, ACCOUNT_USAGE_HEADERS, landlord.id) };
      } catch (error) {
        // An account this Swift never created holds nothing: not a fault.
        missingAsUndefined(error);
        return { entries: [], usage: readUsage({}, ACCOUNT_USAGE_HEADERS, landlord.id) };
      }
    },
    async headAccount(signal) {
      try {
        const response = await client.head(accountPath, { responseType: 'empty', operation: 'head_account', signal });
        return readUsage(response.headers, ACCOUNT_USAGE_HEADERS, landlord.id);
      } catch (error) {
        missingAsUndefined(error);
        return readUsage({}, ACCOUNT_USAGE_HEADERS, landlord.id);
      }
    },
    async listContainer(container, query, signal) {
      try {
        const response = await client.get(containerPath(container), {
          query: listingQuery(query),
          schema: z.array(ObjectEntrySchema).optional(),
          operation: 'list_objects',
          signal,
        });
        return {
          entries: response.data ?? [],
          usage: readUsage(response.headers, CONTAINER_USAGE_HEADERS, landlord.id),
        };
      } catch (error) {
        return missingAsUndefined(error);
      }
    },
    async headContainer(container, signal) {
      try {
        const response = await client.head(containerPath(container), {
          responseType: 'empty',
          operation: 'head_container',
          signal,
        });
        return readUsage(response.headers, CONTAINER_USAGE_HEADERS, landlord.id);
      } catch (error) {
        return missingAsUndefined(error);
      }
    },
    close: () => client.close(),
  };
}
