import type { CallOptions } from '@ocx/core';
import { type AuthPlugin, createHttpClient, mutualTls } from '@ocx/core/http';
import type { Dispatcher } from 'undici';
import type { VersionInfo } from './api-version.js';
import { type KeylimeClientOptions, parseKeylimeClientOptions } from './client-options.js';
import { keylimeErrorParser } from './envelope.js';
import { createKeylimeEndpoint, type KeylimeEndpoint } from './keylime-endpoint.js';
import { createRegistrarAgents, type RegistrarAgents } from './registrar-agents.js';
import { createVerifierAgents, type VerifierAgents } from './verifier-agents.js';
import {
  createMeasuredBootPolicies,
  createRuntimePolicies,
  type PolicyCollection,
  type RuntimePolicyInput,
} from './verifier-policies.js';
import type { MeasuredBootPolicyRecord, RuntimePolicyRecord } from './verifier-schemas.js';

/** The verifier's API. */
export interface KeylimeVerifierApi {
  /** The API version negotiated with this verifier (asked once, then kept). */
  apiVersion(options?: CallOptions): Promise<string>;
  /** `GET /version`. */
  versionInfo(options?: CallOptions): Promise<VersionInfo>;
  agents: VerifierAgents;
  /** Named runtime (IMA) policies, `/allowlists`. */
  runtimePolicies: PolicyCollection<RuntimePolicyInput, RuntimePolicyRecord>;
  /** Named measured-boot policies, `/mbpolicies` (API 2.3+). */
  measuredBootPolicies: PolicyCollection<Record<string, unknown>, MeasuredBootPolicyRecord>;
}

/** The registrar's admin API. */
export interface KeylimeRegistrarApi {
  apiVersion(options?: CallOptions): Promise<string>;
  versionInfo(options?: CallOptions): Promise<VersionInfo>;
  agents: RegistrarAgents;
}

/** A client of one tenant's Keylime verifier and registrar. */
export interface KeylimeClient {
  readonly verifier: KeylimeVerifierApi;
  readonly registrar: KeylimeRegistrarApi;
  /** Close both connection pools. Idempotent. */
  close(): Promise<void>;
}

function injectedDispatcher(dispatcher: Dispatcher): AuthPlugin {
  // The caller's dispatcher carries the client certificate; there is no header to add.
  return { name: 'keylime-dispatcher', authorize() {}, dispatcher, presentsClientCertificate: true };
}

/**
 * A client of Keylime's verifier and registrar (REST API 2.x) over mutual TLS: the servers'
 * certificates are checked against the given CA only, and the client certificate is presented
 * on every connection. Each server's API version is negotiated on first use (the highest 2.x
 * both speak, from `GET /version`) and kept. Every failure is an `OcxError`; Keylime's own
 * message (the envelope's `status`) is in `backendMessage`.
 *
 * @example
 * ```ts
 * const keylime = createKeylimeClient({
 *   verifier: { url: 'https://verifier.example:8881' },
 *   registrar: { url: 'https://registrar.example:8891' },
 *   tls: { ca: caPem, cert: tenantCertPem, key: Secret.from(tenantKeyPem) },
 * });
 * const registered = await keylime.registrar.agents.list();
 * const status = await keylime.verifier.agents.get(registered[0]!);
 * await keylime.close();
 * ```
 */
export function createKeylimeClient(options: KeylimeClientOptions): KeylimeClient {
  const parsed = parseKeylimeClientOptions(options);
  const endpoint = (backend: string, baseUrl: string): KeylimeEndpoint => {
    const auth =
      parsed.dispatcher === undefined
        ? mutualTls({
            ca: parsed.tls.ca,
            cert: parsed.tls.cert,
            key: parsed.tls.key,
            ...(parsed.tls.passphrase === undefined ? {} : { passphrase: parsed.tls.passphrase }),
            ...(parsed.tls.servername === undefined ? {} : { servername: parsed.tls.servername }),
            dangerouslyDisableTlsVerification: parsed.tls.dangerouslyDisableTlsVerification ?? false,
          })
        : injectedDispatcher(parsed.dispatcher);
    const http = createHttpClient({
      backend,
      baseUrl,
      auth,
      errorParser: keylimeErrorParser,
      ...(parsed.timeoutMs === undefined ? {} : { timeoutMs: parsed.timeoutMs }),
      ...(parsed.logger === undefined ? {} : { logger: parsed.logger }),
      ...(parsed.retries === undefined ? {} : { retry: { retries: parsed.retries } }),
    });
    return createKeylimeEndpoint(http, {
      ...(parsed.apiVersion === undefined ? {} : { preferredVersion: parsed.apiVersion }),
      ...(parsed.logger === undefined ? {} : { logger: parsed.logger }),
    });
  };

  const verifier = endpoint('keylime-verifier', parsed.verifier.url);
  const registrar = endpoint('keylime-registrar', parsed.registrar.url);
  let closed: Promise<void> | undefined;

  return {
    verifier: {
      apiVersion: verifier.apiVersion,
      versionInfo: verifier.versionInfo,
      agents: createVerifierAgents(verifier),
      runtimePolicies: createRuntimePolicies(verifier),
      measuredBootPolicies: createMeasuredBootPolicies(verifier),
    },
    registrar: {
      apiVersion: registrar.apiVersion,
      versionInfo: registrar.versionInfo,
      agents: createRegistrarAgents(registrar),
    },
    close() {
      closed ??= Promise.all([verifier.close(), registrar.close()]).then(() => undefined);
      return closed;
    },
  };
}
