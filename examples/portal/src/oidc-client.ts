import { createHash, randomBytes } from 'node:crypto';
import { OcxError, type Secret } from '@ocx/core';
import { basicAuth, createHttpClient, type HttpClient } from '@ocx/core/http';
import { z } from 'zod';

const DiscoverySchema = z
  .object({ issuer: z.string(), authorization_endpoint: z.url(), token_endpoint: z.url() })
  .passthrough();
const TokenResponseSchema = z
  .object({ id_token: z.string().min(1), token_type: z.string(), access_token: z.string().optional() })
  .passthrough();

/** A sign-in under way: what the callback needs to finish it. Never sent to the browser. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  authorizationUrl: string;
}

/** The portal's side of OpenID Connect: the authorization-code flow with PKCE (S256), as a confidential client. */
export interface OidcClient {
  /** Start a sign-in: fresh state, nonce and PKCE verifier, and the URL to send the browser to. */
  begin(): Promise<PendingSignIn>;
  /** Exchange the code the provider returned for tokens (through `@ocx/core/http`); returns the ID token. */
  finish(code: string, pending: PendingSignIn): Promise<string>;
  close(): Promise<void>;
}

/** A random URL-safe string of `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The PKCE S256 challenge of a verifier (RFC 7636). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * Make the portal's OIDC client. Discovery is read on first use (and read again after a failure),
 * so the portal starts even while the identity provider is still starting.
 */
export function createOidcClient(options: {
  issuer: string;
  clientId: string;
  clientSecret: Secret;
  redirectUri: string;
  scope: string;
}): OidcClient {
  const http: HttpClient = createHttpClient({
    backend: 'identity-provider',
    baseUrl: options.issuer,
    timeoutMs: 10_000,
    auth: basicAuth({ username: options.clientId, password: options.clientSecret }),
  });
  let discovery: Promise<z.infer<typeof DiscoverySchema>> | undefined;
  const discover = () => {
    discovery ??= http
      .get('.well-known/openid-configuration', { schema: DiscoverySchema, operation: 'discovery' })
      .then((response) => response.data)
      .catch((error: unknown) => {
        discovery = undefined;
        throw error;
      });
    return discovery;
  };
  return {
    async begin() {
      const { authorization_endpoint: endpoint } = await discover();
      const state = randomToken();
      const nonce = randomToken();
      const codeVerifier = randomToken(48);
      const url = new URL(endpoint);
      const parameters = {
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        scope: options.scope,
        state,
        nonce,
        code_challenge: pkceChallenge(codeVerifier),
        code_challenge_method: 'S256',
      };
      for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
      return { state, nonce, codeVerifier, authorizationUrl: url.toString() };
    },
    async finish(code, pending) {
      const { token_endpoint: endpoint } = await discover();
      const response = await http.post(endpoint, {
        form: {
          grant_type: 'authorization_code',
          code,
          redirect_uri: options.redirectUri,
          code_verifier: pending.codeVerifier,
        },
        schema: TokenResponseSchema,
        operation: 'token',
      });
      if (response.data.id_token === '')
        throw new OcxError({
          code: 'protocol',
          message: 'The identity provider returned no ID token',
          fault: 'server',
        });
      return response.data.id_token;
    },
    close: () => http.close(),
  };
}
