import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/** A minimal issuer for hand-made tokens: one key, a JWKS endpoint, and a signer. Tests only. */
export interface StaticIssuer {
  issuer: string;
  jwksUri: string;
  kid: string;
  /** Sign claims with the published key (or with `key: 'other'`, a key it does not publish under the same kid). */
  sign(
    claims: JWTPayload,
    options?: { header?: Record<string, unknown>; key?: 'published' | 'other'; kid?: string | null },
  ): Promise<string>;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** Serve this JSON at `/.well-known/openid-configuration` (default: the real one). */
  setDiscovery(document: Record<string, unknown> | undefined): void;
  close(): Promise<void>;
}

/** Start a static issuer on 127.0.0.1. */
export async function startStaticIssuer(): Promise<StaticIssuer> {
  const published = await generateKeyPair('ES256', { extractable: true });
  const other = await generateKeyPair('ES256', { extractable: true });
  const kid = 'static-1';
  const jwk = { ...(await exportJWK(published.publicKey)), kid, alg: 'ES256', use: 'sig' };
  let fetches = 0;
  let discovery: Record<string, unknown> | undefined;
  const server = createServer((request, response) => {
    if (request.url === '/jwks') {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else if (request.url === '/.well-known/openid-configuration') {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(discovery ?? { issuer, jwks_uri: `${issuer}/jwks` }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    kid,
    async sign(claims, options = {}) {
      const keyId = options.kid === undefined ? kid : options.kid;
      const header = { alg: 'ES256', ...(keyId === null ? {} : { kid: keyId }), ...options.header };
      return new SignJWT(claims)
        .setProtectedHeader(header as { alg: string })
        .sign(options.key === 'other' ? other.privateKey : published.privateKey);
    },
    jwksFetches: () => fetches,
    setDiscovery(document) {
      discovery = document;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
