import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** A private signing key as a JWK, with its `kid`, for oidc-provider's `jwks` configuration. */
export type PrivateSigningJwk = JWK & { kid: string; alg: 'RS256'; use: 'sig' };

/** Make a fresh RS256 signing key (RS256 is what every relying party accepts for ID tokens). */
export async function createSigningKey(): Promise<PrivateSigningJwk> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' };
}
