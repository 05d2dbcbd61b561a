import type { Clock } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import { z } from 'zod';
import type { TrustedProvider } from './oidc-verifier-options.js';
import { originOf, type ProviderMetadata } from './provider-metadata.js';
import { tokenError } from './token-error.js';
import type { VerifiedToken } from './verified-token.js';

const IntrospectionSchema = z
  .object({
    active: z.boolean(),
    sub: z.string().optional(),
    iss: z.string().optional(),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    exp: z.number().optional(),
    iat: z.number().optional(),
    nbf: z.number().optional(),
    scope: z.string().optional(),
    client_id: z.string().optional(),
    token_type: z.string().optional(),
  })
  .loose();

/**
 * Where the client secret and the token may be sent: the configured `introspection.endpoint`,
 * else the discovered `introspection_endpoint`, which must be on the issuer's origin. Discovery
 * may name endpoints elsewhere (RFC 8414), but a discovery document that was tampered with, or
 * a misconfigured provider, must not collect the exchange's client secret and users' tokens:
 * an endpoint on another origin is trusted only when the operator configures it.
 */
export function introspectionEndpoint(config: TrustedProvider, metadata: ProviderMetadata | undefined): string {
  const configured = config.introspection?.endpoint;
  if (configured !== undefined) return configured;
  const discovered = metadata?.introspection_endpoint;
  if (discovered === undefined) {
    throw tokenError('discovery-failed', `${config.issuer} offers no introspection endpoint for opaque tokens`, {
      issuer: config.issuer,
      field: 'discovery.introspection_endpoint',
    });
  }
  const issuerOrigin = new URL(config.issuer).origin;
  if (originOf(discovered) !== issuerOrigin) {
    throw tokenError(
      'discovery-failed',
      `The discovery document of ${config.issuer} names an introspection endpoint on ${originOf(discovered)}, another origin than the issuer's (${issuerOrigin}); the client secret is sent only to the issuer's origin, so nothing was sent (configure introspection.endpoint to trust it)`,
      { issuer: config.issuer, field: 'discovery.introspection_endpoint' },
    );
  }
  return discovered;
}

/**
 * Check an opaque access token at the provider's introspection endpoint (RFC 7662), with the
 * exchange's own client credentials. The provider decides whether it is active; the exchange
 * still checks the issuer, audience and times it reports.
 */
export async function introspectToken(input: {
  http: HttpClient;
  config: TrustedProvider;
  /** From {@link introspectionEndpoint}. */
  endpoint: string;
  token: string;
  clock: Clock;
  signal?: AbortSignal;
}): Promise<VerifiedToken> {
  const { config } = input;
  const credentials = config.introspection!;
  let data: z.output<typeof IntrospectionSchema>;
  try {
    ({ data } = await input.http.post(input.endpoint, {
      form: { token: input.token, token_type_hint: 'access_token' },
      headers: { authorization: basicHeader(credentials.clientId, credentials.clientSecret.reveal()) },
      schema: IntrospectionSchema,
      operation: 'introspect',
      // Introspection reads state and changes nothing: safe to retry.
      idempotent: true,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    }));
  } catch (error) {
    throw tokenError('jwks-unavailable', `The introspection endpoint of ${config.issuer} could not be reached`, {
      issuer: config.issuer,
      cause: error,
    });
  }
  if (!data.active)
    throw tokenError(
      'token-inactive',
      `${config.issuer} says the access token is not active (expired, revoked or unknown)`,
      { issuer: config.issuer, field: 'token' },
    );
  const now = Math.floor(input.clock.now().getTime() / 1000);
  const skew = config.clockSkewSeconds;
  if (data.iss !== undefined && data.iss !== config.issuer)
    throw tokenError('issuer-mismatch', `The introspected token's issuer is not ${config.issuer}`, {
      issuer: config.issuer,
      field: 'token.iss',
    });
  if (data.exp === undefined || data.exp <= now - skew)
    throw tokenError('token-expired', `The access token from ${config.issuer} has expired`, {
      issuer: config.issuer,
      field: 'token.exp',
    });
  if ((data.nbf !== undefined && data.nbf > now + skew) || (data.iat !== undefined && data.iat > now + skew)) {
    throw tokenError('token-not-yet-valid', `The access token from ${config.issuer} is not valid yet`, {
      issuer: config.issuer,
      field: data.nbf !== undefined ? 'token.nbf' : 'token.iat',
    });
  }
  const audience = data.aud === undefined ? [] : Array.isArray(data.aud) ? data.aud : [data.aud];
  const clientId = data.client_id;
  // An opaque token for the userinfo endpoint carries no audience; then its client must be one of ours.
  const accepted =
    audience.length > 0
      ? audience.some((value) => config.audiences.includes(value))
      : clientId !== undefined && config.audiences.includes(clientId);
  if (!accepted)
    throw tokenError('audience-mismatch', `The access token from ${config.issuer} is not meant for this exchange`, {
      issuer: config.issuer,
      field: 'token.aud',
    });
  if (data.sub === undefined)
    throw tokenError('claim-missing', `The introspected token from ${config.issuer} has no subject`, {
      issuer: config.issuer,
      field: 'token.sub',
    });
  return {
    kind: 'access-token',
    issuer: config.issuer,
    subject: data.sub,
    audience,
    claims: data,
    issuedAt: data.iat === undefined ? undefined : new Date(data.iat * 1000),
    expiresAt: new Date(data.exp * 1000),
    scopes: data.scope?.split(' ').filter(Boolean) ?? [],
    ...(clientId === undefined ? {} : { clientId }),
  };
}

function basicHeader(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
