import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestServer, runHostileBackendSuite, type TestServer } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOSTILE_PASSWORD,
  HOSTILE_TOKEN,
  honestOpenStack,
  hostileDriver,
  sendHonestToken,
} from './test-support/hostile-openstack.js';

// Keystone-to-Keystone crosses origins by design: the IdP (this landlord's Keystone) hands out a
// SAML assertion, which goes to the service provider (another landlord's cloud), whose Keystone
// then issues a token of its own. Each leg is played by a hostile server in turn. What must hold:
// the IdP's token and password never reach the provider, a provider's redirect or next link is
// never followed to a third origin, and every bad answer is a typed error.

const ASSERTION =
  '<soap11:Envelope xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><soap11:Body>' +
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:Assertion ' +
  'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">k2k</saml:Assertion></samlp:Response>' +
  '</soap11:Body></soap11:Envelope>';
const SP_PATH = '/Shibboleth.sso/SAML2/ECP';
const AUTH_PATH = '/identity/v3/OS-FEDERATION/identity_providers/ocx-idp/protocols/saml2/auth';

const pathOf = (request: IncomingMessage): string => new URL(request.url ?? '/', 'http://h').pathname;

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

// 1. The IdP itself misbehaves on the assertion request (its token issue stays honest).
runHostileBackendSuite({
  name: 'openstack k2k (the IdP answers the ECP assertion request)',
  probes: ['k2k.token'],
  honest: honestOpenStack,
  connect: (context) => {
    const driver = hostileDriver(context, { services: [] });
    return {
      secrets: [HOSTILE_TOKEN, HOSTILE_PASSWORD],
      probes: { 'k2k.token': { run: () => driver.ext.k2k.token({ serviceProvider: 'landlord-b' }) } },
      close: () => driver.dispose(),
    };
  },
});

/**
 * The honest IdP on its own origin: a password login whose token lists the service provider at
 * `providerUrl()`, and the ECP assertion for it.
 */
async function honestIdp(providerUrl: () => string, authUrl = providerUrl): Promise<TestServer> {
  const idp: TestServer = await createTestServer({
    handler: (request, response) => {
      const path = pathOf(request);
      if (request.method === 'POST' && path === '/identity/v3/auth/tokens') {
        return sendHonestToken(response, idp.url, HOSTILE_TOKEN, {
          service_providers: [
            { id: 'landlord-b', sp_url: `${providerUrl()}${SP_PATH}`, auth_url: `${authUrl()}${AUTH_PATH}` },
          ],
        });
      }
      if (request.method === 'POST' && path === '/identity/v3/auth/OS-FEDERATION/saml2/ecp') {
        response.writeHead(200, { 'content-type': 'text/xml' });
        return response.end(ASSERTION);
      }
      return json(response, 404, { error: { code: 404, title: 'Not Found', message: 'no such route' } });
    },
  });
  return idp;
}

/** Which leg of the provider is hostile; the legs before it answer honestly. */
type ProviderLeg = 'ecp' | 'federated-auth' | 'rescope';

/** The provider's honest answers to the legs before `hostileLeg`. */
function honestProvider(hostileLeg: ProviderLeg) {
  return (request: IncomingMessage, response: ServerResponse, _body: string, context: { url: string }): boolean => {
    const path = pathOf(request);
    if (hostileLeg !== 'ecp' && request.method === 'POST' && path === SP_PATH) {
      response.writeHead(302, {
        location: `${context.url}${AUTH_PATH}`,
        'set-cookie': '_shibsession_64656661756c74=_b7a1c0ffee; path=/; HttpOnly',
      });
      response.end();
      return true;
    }
    if (hostileLeg === 'rescope' && request.method === 'GET' && path === AUTH_PATH) {
      json(
        response,
        201,
        { token: { methods: ['saml2'], user: { id: 'fed-user', name: 'ocx' }, expires_at: '2999-01-01T00:00:00Z' } },
        { 'x-subject-token': 'remote-unscoped-token' },
      );
      return true;
    }
    return false;
  };
}

// 2. The service provider misbehaves: at the ECP endpoint, at its federated auth, at the rescope.
for (const leg of ['ecp', 'federated-auth', 'rescope'] as const) {
  let idp: TestServer;
  let provider = 'http://127.0.0.1:1';
  /** Everything the hostile provider received, to prove the IdP's secrets never went there. */
  const received: string[] = [];
  beforeAll(async () => {
    idp = await honestIdp(() => provider);
  });
  afterAll(async () => {
    await idp?.close();
  });
  const honest = honestProvider(leg);

  runHostileBackendSuite({
    name: `openstack k2k (the service provider answers ${leg})`,
    probes: ['k2k.token'],
    honest: (request, response, body, context) => {
      received.push(`${JSON.stringify(request.headers)}\n${request.url}\n${body}`);
      return honest(request, response, body, context);
    },
    connect: (context) => {
      provider = context.url;
      received.length = 0;
      const driver = hostileDriver({ ...context, url: idp.url }, { services: [] });
      return {
        secrets: [HOSTILE_TOKEN, HOSTILE_PASSWORD],
        probes: {
          'k2k.token': {
            run: () =>
              driver.ext.k2k.token({
                serviceProvider: 'landlord-b',
                project: { name: 'genomics', domain: { id: 'default' } },
              }),
          },
        },
        close: async () => {
          await driver.dispose();
          const seen = received.join('\n');
          for (const secret of [HOSTILE_TOKEN, HOSTILE_PASSWORD]) {
            if (seen.includes(secret))
              throw new Error(`the service provider received an IdP secret: ${seen.slice(0, 500)}`);
          }
          if (received.length === 0) throw new Error('the probe never reached the service provider');
        },
      };
    },
  });
}

// 3. The provider's session cookie is host-only: a federation auth URL on another host never gets it.
describe('k2k: the service provider cookie stays on its host', () => {
  it('a 302 from the ECP endpoint on 127.0.0.1 sends no cookie to a Keystone on 127.0.0.2', async () => {
    const cookies: Array<string | undefined> = [];
    const remote = createServer((request, response) => {
      cookies.push(request.headers.cookie);
      if (request.method === 'GET') {
        json(response, 201, { token: { methods: ['saml2'], user: { id: 'u' } } }, { 'x-subject-token': 'unscoped' });
        return;
      }
      json(response, 401, { error: { code: 401, title: 'Unauthorized', message: 'no' } });
    });
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.2', resolve));
    const remoteUrl = `http://127.0.0.2:${(remote.address() as AddressInfo).port}`;
    const sp = await createTestServer({
      handler: (_request, response) => {
        response.writeHead(302, {
          location: `${remoteUrl}${AUTH_PATH}`,
          'set-cookie': '_shibsession_1=secret-session; path=/',
        });
        response.end();
      },
    });
    const idp = await honestIdp(
      () => sp.url,
      () => remoteUrl,
    );
    const driver = hostileDriver(
      { url: idp.url, timeoutMs: 2000, logger: { debug() {}, info() {}, warn() {}, error() {} } },
      { services: [] },
    );
    try {
      const error = await driver.ext.k2k.token({ serviceProvider: 'landlord-b' }).catch((caught: unknown) => caught);
      expect(sp.requests.map((request) => request.path)).toEqual([SP_PATH]);
      expect(cookies.length).toBeGreaterThan(0);
      expect(cookies).toEqual(cookies.map(() => undefined));
      expect(error).toBeInstanceOf(Error);
    } finally {
      await driver.dispose();
      await idp.close();
      await sp.close();
      await new Promise<void>((resolve) => remote.close(() => resolve()));
    }
  });
});
