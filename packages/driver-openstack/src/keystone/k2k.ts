import { OcxError, type Secret } from '@ocx/core';
import { createHttpClient, type HttpHeaders } from '@ocx/core/http';
import type { KeystoneSession } from './session.js';
import { createKeystoneSession, issueKeystoneToken } from './session.js';
import type { TokenInfo } from './token-results.js';

/** What a K2K token is for: a service provider (remote cloud) and the remote project to scope to. */
export interface K2kOptions {
  /** The service provider's id in this (the IdP) Keystone. */
  serviceProvider: string;
  /** The remote project to scope the token to; an unscoped token when absent. */
  project?: { id: string } | { name: string; domain: { id: string } | { name: string } };
  signal?: AbortSignal;
}

/** A token of the remote cloud and where it came from. */
export interface K2kToken {
  token: Secret;
  info: TokenInfo;
  /** The remote Keystone's v3 URL. */
  remoteAuthUrl: string;
}

const PAOS = 'application/vnd.paos+xml';

/** Whether two URLs name the same host (cookies without a Domain are host-only, any port). */
function sameHost(first: string, second: string): boolean {
  return new URL(first).hostname === new URL(second).hostname;
}

function headerText(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `name=value` pairs of the Set-Cookie headers, as one Cookie header. */
function cookiesFrom(headers: HttpHeaders): string | undefined {
  const raw = headers['set-cookie'];
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const pairs = values.map((cookie) => cookie.split(';')[0]!.trim()).filter((pair) => pair.includes('='));
  return pairs.length === 0 ? undefined : pairs.join('; ');
}

/** The remote Keystone's v3 URL from its federation auth URL (`…/v3/OS-FEDERATION/…/auth`). */
export function remoteKeystoneUrl(authUrl: string): string {
  const at = authUrl.indexOf('/OS-FEDERATION/');
  if (at === -1) {
    throw new OcxError({
      code: 'protocol',
      backend: 'keystone',
      operation: 'k2k',
      fault: 'server',
      message: `K2K auth URL ${authUrl} does not contain /OS-FEDERATION/`,
    });
  }
  return authUrl.slice(0, at);
}

/**
 * Keystone-to-Keystone: get a token of another cloud with this session's identity, the way
 * keystoneauth's `Keystone2Keystone` does. (1) Ask this Keystone for a SAML2 ECP assertion for
 * the service provider (`POST /v3/auth/OS-FEDERATION/saml2/ecp`, scoped local token); (2) POST it
 * to the provider's `sp_url` as `application/vnd.paos+xml` without following redirects; (3) on
 * 302/303, GET the provider's Keystone `auth_url` with the session cookie it set; the unscoped
 * remote token is in `X-Subject-Token`; (4) rescope it to the remote project.
 *
 * @example
 * ```ts
 * const remote = await k2kToken(session, { serviceProvider: 'landlord-b', project: { name: 'genomics', domain: { name: 'bu' } } });
 * ```
 */
export async function k2kToken(session: KeystoneSession, options: K2kOptions): Promise<K2kToken> {
  const { signal } = options;
  const local = await session.current(signal);
  const tokenText = await session.tokenText(signal);
  const assertion = await session.identity.post('auth/OS-FEDERATION/saml2/ecp', {
    json: {
      auth: {
        identity: { methods: ['token'], token: { id: tokenText.reveal() } },
        scope: { service_provider: { id: options.serviceProvider } },
      },
    },
    responseType: 'text',
    operation: 'k2k_assertion',
    expectedStatus: [200, 201],
    signal,
  });
  const listed = local.serviceProviders.find((provider) => provider.id === options.serviceProvider);
  const spUrl = listed?.spUrl ?? headerText(assertion.headers, 'x-sp-url');
  const authUrl = listed?.authUrl ?? headerText(assertion.headers, 'x-auth-url');
  if (spUrl === undefined || authUrl === undefined) {
    throw new OcxError({
      code: 'protocol',
      backend: 'keystone',
      operation: 'k2k_assertion',
      fault: 'server',
      message: `Keystone gave no sp_url/auth_url for service provider ${options.serviceProvider}`,
    });
  }

  // The service provider is another landlord's cloud: its clients never carry this session's token.
  const http = {
    timeoutMs: session.http.timeoutMs,
    dispatcher: session.http.dispatcher,
    logger: session.http.logger,
    retry: session.http.retry,
  };
  const provider = createHttpClient({ backend: 'k2k-service-provider', baseUrl: new URL(spUrl).origin, ...http });
  const remote = createHttpClient({ backend: 'k2k-keystone', baseUrl: new URL(authUrl).origin, ...http });
  try {
    let response = await provider.post(spUrl, {
      body: assertion.data,
      headers: { 'content-type': PAOS },
      responseType: 'text',
      operation: 'k2k_ecp_response',
      expectedStatus: [200, 201, 302, 303],
      followRedirects: false,
      signal,
    });
    if (response.status === 302 || response.status === 303) {
      // The provider's session cookie is host-only (as a browser or keystoneauth's cookie jar
      // keeps it): it goes to the federation auth URL only when that is on the same host.
      const cookie = sameHost(spUrl, authUrl) ? cookiesFrom(response.headers) : undefined;
      response = await remote.get(authUrl, {
        headers: { 'content-type': PAOS, ...(cookie === undefined ? {} : { cookie }) },
        responseType: 'text',
        operation: 'k2k_federated_auth',
        expectedStatus: [200, 201],
        signal,
      });
    }
    const unscoped = headerText(response.headers, 'x-subject-token');
    if (unscoped === undefined || unscoped === '') {
      throw new OcxError({
        code: 'auth',
        backend: 'k2k-keystone',
        operation: 'k2k_federated_auth',
        message: `The service provider ${options.serviceProvider} answered without a token`,
      });
    }
    const remoteAuthUrl = remoteKeystoneUrl(authUrl);
    const remoteTokens = createHttpClient({ backend: 'k2k-keystone', baseUrl: remoteAuthUrl, ...http });
    const body = {
      auth: {
        identity: { methods: ['token'], token: { id: unscoped } },
        ...(options.project === undefined ? {} : { scope: { project: options.project } }),
      },
    };
    const scoped = await issueKeystoneToken(remoteTokens, body, signal);
    await remoteTokens.close();
    return { ...scoped, remoteAuthUrl };
  } finally {
    await provider.close();
    await remote.close();
  }
}

/**
 * A session of the remote cloud whose token comes from K2K (and is renewed by running K2K
 * again), for using the remote cloud's services with this cloud's identity.
 */
export async function k2kSession(
  session: KeystoneSession,
  options: Omit<K2kOptions, 'signal'> & { signal?: AbortSignal },
): Promise<KeystoneSession> {
  const first = await k2kToken(session, options);
  let pending: K2kToken | undefined = first;
  return createKeystoneSession({
    authUrl: first.remoteAuthUrl,
    interface: session.interface,
    region: session.region,
    http: session.http,
    obtainToken: async () => {
      const token = pending ?? (await k2kToken(session, { ...options, signal: undefined }));
      pending = undefined;
      return { token: token.token, info: token.info };
    },
  });
}
