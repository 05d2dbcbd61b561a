import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './index.js';

const started: LocalIdentityProvider[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((idp) => idp.close()));
});

async function start(
  extra: Partial<Parameters<typeof createLocalIdentityProvider>[0]> = {},
): Promise<LocalIdentityProvider> {
  const idp = await createLocalIdentityProvider({
    clients: [
      { clientId: 'portal', clientSecret: 'portal-secret-123', redirectUris: ['http://127.0.0.1:9/callback'] },
      { clientId: 'cli', redirectUris: ['http://127.0.0.1:9/cli'] },
    ],
    users: [
      {
        sub: 'alice',
        email: 'alice@bu.edu',
        name: 'Alice Smith',
        eduPersonScopedAffiliation: ['member@bu.edu', 'faculty@bu.edu'],
        schacHomeOrganization: 'bu.edu',
      },
      {
        sub: 'bob',
        email: 'bob@mit.edu',
        name: 'Bob',
        password: 'hunter2-long',
        claims: { ocx_projects: ['genomics'] },
      },
    ],
    ...extra,
  });
  started.push(idp);
  return idp;
}

describe('createLocalIdentityProvider', () => {
  it('serves discovery with its issuer and JWKS on 127.0.0.1', async () => {
    const idp = await start();
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery.issuer).toBe(idp.issuer);
    expect(discovery.jwks_uri).toBe(idp.jwksUri);
    const jwks = (await (await fetch(idp.jwksUri)).json()) as { keys: Array<{ kid: string; d?: string }> };
    expect(jwks.keys.map((key) => key.kid)).toEqual(idp.keyIds());
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('issues an ID token with the user claims and an RFC 9068 access token through the code flow', async () => {
    const idp = await start();
    const tokens = await idp.token('alice', 'portal', { nonce: 'n-123' });
    const id = decodeJwt(tokens.idToken);
    expect(id).toMatchObject({
      iss: idp.issuer,
      sub: 'alice',
      aud: 'portal',
      nonce: 'n-123',
      email: 'alice@bu.edu',
      eduPersonScopedAffiliation: ['member@bu.edu', 'faculty@bu.edu'],
      schacHomeOrganization: 'bu.edu',
    });
    expect(decodeProtectedHeader(tokens.idToken).kid).toBe(idp.keyIds()[0]);
    expect(decodeProtectedHeader(tokens.accessToken).typ).toBe('at+jwt');
    expect(decodeJwt(tokens.accessToken)).toMatchObject({
      iss: idp.issuer,
      sub: 'alice',
      aud: 'ocx-exchange',
      client_id: 'portal',
      scope: 'ocx',
    });
  });

  it('signs in a public client and a user with a password, releasing extra claims under scope ocx', async () => {
    const idp = await start();
    const tokens = await idp.token('bob', 'cli');
    expect(decodeJwt(tokens.idToken)).toMatchObject({ sub: 'bob', aud: 'cli', ocx_projects: ['genomics'] });
  });

  it('serves a real login page, refuses a wrong password, and names no user on the page', async () => {
    const idp = await start();
    const authorize = new URL(`${idp.issuer}/auth`);
    const params = {
      response_type: 'code',
      client_id: 'cli',
      redirect_uri: 'http://127.0.0.1:9/cli',
      scope: 'openid',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);
    const first = await fetch(authorize, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookies = first.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const interaction = new URL(first.headers.get('location')!, idp.issuer);
    const page = await fetch(interaction, { headers: { cookie: cookies } });
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).not.toContain('alice');
    const refused = await fetch(`${interaction}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'login=bob&password=wrong',
    });
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain('Unknown user or wrong password');
  });

  it('rotates keys: new tokens use the new kid and the old key stays published until retired', async () => {
    const idp = await start();
    const before = idp.keyIds();
    const { kid } = await idp.rotateKeys();
    expect(idp.keyIds()).toEqual([kid, ...before]);
    expect(decodeProtectedHeader((await idp.token('alice', 'portal')).idToken).kid).toBe(kid);
    await idp.rotateKeys({ retirePrevious: true });
    expect(idp.keyIds()).toHaveLength(1);
  });

  it('answers 503 on the JWKS endpoint while it is down', async () => {
    const idp = await start();
    idp.setJwksDown(true);
    expect((await fetch(idp.jwksUri)).status).toBe(503);
    idp.setJwksDown(false);
    expect((await fetch(idp.jwksUri)).status).toBe(200);
  });

  it('refuses a removed user and tells its deprovisioning targets', async () => {
    const received: string[] = [];
    const { createServer } = await import('node:http');
    const target = createServer((request, response) => {
      received.push(`${request.method} ${request.url} ${request.headers.authorization}`);
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const address = target.address() as { port: number };
    try {
      const idp = await start({
        deprovisioning: [{ url: `http://127.0.0.1:${address.port}/scim/v2`, token: 'scim-token-abc' }],
      });
      const deliveries = await idp.removeUser('alice');
      expect(deliveries).toEqual([{ url: `http://127.0.0.1:${address.port}/scim/v2`, ok: true, status: 204 }]);
      expect(received).toEqual(['DELETE /scim/v2/Users/alice Bearer scim-token-abc']);
      await expect(idp.token('alice', 'portal')).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      target.close();
    }
  });

  it('refuses bad options naming the field', async () => {
    await expect(createLocalIdentityProvider({ clients: [], users: [] })).rejects.toMatchObject({
      code: 'validation',
      issues: [expect.objectContaining({ path: 'clients' })],
    });
    await expect(
      createLocalIdentityProvider({
        clients: [{ clientId: 'a', redirectUris: ['http://x/cb'] }],
        users: [{ sub: 'a', email: 'nope', name: 'A' }],
      }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'users.0.email' })] });
    await expect(
      createLocalIdentityProvider({
        clients: [{ clientId: 'a', redirectUris: ['http://x/cb'] }],
        issuer: 'http://example.com:4000',
      }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'issuer' })] });
  });
});
