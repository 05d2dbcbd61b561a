import { OcxError } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import type { KeystoneSession } from '../keystone/session.js';
import { lazy } from './lazy.js';
import { negotiateMicroversion } from './microversion.js';

/** How a service takes its microversion. */
export interface MicroversionSettings {
  /** The service type in `OpenStack-API-Version`: `compute`, `volume`. */
  headerType: string;
  /** A legacy header that carries the bare version too (Nova: `X-OpenStack-Nova-API-Version`). */
  legacyHeader?: string;
  wanted: string;
  minimum: string;
  /** The version document's URL, from the endpoint URL. */
  versionDocument(endpoint: string): string;
}

/** Options of {@link createServiceClient}. */
export interface ServiceClientSettings {
  /** The backend's name in errors and logs: `nova`, `cinder`, … */
  backend: string;
  /** The catalog type: `compute`, `block-storage`, `network`, `image`, `object-store`. */
  type: string;
  /** Turn the catalog URL into the client's base URL (e.g. strip a version suffix). */
  baseUrl?: (endpoint: string) => string;
  microversion?: MicroversionSettings;
  /** Use this endpoint instead of the catalog's (a URL the caller was told). */
  endpointOverride?: string;
}

/** One service's HTTP client, made on first use from the catalog (and the negotiated microversion). */
export interface OpenStackServiceClient {
  readonly backend: string;
  client(signal?: AbortSignal): Promise<HttpClient>;
  /** The negotiated microversion; undefined for services without microversions. */
  microversion(signal?: AbortSignal): Promise<string | undefined>;
  /** The service's endpoint as the catalog gives it. */
  endpoint(signal?: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

/**
 * A service client: looks up the endpoint in the session's catalog, negotiates the microversion
 * once, then makes an HTTP client that sends it on every call and authenticates with the
 * session's token.
 */
export function createServiceClient(session: KeystoneSession, settings: ServiceClientSettings): OpenStackServiceClient {
  let made: HttpClient | undefined;
  const state = lazy(async () => {
    const endpoint = settings.endpointOverride ?? (await session.endpoint(settings.type));
    const baseUrl = settings.baseUrl?.(endpoint) ?? endpoint;
    let microversion: string | undefined;
    const headers: Record<string, string> = {};
    if (settings.microversion !== undefined) {
      const plain = session.serviceClient(settings.backend, baseUrl);
      microversion = await negotiateMicroversion(plain, {
        service: settings.backend,
        path: settings.microversion.versionDocument(endpoint),
        wanted: settings.microversion.wanted,
        minimum: settings.microversion.minimum,
      });
      headers['OpenStack-API-Version'] = `${settings.microversion.headerType} ${microversion}`;
      if (settings.microversion.legacyHeader !== undefined) headers[settings.microversion.legacyHeader] = microversion;
    }
    made = session.serviceClient(settings.backend, baseUrl, headers);
    return { endpoint, client: made, microversion };
  });
  const ready = async (signal?: AbortSignal) => {
    if (signal?.aborted) {
      throw new OcxError({
        code: 'aborted',
        backend: settings.backend,
        message: `${settings.backend}: the call was aborted by the caller`,
      });
    }
    return state();
  };
  return {
    backend: settings.backend,
    client: async (signal) => (await ready(signal)).client,
    microversion: async (signal) => (await ready(signal)).microversion,
    endpoint: async (signal) => (await ready(signal)).endpoint,
    async close() {
      await made?.close();
    },
  };
}
