import { ManualClock, OcxError } from '@ocx/core';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier, type OidcVerifier } from './oidc-verifier.js';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './provider/index.js';
import { countingDispatcher } from './test-support/counting-dispatcher.js';
import { type StaticIssuer, startStaticIssuer } from './test-support/static-issuer.js';

let idp: LocalIdentityProvider;
let other: LocalIdentityProvider;
let handMade: StaticIssuer;

beforeAll(async () => {
  const clients = [
    { clientId: 'portal', clientSecret: 'portal-secret-123', redirectUris: ['http://127.0.0.1:9/callback'] },
  ];
  [idp, other, handMade] = await Promise.all([
    createLocalIdentityProvider({
      clients,
      users: [{ sub: 'alice', email: 'alice@bu.edu', name: 'Alice', eduPersonScopedAffiliation: ['member@bu.edu'] }],
    }),
    createLocalIdentityProvider({
      clients,
      users: [{ sub: 'mallory', email: 'mallory@evil.example', name: 'Mallory' }],
    }),
    startStaticIssuer(),
  ]);
});
afterAll(async () => {
  await Promise.all([idp.close(), other.close(), handMade.close()]);
});

const trust = (issuer: string, extra: Record<string, unknown> = {}) => ({
  issuer,
  audiences: ['portal', 'ocx-exchange'],
  ...extra,
});

/** Expect a refused token: code auth, the given type, and no trace of the token in the error. */
async function refused(
  verifier: OidcVerifier,
  token: string,
  type: string,
  options: Parameters<OidcVerifier['verify']>[1] = {},
): Promise<OcxError> {
  const error = await verifier.verify(token, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(OcxError.is(error), `expected an OcxError ${type}`).toBe(true);
  const ocx = error as OcxError;
  expect({ code: ocx.code, type: ocx.backendErrorType }).toEqual({ code: 'auth', type });
  const serialized = JSON.stringify({ ...ocx.toJSON(), stack: ocx.stack, cause: String(ocx.cause) });
  for (const part of token.split('.').filter((segment) => segment.length > 8)) expect(serialized).not.toContain(part);
  return ocx;
}

describe('createOidcVerifier against a real OIDC provider', () => {
  it('verifies an ID token and an RFC 9068 access token found through discovery', async () => {
    const verifier = createOidcVerifier({ providers: [trust(idp.issuer)] });
    const tokens = await idp.token('alice', 'portal', { nonce: 'nonce-1' });
    const id = await verifier.verify(tokens.idToken, { expect: 'id-token', nonce: 'nonce-1' });
    expect(id).toMatchObject({
      kind: 'id-token',
      issuer: idp.issuer,
      subject: 'alice',
      audience: ['portal'],
      keyId: idp.keyIds()[0],
      algorithm: 'RS256',
    });
    expect(id.claims.eduPersonScopedAffiliation).toEqual(['member@bu.edu']);
    const access = await verifier.verify(tokens.accessToken, { expect: 'access-token' });
    expect(access).toMatchObject({
      kind: 'access-token',
      subject: 'alice',
      audience: ['ocx-exchange'],
      scopes: ['ocx'],
      clientId: 'portal',
    });
    await verifier.close();
  });

  it('trusts several providers, each with its own keys and audiences', async () => {
    const verifier = createOidcVerifier({
      providers: [trust(idp.issuer), { issuer: other.issuer, audiences: ['portal'] }],
    });
    expect((await verifier.verify((await other.token('mallory', 'portal')).idToken)).issuer).toBe(other.issuer);
    expect((await verifier.verify((await idp.token('alice', 'portal')).idToken)).issuer).toBe(idp.issuer);
    // The other provider's access tokens are for ocx-exchange, which it is not trusted for.
    await refused(verifier, (await other.token('mallory', 'portal')).accessToken, 'audience-mismatch');
  });

  it('refuses an expired token, allowing the configured clock skew', async () => {
    const clock = new ManualClock(new Date());
    const verifier = createOidcVerifier({ providers: [trust(idp.issuer, { clockSkewSeconds: 30 })], clock });
    const { idToken } = await idp.token('alice', 'portal');
    const exp = decodeJwt(idToken).exp!;
    clock.advance(exp * 1000 - clock.now().getTime() + 25_000);
    await expect(verifier.verify(idToken)).resolves.toMatchObject({ subject: 'alice' });
    clock.advance(10_000);
    const error = await refused(verifier, idToken, 'token-expired');
    expect(error.issues).toEqual([expect.objectContaining({ path: 'token.exp' })]);
    expect(error.retryable).toBe(false);
  });

  it('refuses a token issued in the future beyond the skew (the verifier clock lags)', async () => {
    const clock = new ManualClock(new Date(Date.now() - 10 * 60_000));
    const verifier = createOidcVerifier({ providers: [trust(idp.issuer)], clock });
    const error = await refused(verifier, (await idp.token('alice', 'portal')).idToken, 'token-not-yet-valid');
    expect(error.issues[0]?.path).toBe('token.iat');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const verifier = createOidcVerifier({ providers: [trust(idp.issuer)] });
    const [header, payload, signature] = (await idp.token('alice', 'portal')).idToken.split('.') as [
      string,
      string,
      string,
    ];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url'),
      signature,
    ].join('.');
    await refused(verifier, forged, 'signature-invalid');
  });

  it('refuses a token that names a trusted issuer but was signed by another provider', async () => {
    const verifier = createOidcVerifier({ providers: [trust(idp.issuer)] });
    const otherToken = (await other.token('mallory', 'portal')).idToken;
    await refused(verifier, otherToken, 'issuer-mismatch');
    const claims = decodeJwt(otherToken);
    const impostor = await handMade.sign({ ...claims, iss: idp.issuer }, { kid: idp.keyIds()[0]! });
    // The provider publishes no EC key under that kid.
    await refused(verifier, impostor, 'unknown-key');
    // An RS256-only configuration refuses it before any key is tried.
    await refused(
      createOidcVerifier({ providers: [trust(idp.issuer, { algorithms: ['RS256'] })] }),
      impostor,
      'algorithm-not-allowed',
    );
  });

  it('refuses a token for another audience', async () => {
    const verifier = createOidcVerifier({ providers: [{ issuer: idp.issuer, audiences: ['someone-else'] }] });
    const error = await refused(verifier, (await idp.token('alice', 'portal')).idToken, 'audience-mismatch');
    expect(error.issues[0]?.path).toBe('token.aud');
  });

  it('refuses the wrong kind of token and a wrong nonce', async () => {
    const verifier = createOidcVerifier({ providers: [trust(idp.issuer)] });
    const tokens = await idp.token('alice', 'portal', { nonce: 'right' });
    await refused(verifier, tokens.accessToken, 'token-type-mismatch', { expect: 'id-token' });
    await refused(verifier, tokens.idToken, 'token-type-mismatch', { expect: 'access-token' });
    await refused(verifier, tokens.idToken, 'nonce-mismatch', { nonce: 'wrong' });
  });

  it('follows a key rotation: an unknown kid refetches the key set once, rate-limited', async () => {
    const counting = countingDispatcher();
    const clock = new ManualClock(new Date());
    const verifier = createOidcVerifier({
      providers: [trust(idp.issuer, { cooldownMs: 30_000 })],
      dispatcher: counting.dispatcher,
      clock,
    });
    await verifier.verify((await idp.token('alice', 'portal')).idToken);
    expect(counting.count('/jwks')).toBe(1);
    await idp.rotateKeys();
    clock.advance(31_000);
    const rotated = await verifier.verify((await idp.token('alice', 'portal')).idToken);
    expect(rotated.keyId).toBe(idp.keyIds()[0]);
    expect(counting.count('/jwks')).toBe(2);
    // Within the cooldown an unknown kid does not trigger another fetch.
    clock.advance(10_000);
    const [, payload, signature] = (await idp.token('alice', 'portal')).idToken.split('.') as [string, string, string];
    const probe = [
      Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'never-published' })).toString('base64url'),
      payload,
      signature,
    ].join('.');
    await refused(verifier, probe, 'unknown-key');
    expect(counting.count('/jwks')).toBe(2);
    // After the cooldown the same probe triggers one more fetch, and is still refused.
    clock.advance(30_000);
    await refused(verifier, probe, 'unknown-key');
    expect(counting.count('/jwks')).toBe(3);
    await verifier.close();
    await counting.close();
  });

  it('keeps using cached keys while the JWKS endpoint is down, until they reach their max age', async () => {
    const clock = new ManualClock(new Date());
    const counting = countingDispatcher();
    const logged: string[] = [];
    const capture = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      logged.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const verifier = createOidcVerifier({
      providers: [trust(idp.issuer, { jwksRefreshMs: 60_000, jwksCacheMaxAgeMs: 600_000, cooldownMs: 10_000 })],
      clock,
      dispatcher: counting.dispatcher,
      retries: 0,
      logger: { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') },
    });
    const { idToken } = await idp.token('alice', 'portal');
    await verifier.verify(idToken);
    idp.setJwksDown(true);
    try {
      clock.advance(120_000); // past the refresh interval: a refresh is tried, fails, and the cached keys serve.
      await expect(verifier.verify(idToken)).resolves.toMatchObject({ subject: 'alice' });
      expect(counting.count('/jwks')).toBe(2);
      clock.advance(5_000); // within the cooldown: no new attempt.
      await expect(verifier.verify(idToken)).resolves.toMatchObject({ subject: 'alice' });
      expect(counting.count('/jwks')).toBe(2);
      clock.advance(600_000); // past the max age: a clear, retryable error.
      const error = await refused(verifier, idToken, 'jwks-unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/past its max age/);
    } finally {
      idp.setJwksDown(false);
    }
    clock.advance(10_000);
    await expect(verifier.verify(idToken)).resolves.toMatchObject({ subject: 'alice' });
    expect(logged.filter((line) => line.startsWith('warn'))).toEqual([
      expect.stringContaining('JWKS refresh failed; using cached keys'),
    ]);
    for (const part of idToken.split('.')) expect(logged.join('\n')).not.toContain(part);
    await counting.close();
  });

  it('says jwks-unavailable when the keys were never fetched and the endpoint is down', async () => {
    const verifier = createOidcVerifier({ providers: [trust(idp.issuer)], retries: 0 });
    const { idToken } = await idp.token('alice', 'portal');
    idp.setJwksDown(true);
    try {
      const error = await refused(verifier, idToken, 'jwks-unavailable');
      expect(error.message).toMatch(/could not be fetched \(http 503\)/);
    } finally {
      idp.setJwksDown(false);
    }
  });

  it('accepts an opaque access token through introspection and refuses an unknown one', async () => {
    const verifier = createOidcVerifier({
      providers: [trust(idp.issuer, { introspection: { clientId: 'portal', clientSecret: 'portal-secret-123' } })],
    });
    const { accessToken } = await idp.token('alice', 'portal', { accessToken: 'opaque' });
    expect(accessToken.split('.')).toHaveLength(1);
    await expect(verifier.verify(accessToken, { issuer: idp.issuer })).resolves.toMatchObject({
      kind: 'access-token',
      subject: 'alice',
      clientId: 'portal',
    });
    await refused(verifier, 'not-a-real-token-value-at-all', 'token-inactive', { issuer: idp.issuer });
    await refused(verifier, accessToken, 'token-malformed');
  });
});

describe('createOidcVerifier with hand-made tokens', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: handMade.issuer,
    sub: 'carol',
    aud: 'portal',
    iat: now(),
    exp: now() + 300,
    ...extra,
  });
  const verifierFor = (extra: Record<string, unknown> = {}) =>
    createOidcVerifier({
      providers: [
        { issuer: handMade.issuer, audiences: ['portal'], discovery: false, jwksUri: handMade.jwksUri, ...extra },
      ],
    });

  it('verifies a well-formed token with a static JWKS and no discovery', async () => {
    await expect(verifierFor().verify(await handMade.sign(claims()))).resolves.toMatchObject({
      subject: 'carol',
      algorithm: 'ES256',
    });
  });

  it('refuses nbf in the future, a missing claim, and garbage, each precisely', async () => {
    const verifier = verifierFor();
    expect(
      (await refused(verifier, await handMade.sign(claims({ nbf: now() + 600 })), 'token-not-yet-valid')).issues[0]
        ?.path,
    ).toBe('token.nbf');
    expect(
      (await refused(verifier, await handMade.sign(claims({ sub: undefined })), 'claim-missing')).issues[0]?.path,
    ).toBe('token.sub');
    await refused(verifier, 'abc.def.ghi', 'token-malformed');
    await refused(verifier, 'not a token', 'token-malformed');
  });

  it('refuses a token signed with a key it does not publish under the same kid', async () => {
    await refused(verifierFor(), await handMade.sign(claims(), { key: 'other' }), 'signature-invalid');
  });

  it('refuses unsigned and symmetric tokens', async () => {
    const verifier = verifierFor();
    const body = Buffer.from(JSON.stringify(claims())).toString('base64url');
    await refused(verifier, `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`, 'algorithm-not-allowed');
    await refused(
      verifier,
      `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${body}.c2lnbmF0dXJl`,
      'algorithm-not-allowed',
    );
  });

  it('refuses a token from an issuer nobody trusts', async () => {
    await refused(verifierFor(), await handMade.sign(claims({ iss: 'https://idp.evil.example' })), 'issuer-mismatch');
  });

  it('refuses a discovery document that names another issuer', async () => {
    handMade.setDiscovery({ issuer: 'https://elsewhere.example', jwks_uri: handMade.jwksUri });
    try {
      const error = await refused(
        verifierFor({ discovery: true, jwksUri: undefined }),
        await handMade.sign(claims()),
        'issuer-mismatch',
      );
      expect(error.issues[0]?.path).toBe('discovery.issuer');
    } finally {
      handMade.setDiscovery(undefined);
    }
  });

  it('refuses bad options, naming the field', () => {
    const attempt = (options: unknown) => {
      try {
        createOidcVerifier(options as never);
      } catch (error) {
        return (error as OcxError).issues.map((issue) => issue.path);
      }
      return [];
    };
    expect(attempt({ providers: [] })).toEqual(['providers']);
    expect(attempt({ providers: [{ issuer: 'http://idp.example.com', audiences: ['a'] }] })).toEqual([
      'providers.0.issuer',
    ]);
    expect(attempt({ providers: [{ issuer: handMade.issuer, audiences: [] }] })).toEqual(['providers.0.audiences']);
    expect(
      attempt({ providers: [{ issuer: handMade.issuer, audiences: ['a'], jwksRefreshMs: 10, jwksCacheMaxAgeMs: 5 }] }),
    ).toEqual(['providers.0.jwksRefreshMs']);
    expect(attempt({ providers: [{ issuer: handMade.issuer, audiences: ['a'], discovery: false }] })).toEqual([
      'providers.0.jwksUri',
    ]);
    expect(
      attempt({
        providers: [
          { issuer: handMade.issuer, audiences: ['a'] },
          { issuer: handMade.issuer, audiences: ['b'] },
        ],
      }),
    ).toEqual(['providers.1.issuer']);
    expect(attempt({ providers: [{ issuer: handMade.issuer, audiences: ['a'], algorithms: ['HS256'] }] })).toEqual([
      'providers.0.algorithms.0',
    ]);
  });
});
