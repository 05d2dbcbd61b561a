import { inspect } from 'node:util';
import type { OcxError } from '@ocx/core';
import { createTestServer, expectOcxError, sendJson, type TestServer } from '@ocx/core/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier } from './oidc-verifier.js';
import { TrustedProviderSchema } from './oidc-verifier-options.js';

const CLIENT_SECRET = 'trust-boundary-client-secret-0001';
const OPAQUE = 'trust-boundary-opaque-token-0001';

const keyPair = await generateKeyPair('ES256', { extractable: true });
const jwks = { keys: [{ ...(await exportJWK(keyPair.publicKey)), kid: 'tb-1', alg: 'ES256', use: 'sig' }] };

// The issuer, a key server on another origin (as Google's www.googleapis.com is for
// accounts.google.com), and an attacker's origin that must never receive anything.
let issuer: TestServer;
let keys: TestServer;
let attacker: TestServer;
let discovery: Record<string, unknown> = {};

beforeAll(async () => {
  [issuer, keys, attacker] = await Promise.all([createTestServer(), createTestServer(), createTestServer()]);
});
afterEach(() => {
  for (const server of [issuer, keys, attacker]) server.reset();
});
afterAll(async () => {
  await Promise.all([issuer.close(), keys.close(), attacker.close()]);
});

const serveDiscovery = (document: Record<string, unknown>) => {
  discovery = document;
  issuer.route('GET', '/.well-known/openid-configuration', (_request, response) =>
    sendJson(response, 200, { issuer: issuer.url, ...discovery }),
  );
};
const serveKeys = (server: TestServer) =>
  server.route('GET', '/jwks', (_request, response) => sendJson(response, 200, jwks));

const idToken = () =>
  new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'ES256', kid: 'tb-1' })
    .setIssuer(issuer.url)
    .setAudience('portal')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(keyPair.privateKey);

const verifierFor = (extra: Record<string, unknown> = {}) =>
  createOidcVerifier({ providers: [{ issuer: issuer.url, audiences: ['portal'], ...extra }], retries: 0 });

const shown = (error: unknown) => `${String(error)}\n${inspect(error, { depth: 8 })}\n${JSON.stringify(error)}`;

describe('OIDC discovery: the key set', () => {
  it('a jwks_uri on another origin is fetched (OIDC allows it), with no credentials and only the safe headers', async () => {
    serveDiscovery({ jwks_uri: `${keys.url}/jwks` });
    serveKeys(keys);
    const verifier = verifierFor();
    await expect(verifier.verify(await idToken(), { expect: 'id-token' })).resolves.toMatchObject({ subject: 'alice' });
    await verifier.close();
    expect(keys.requests).toHaveLength(1);
    const sent = Object.keys(keys.requests[0]!.headers);
    expect(
      sent.filter((name) => !['host', 'connection', 'accept', 'user-agent', 'accept-encoding'].includes(name)),
    ).toEqual([]);
    expect(attacker.requests).toEqual([]);
  });

  it('a configured jwksUri on another origin is used without discovery', async () => {
    serveKeys(keys);
    const verifier = verifierFor({ jwksUri: `${keys.url}/jwks` });
    await expect(verifier.verify(await idToken())).resolves.toMatchObject({ subject: 'alice' });
    await verifier.close();
    expect(issuer.requests).toEqual([]);
  });

  for (const jwksUri of ['http://keys.example/jwks', 'file:///etc/passwd', 'ftp://keys.example/jwks']) {
    it(`a discovered jwks_uri of ${jwksUri} is refused before anything is sent`, async () => {
      serveDiscovery({ jwks_uri: jwksUri });
      const verifier = verifierFor();
      const error = await expectOcxError(verifier.verify(await idToken()), ['auth']);
      await verifier.close();
      expect(error).toMatchObject({ code: 'auth', backendErrorType: 'discovery-failed' });
      expect(issuer.requests.map((request) => request.path)).toEqual(['/.well-known/openid-configuration']);
    });
  }

  it('a key server that redirects to a third origin is not followed there', async () => {
    serveDiscovery({ jwks_uri: `${keys.url}/jwks` });
    keys.route('GET', '/jwks', (_request, response) => {
      response.writeHead(302, { location: `${attacker.url}/jwks` }).end();
    });
    const verifier = verifierFor();
    const error = await expectOcxError(verifier.verify(await idToken()), ['auth']);
    await verifier.close();
    expect(error).toMatchObject({ code: 'auth', backendErrorType: 'jwks-unavailable' });
    expect((error.cause as OcxError).code).toBe('protocol');
    expect((error.cause as OcxError).message).toContain(attacker.origin);
    expect(attacker.requests).toEqual([]);
  });
});

describe('OIDC introspection: where the client secret goes', () => {
  const introspection = { clientId: 'portal', clientSecret: CLIENT_SECRET };
  const active = () => ({
    active: true,
    sub: 'alice',
    iss: issuer.url,
    aud: 'portal',
    exp: Math.floor(Date.now() / 1000) + 300,
  });

  it('a discovered introspection endpoint on another origin is refused, naming both origins; nothing is sent', async () => {
    serveDiscovery({ jwks_uri: `${issuer.url}/jwks`, introspection_endpoint: `${attacker.url}/introspect` });
    const verifier = verifierFor({ introspection });
    const error = await expectOcxError(verifier.verify(OPAQUE, { issuer: issuer.url }), ['auth']);
    await verifier.close();
    expect(error).toMatchObject({ code: 'auth', backendErrorType: 'discovery-failed' });
    expect(error.message).toContain(attacker.origin);
    expect(error.message).toContain(issuer.origin);
    expect(attacker.requests).toEqual([]);
    expect(shown(error)).not.toContain(CLIENT_SECRET);
    expect(shown(error)).not.toContain(OPAQUE);
  });

  it('a discovered introspection endpoint on the issuer origin gets the client secret in Basic auth', async () => {
    serveDiscovery({ jwks_uri: `${issuer.url}/jwks`, introspection_endpoint: `${issuer.url}/introspect` });
    issuer.route('POST', '/introspect', (_request, response) => sendJson(response, 200, active()));
    const verifier = verifierFor({ introspection });
    await expect(verifier.verify(OPAQUE, { issuer: issuer.url })).resolves.toMatchObject({ subject: 'alice' });
    await verifier.close();
    const sent = issuer.requests.find((request) => request.path === '/introspect')!;
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`portal:${CLIENT_SECRET}`).toString('base64')}`);
  });

  it('a configured introspection endpoint on another origin is trusted (and discovery is not needed)', async () => {
    keys.route('POST', '/introspect', (_request, response) => sendJson(response, 200, active()));
    const verifier = verifierFor({
      discovery: false,
      jwksUri: `${keys.url}/jwks`,
      introspection: { ...introspection, endpoint: `${keys.url}/introspect` },
    });
    await expect(verifier.verify(OPAQUE, { issuer: issuer.url })).resolves.toMatchObject({ subject: 'alice' });
    await verifier.close();
    expect(issuer.requests).toEqual([]);
    expect(keys.requests[0]!.headers.authorization).toMatch(/^Basic /);
    expect(keys.requests[0]!.body).toContain(`token=${OPAQUE}`);
  });

  for (const status of [302, 307, 308]) {
    it(`an introspection endpoint that answers ${status} to another origin sends the secret nowhere else`, async () => {
      serveDiscovery({ jwks_uri: `${issuer.url}/jwks`, introspection_endpoint: `${issuer.url}/introspect` });
      issuer.route('POST', '/introspect', (_request, response) => {
        response.writeHead(status, { location: `${attacker.url}/introspect` }).end();
      });
      const verifier = verifierFor({ introspection });
      const error = await expectOcxError(verifier.verify(OPAQUE, { issuer: issuer.url }), ['auth']);
      await verifier.close();
      expect(error.code).toBe('auth');
      expect((error.cause as OcxError).code).toBe('protocol');
      expect(attacker.requests).toEqual([]);
      expect(shown(error)).not.toContain(CLIENT_SECRET);
    });
  }

  it('introspection needs discovery or a configured endpoint', () => {
    const base = { issuer: 'https://idp.example', audiences: ['portal'], jwksUri: 'https://idp.example/jwks' };
    expect(TrustedProviderSchema.safeParse({ ...base, discovery: false, introspection }).success).toBe(false);
    expect(
      TrustedProviderSchema.safeParse({
        ...base,
        discovery: false,
        introspection: { ...introspection, endpoint: 'https://introspect.example/token/introspect' },
      }).success,
    ).toBe(true);
    expect(
      TrustedProviderSchema.safeParse({
        ...base,
        introspection: { ...introspection, endpoint: 'http://introspect.example/token/introspect' },
      }).success,
    ).toBe(false);
  });
});
