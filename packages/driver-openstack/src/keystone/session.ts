import { type Clock, type Logger, OcxError, Secret } from '@ocx/core';
import {
  type AuthPlugin,
  type AuthRequest,
  bearerToken,
  createHttpClient,
  type HttpClient,
  type RetryOptions,
} from '@ocx/core/http';
import type { Dispatcher } from 'undici';
import { authRequestBody, type KeystoneAuth, keystoneV3Url } from './auth-options.js';
import { type EndpointInterface, requireEndpoint } from './catalog.js';
import { type TokenInfo, TokenResponseSchema, tokenInfoFrom } from './token-results.js';

/** HTTP settings every client of one driver shares. */
export interface HttpSettings {
  timeoutMs: number;
  dispatcher?: Dispatcher;
  logger?: Logger;
  retry?: Partial<RetryOptions>;
  clock?: Clock;
}

/** Options of {@link createKeystoneSession}. */
export interface KeystoneSessionOptions {
  /** The credentials to authenticate with; or give `authUrl` and `obtainToken`. */
  auth?: KeystoneAuth;
  /** Keystone's URL, when `auth` does not carry it. */
  authUrl?: string;
  /** How to get a token when it is not a plain password or application-credential login (K2K). */
  obtainToken?: (tokens: HttpClient) => Promise<{ token: Secret; info: TokenInfo }>;
  /** Catalog interface to use. Default `public`. */
  interface?: EndpointInterface;
  region?: string;
  http: HttpSettings;
  /** Re-authenticate this long before the token expires. Default 120000. */
  refreshBeforeMs?: number;
}

/**
 * A Keystone session: one token for every service client of a driver, issued on first use,
 * cached, renewed before it expires and once more after a 401 (through the core `bearerToken`
 * plug-in with the `X-Auth-Token` header), and the service catalog that came with it.
 */
export interface KeystoneSession {
  /** Keystone's v3 URL (ends in `/v3`). */
  readonly authUrl: string;
  /** The auth plug-in every service client of this session uses. */
  readonly authPlugin: AuthPlugin;
  /** An authenticated client of the Identity API (base: {@link authUrl}). */
  readonly identity: HttpClient;
  readonly http: HttpSettings;
  readonly interface: EndpointInterface;
  readonly region: string | undefined;
  /** The current token's facts (authenticating first if needed). */
  current(signal?: AbortSignal): Promise<TokenInfo>;
  /** The current token's text, for the few calls that put it in a body (K2K). */
  tokenText(signal?: AbortSignal): Promise<Secret>;
  /** A service's endpoint URL from the catalog (`compute`, `block-storage`, `network`, `image`, `object-store`). */
  endpoint(type: string, signal?: AbortSignal): Promise<string>;
  /** An HTTP client of one service that authenticates with this session. */
  serviceClient(backend: string, baseUrl: string, headers?: Record<string, string>): HttpClient;
  /** Issue a token with any body, without the session's auth (rescoping, K2K). */
  issueToken(body: unknown, signal?: AbortSignal): Promise<{ token: Secret; info: TokenInfo }>;
  close(): Promise<void>;
}

/**
 * Issue tokens from `POST /v3/auth/tokens` with `body`. Returns the token text as a `Secret`
 * (registered with the redactor at once) and its parsed body.
 */
export async function issueKeystoneToken(
  tokens: HttpClient,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ token: Secret; info: TokenInfo }> {
  const response = await tokens.post('auth/tokens', {
    json: body,
    schema: TokenResponseSchema,
    operation: 'issue_token',
    // Issuing a second token after a lost answer is harmless, so a timeout may be retried.
    idempotent: true,
    expectedStatus: [200, 201],
    signal,
  });
  const header = response.headers['x-subject-token'];
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || text === '') {
    throw new OcxError({
      code: 'protocol',
      backend: 'keystone',
      operation: 'issue_token',
      fault: 'server',
      message: 'Keystone answered POST /v3/auth/tokens without an X-Subject-Token header',
    });
  }
  return { token: Secret.from(text), info: tokenInfoFrom(response.data) };
}

/**
 * Create a Keystone session.
 *
 * @example
 * ```ts
 * const session = createKeystoneSession({
 *   auth: parseKeystoneAuth({ url: 'http://keystone:5000/v3', username: 'admin', password: pw, project: 'admin' }),
 *   http: { timeoutMs: 30_000 },
 * });
 * const nova = session.serviceClient('nova', await session.endpoint('compute'));
 * ```
 */
export function createKeystoneSession(options: KeystoneSessionOptions): KeystoneSession {
  const authUrl = keystoneV3Url(options.authUrl ?? options.auth?.url ?? '');
  const obtainToken =
    options.obtainToken ?? ((tokens: HttpClient) => issueKeystoneToken(tokens, authRequestBody(options.auth!)));
  const http = options.http;
  const endpointInterface = options.interface ?? 'public';
  const base = {
    timeoutMs: http.timeoutMs,
    dispatcher: http.dispatcher,
    logger: http.logger,
    retry: http.retry,
    clock: http.clock,
  };
  const tokens = createHttpClient({ backend: 'keystone', baseUrl: authUrl, ...base });
  let latest: TokenInfo | undefined;

  const authPlugin = bearerToken({
    header: 'X-Auth-Token',
    refreshBeforeMs: options.refreshBeforeMs ?? 120_000,
    clock: http.clock,
    getToken: async () => {
      const { token, info } = await obtainToken(tokens);
      latest = info;
      return { token, expiresAt: info.expiresAt };
    },
  });

  /** Let the plug-in authorize a scratch request: it issues or renews the token as needed. */
  const authorizeScratch = async (signal?: AbortSignal): Promise<AuthRequest> => {
    const scratch: AuthRequest = { method: 'GET', url: new URL(authUrl), headers: {} };
    await authPlugin.authorize(scratch, { signal });
    return scratch;
  };

  const serviceClient = (backend: string, baseUrl: string, headers?: Record<string, string>): HttpClient =>
    createHttpClient({ backend, baseUrl, auth: authPlugin, headers, ...base });

  return {
    authUrl,
    authPlugin,
    identity: serviceClient('keystone', authUrl),
    http,
    interface: endpointInterface,
    region: options.region,
    async current(signal) {
      await authorizeScratch(signal);
      return latest!;
    },
    async tokenText(signal) {
      const scratch = await authorizeScratch(signal);
      return Secret.from(scratch.headers['x-auth-token']!);
    },
    async endpoint(type, signal) {
      await authorizeScratch(signal);
      return requireEndpoint(latest!.catalog, { type, interface: endpointInterface, region: options.region });
    },
    serviceClient,
    issueToken: (body, signal) => issueKeystoneToken(tokens, body, signal),
    async close() {
      await tokens.close();
    },
  };
}
