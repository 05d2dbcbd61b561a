import { sendJson, type TestServer } from '@ocx/core/simulation';
import { fakeCatalog } from './fake-keystone.js';
import { acceptedToken, type FakeState, keystoneId } from './fake-state.js';

/** What the fake K2K exchange records, for assertions. */
export interface FakeK2k {
  /** Assertions the service provider received (the ECP bodies). */
  assertions: string[];
  /** Cookies the SP's Keystone saw with the federated auth request. */
  cookies: string[];
  /** The remote project the SP scopes tokens to. */
  remoteProjectId: string;
}

/**
 * A Keystone-to-Keystone exchange on the fake: the IdP half on the fake Keystone
 * (`POST /v3/auth/OS-FEDERATION/saml2/ecp` → an ECP envelope with `X-sp-url` / `X-auth-url`, as
 * the real Zed IdP answers), and a service provider under `/sp` — a Shibboleth-like ECP endpoint
 * that sets a session cookie and redirects, and a second Keystone under `/sp/identity/v3` that
 * hands out a token for the cookie and rescopes it. The SP's catalog points at the fake's own
 * services, so a K2K token can be used against them.
 */
export function registerFakeK2k(
  server: TestServer,
  state: FakeState,
  now: () => number,
  assertionTemplate: string,
): FakeK2k {
  const k2k: FakeK2k = { assertions: [], cookies: [], remoteProjectId: keystoneId() };
  const spUrl = `${server.url}/sp/Shibboleth.sso/SAML2/ECP`;
  const authUrl = `${server.url}/sp/identity/v3/OS-FEDERATION/identity_providers/ocx-idp/protocols/saml2/auth`;

  server.route('POST', '/identity/v3/auth/OS-FEDERATION/saml2/ecp', (request, response, body) => {
    if (acceptedToken(state, request, now()) === undefined)
      return sendJson(response, 401, { error: { code: 401, title: 'Unauthorized' } });
    const parsed = JSON.parse(body);
    const tokenInBody = parsed.auth.identity.token.id as string;
    if (!state.tokens.has(tokenInBody) || parsed.auth.scope.service_provider.id !== 'landlord-b') {
      return sendJson(response, 404, {
        error: { code: 404, message: 'Could not find service provider', title: 'Not Found' },
      });
    }
    response.writeHead(200, { 'content-type': 'text/xml', 'x-sp-url': spUrl, 'x-auth-url': authUrl });
    response.end(assertionTemplate);
  });

  server.route('POST', '/sp/Shibboleth.sso/SAML2/ECP', (request, response, body) => {
    if (request.headers['content-type'] !== 'application/vnd.paos+xml' || !body.includes('<saml:Assertion'))
      return sendJson(response, 400, 'bad ECP response');
    if (request.headers['x-auth-token'] !== undefined)
      return sendJson(response, 400, 'the IdP token must not reach the service provider');
    k2k.assertions.push(body);
    response.writeHead(302, {
      location: authUrl,
      'set-cookie': ['_shibsession_64656661756c74=_b7a1c0ffee; path=/; HttpOnly', '_opensaml_req=x; path=/'],
    });
    response.end();
  });

  server.route(
    'GET',
    '/sp/identity/v3/OS-FEDERATION/identity_providers/ocx-idp/protocols/saml2/auth',
    (request, response) => {
      const cookie = String(request.headers.cookie ?? '');
      k2k.cookies.push(cookie);
      if (!cookie.includes('_shibsession_64656661756c74=_b7a1c0ffee'))
        return sendJson(response, 401, { error: { code: 401, title: 'Unauthorized' } });
      const token = `fake-sp-unscoped-${keystoneId()}`;
      state.tokens.set(token, { projectId: '', valid: true, expiresAt: now() + 3_600_000 });
      sendJson(
        response,
        201,
        {
          token: {
            methods: ['saml2'],
            user: {
              id: 'fed-user',
              name: 'admin',
              'OS-FEDERATION': { identity_provider: { id: 'ocx-idp' }, protocol: { id: 'saml2' } },
            },
            expires_at: new Date(now() + 3_600_000).toISOString(),
          },
        },
        { 'x-subject-token': token },
      );
    },
  );

  server.route('POST', '/sp/identity/v3/auth/tokens', (_request, response, body) => {
    const identity = JSON.parse(body).auth;
    const unscoped = identity.identity.token?.id as string | undefined;
    if (unscoped === undefined || !state.tokens.has(unscoped))
      return sendJson(response, 401, { error: { code: 401, title: 'Unauthorized' } });
    const token = `fake-sp-scoped-${keystoneId()}`;
    state.tokens.set(token, { projectId: k2k.remoteProjectId, valid: true, expiresAt: now() + 3_600_000 });
    sendJson(
      response,
      201,
      {
        token: {
          methods: ['token', 'saml2'],
          user: { id: 'fed-user', name: 'admin' },
          project: {
            id: k2k.remoteProjectId,
            name: identity.scope?.project?.name ?? 'remote',
            domain: { id: 'default' },
          },
          roles: [{ id: 'r', name: 'member' }],
          expires_at: new Date(now() + 3_600_000).toISOString(),
          catalog: fakeCatalog(server.url, k2k.remoteProjectId),
        },
      },
      { 'x-subject-token': token },
    );
  });
  return k2k;
}
