import { OcxError } from '@ocx/core';
import type { CatalogEntry } from './token-results.js';

/** Which endpoints of a service the driver talks to. */
export type EndpointInterface = 'public' | 'internal' | 'admin';

/**
 * Service types and the older names clouds still register them under (from the OpenStack
 * service-types authority): a Zed cloud lists Cinder as both `volumev3` and `block-storage`.
 */
const SERVICE_TYPE_ALIASES: Record<string, readonly string[]> = {
  'block-storage': ['block-storage', 'volumev3', 'volume', 'block-store'],
  compute: ['compute'],
  network: ['network'],
  image: ['image'],
  'object-store': ['object-store'],
  identity: ['identity'],
  placement: ['placement'],
};

/** Which endpoint to pick from the catalog. */
export interface EndpointQuery {
  type: string;
  interface: EndpointInterface;
  /** Region id or name; any region when absent. */
  region?: string;
}

/** The URL of a service's endpoint, or undefined when the catalog has none matching. */
export function findEndpoint(catalog: readonly CatalogEntry[], query: EndpointQuery): string | undefined {
  for (const type of SERVICE_TYPE_ALIASES[query.type] ?? [query.type]) {
    for (const entry of catalog.filter((candidate) => candidate.type === type)) {
      const endpoint = entry.endpoints.find(
        (candidate) =>
          candidate.interface === query.interface &&
          (query.region === undefined || candidate.region_id === query.region || candidate.region === query.region),
      );
      if (endpoint !== undefined) return endpoint.url;
    }
  }
  return undefined;
}

/** {@link findEndpoint}, or a `capability` error naming what is missing. */
export function requireEndpoint(catalog: readonly CatalogEntry[], query: EndpointQuery): string {
  const url = findEndpoint(catalog, query);
  if (url !== undefined) return url;
  throw new OcxError({
    code: 'capability',
    backend: 'keystone',
    operation: 'catalog',
    message: `The Keystone catalog has no ${query.type} endpoint with interface ${query.interface}${
      query.region === undefined ? '' : ` in region ${query.region}`
    }`,
  });
}

/** Whether the catalog lists a service of this type (any interface, any region). */
export function catalogHas(catalog: readonly CatalogEntry[], type: string): boolean {
  const types = SERVICE_TYPE_ALIASES[type] ?? [type];
  return catalog.some((entry) => types.includes(entry.type) && entry.endpoints.length > 0);
}
