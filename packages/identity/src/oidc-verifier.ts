import { type Clock, type Logger, OcxError, parseWith, silentLogger, systemClock } from '@ocx/core';
import { createHttpClient, type HttpClient } from '@ocx/core/http';
import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type JWTVerifyResult,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { introspectionEndpoint, introspectToken } from './introspect-token.js';
import { createJwksCache, type JwksCache } from './jwks-cache.js';
import { mapJoseError } from './map-jose-error.js';
import { type OidcVerifierOptions, OidcVerifierOptionsSchema, type TrustedProvider } from './oidc-verifier-options.js';
import { fetchProviderMetadata, type ProviderMetadata } from './provider-metadata.js';
import { tokenError } from './token-error.js';
import type { TokenKind, VerifiedToken } from './verified-token.js';

/** Options of {@link OidcVerifier.verify}. */
export interface VerifyOptions {
  /** Refuse any other kind of token. Default: either (decided by the `typ` header: `at+jwt` is an access token). */
  expect?: TokenKind;
  /** For ID tokens: the nonce the relying party sent in its authorization request. */
  nonce?: string;
  /** For opaque access tokens: the issuer to introspect them at (they do not name it). */
  issuer?: string;
  signal?: AbortSignal;
}

/** Verifies tokens from several trusted OpenID Connect providers. */
export interface OidcVerifier {
  /** The issuers trusted. */
  readonly issuers: readonly string[];
  /** Verify a token, or throw an `auth` `OcxError` whose `backendErrorType` says why it was refused. */
  verify(token: string, options?: VerifyOptions): Promise<VerifiedToken>;
  /** Fetch discovery and keys of every provider now (e.g. at start-up), instead of on the first token. */
  warmUp(options?: { signal?: AbortSignal }): Promise<void>;
  /** Release the HTTP clients. */
  close(): Promise<void>;
}

const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

interface ProviderState {
  config: TrustedProvider;
  http: HttpClient;
  metadata: (signal?: AbortSignal) => Promise<ProviderMetadata>;
  jwks: JwksCache;
}

/**
 * Verify OpenID Connect ID tokens and OAuth access tokens (RFC 9068 JWTs, or opaque ones through
 * introspection) from several identity providers: discovery, JWKS with caching and key rotation,
 * issuer, audience, expiry and clock skew. Every network call goes through `@ocx/core/http`; keys
 * are cached per issuer, refetched when a token names an unknown key (rate-limited), and kept in
 * use while the JWKS endpoint is down until they reach their max age.
 *
 * @example
 * ```ts
 * const verifier = createOidcVerifier({
 *   providers: [
 *     { issuer: 'https://shibboleth.bu.edu', audiences: ['ocx-portal'] },
 *     { issuer: 'https://accounts.google.com', audiences: ['1234.apps.googleusercontent.com'] },
 *   ],
 * });
 * const token = await verifier.verify(idToken, { expect: 'id-token', nonce });
 * console.log(token.issuer, token.subject, token.claims.email);
 * ```
 */
export function createOidcVerifier(options: OidcVerifierOptions): OidcVerifier {
  const parsed = parseWith(OidcVerifierOptionsSchema, options, { what: 'OIDC verifier options' });
  const clock: Clock = parsed.clock ?? systemClock;
  const logger: Logger = parsed.logger ?? silentLogger;
  const providers = new Map<string, ProviderState>();
  for (const config of parsed.providers) {
    const http = createHttpClient({
      backend: `oidc ${config.issuer}`,
      baseUrl: config.issuer,
      timeoutMs: parsed.timeoutMs,
      retry: { retries: parsed.retries, minDelayMs: 100, maxDelayMs: 1000 },
      // A configured introspection endpoint elsewhere gets the Basic credentials it is sent.
      ...(config.introspection?.endpoint === undefined ? {} : { allowedOrigins: [config.introspection.endpoint] }),
      ...(parsed.dispatcher === undefined ? {} : { dispatcher: parsed.dispatcher }),
      ...(parsed.logger === undefined ? {} : { logger: parsed.logger }),
    });
    let metadata: Promise<ProviderMetadata> | undefined;
    const readMetadata = (): Promise<ProviderMetadata> => {
      // A failed read is forgotten, so the next verification tries again.
      metadata ??= fetchProviderMetadata(http, config.issuer, undefined).catch((error: unknown) => {
        metadata = undefined;
        throw error;
      });
      return metadata;
    };
    const jwks = createJwksCache({
      issuer: config.issuer,
      jwksUri: async () => config.jwksUri ?? (await readMetadata()).jwks_uri,
      http,
      clock,
      logger,
      refreshMs: config.jwksRefreshMs,
      maxAgeMs: config.jwksCacheMaxAgeMs,
      cooldownMs: config.cooldownMs,
    });
    providers.set(config.issuer, { config, http, metadata: readMetadata, jwks });
  }

  const verify = async (token: string, verifyOptions: VerifyOptions = {}): Promise<VerifiedToken> => {
    if (typeof token !== 'string' || token.length === 0)
      throw tokenError('token-malformed', 'No token was given', { field: 'token' });
    if (!COMPACT_JWS.test(token)) {
      const provider = verifyOptions.issuer === undefined ? undefined : providers.get(verifyOptions.issuer);
      if (provider?.config.introspection !== undefined && verifyOptions.expect !== 'id-token') {
        const endpoint = introspectionEndpoint(
          provider.config,
          provider.config.introspection.endpoint === undefined ? await provider.metadata() : undefined,
        );
        return introspectToken({
          http: provider.http,
          config: provider.config,
          endpoint,
          token,
          clock,
          ...(verifyOptions.signal === undefined ? {} : { signal: verifyOptions.signal }),
        });
      }
      throw tokenError(
        'token-malformed',
        'The token is not a signed JWT (and no issuer that introspects opaque tokens was named)',
        { field: 'token' },
      );
    }
    let header: ProtectedHeaderParameters;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (error) {
      throw tokenError('token-malformed', 'The token is not a well-formed JWT', { field: 'token', cause: error });
    }
    // The unverified issuer only chooses whose keys to try; jwtVerify checks it again after the signature.
    const claimedIssuer = typeof unverified.iss === 'string' ? unverified.iss : undefined;
    const provider = claimedIssuer === undefined ? undefined : providers.get(claimedIssuer);
    if (provider === undefined) {
      throw tokenError(
        'issuer-mismatch',
        claimedIssuer === undefined
          ? 'The token names no issuer'
          : 'The token was issued by an identity provider this exchange does not trust',
        { field: 'token.iss' },
      );
    }
    const { config } = provider;
    if (typeof header.alg !== 'string' || !(config.algorithms as readonly string[]).includes(header.alg)) {
      throw tokenError(
        'algorithm-not-allowed',
        `The token's signature algorithm (${String(header.alg).slice(0, 16)}) is not allowed for ${config.issuer}`,
        { issuer: config.issuer, field: 'token.header.alg' },
      );
    }
    const kind: TokenKind =
      typeof header.typ === 'string' && ACCESS_TOKEN_TYPES.has(header.typ.toLowerCase()) ? 'access-token' : 'id-token';
    if (verifyOptions.expect !== undefined && verifyOptions.expect !== kind) {
      throw tokenError(
        'token-type-mismatch',
        `Expected an ${verifyOptions.expect === 'id-token' ? 'ID token' : 'access token (typ at+jwt)'} but got ${kind === 'id-token' ? 'an ID token' : 'an access token'}`,
        { issuer: config.issuer, field: 'token.header.typ' },
      );
    }

    const attempt = (keys: JWTVerifyGetKey) =>
      verifyWithKeySet(token, keys, {
        issuer: config.issuer,
        audience: config.audiences,
        algorithms: config.algorithms,
        clockTolerance: config.clockSkewSeconds,
        currentDate: clock.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
    let result: JWTVerifyResult;
    try {
      result = await attempt((await provider.jwks.current(verifyOptions.signal)).keys);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey))
        throw OcxError.is(error) ? error : mapJoseError(error, config.issuer);
      // The provider may have rotated its keys since they were cached.
      const refreshed = await provider.jwks.refreshForUnknownKey(verifyOptions.signal);
      if (refreshed === undefined) throw mapJoseError(error, config.issuer);
      try {
        result = await attempt(refreshed.keys);
      } catch (retryError) {
        throw OcxError.is(retryError) ? retryError : mapJoseError(retryError, config.issuer);
      }
    }
    return checkedToken(result, kind, config, clock, verifyOptions);
  };

  return {
    issuers: [...providers.keys()],
    verify,
    async warmUp(warmOptions = {}) {
      await Promise.all([...providers.values()].map((provider) => provider.jwks.current(warmOptions.signal)));
    },
    async close() {
      await Promise.all([...providers.values()].map((provider) => provider.http.close()));
    },
  };
}

/**
 * jwtVerify against a key set, trying each candidate when several keys match (a token without a
 * `kid` while the provider publishes two keys during a rotation).
 */
async function verifyWithKeySet(
  token: string,
  keys: JWTVerifyGetKey,
  options: JWTVerifyOptions,
): Promise<JWTVerifyResult> {
  try {
    return await jwtVerify(token, keys, options);
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const key of error) {
      try {
        return await jwtVerify(token, key, options);
      } catch (inner) {
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

/** The checks jose leaves to the caller: a future `iat`, the nonce, `azp`; then the result. */
function checkedToken(
  result: JWTVerifyResult,
  kind: TokenKind,
  config: TrustedProvider,
  clock: Clock,
  options: VerifyOptions,
): VerifiedToken {
  const claims = result.payload as JWTPayload & Record<string, unknown>;
  const now = Math.floor(clock.now().getTime() / 1000);
  if (typeof claims.iat === 'number' && claims.iat > now + config.clockSkewSeconds) {
    throw tokenError(
      'token-not-yet-valid',
      `The token from ${config.issuer} is not valid yet (its "iat" is in the future beyond the allowed clock skew)`,
      { issuer: config.issuer, field: 'token.iat' },
    );
  }
  if (typeof claims.sub !== 'string' || claims.sub.length === 0)
    throw tokenError('claim-missing', `The token from ${config.issuer} has no subject`, {
      issuer: config.issuer,
      field: 'token.sub',
    });
  if (kind === 'id-token') {
    if (options.nonce !== undefined && claims.nonce !== options.nonce)
      throw tokenError('nonce-mismatch', 'The ID token does not carry the nonce of this sign-in', {
        issuer: config.issuer,
        field: 'token.nonce',
      });
    if (typeof claims.azp === 'string' && !config.audiences.includes(claims.azp)) {
      throw tokenError('audience-mismatch', `The ID token from ${config.issuer} was issued to another client`, {
        issuer: config.issuer,
        field: 'token.azp',
      });
    }
  }
  const audience = Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === 'string' ? [claims.aud] : [];
  const clientId =
    typeof claims.client_id === 'string' ? claims.client_id : typeof claims.azp === 'string' ? claims.azp : undefined;
  return {
    kind,
    issuer: config.issuer,
    subject: claims.sub,
    audience,
    claims,
    issuedAt: typeof claims.iat === 'number' ? new Date(claims.iat * 1000) : undefined,
    expiresAt: new Date((claims.exp as number) * 1000),
    ...(result.protectedHeader.kid === undefined ? {} : { keyId: result.protectedHeader.kid }),
    algorithm: result.protectedHeader.alg,
    ...(kind === 'access-token'
      ? { scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [] }
      : {}),
    ...(clientId === undefined ? {} : { clientId }),
  };
}
