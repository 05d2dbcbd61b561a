import { type Clock, type Logger, SecretSchema } from '@ocx/core';
import type { Dispatcher } from 'undici';
import { z } from 'zod';

/** Signature algorithms a provider may use; symmetric ones (HS*) are never accepted from an identity provider. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
/** One asymmetric JWS algorithm. */
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** An https URL, or plain http on loopback only (tests, a local provider). */
export function isHttpsOrLoopback(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
  );
}

const httpsOrLoopback = z
  .url({ protocol: /^https?$/ })
  .refine(isHttpsOrLoopback, 'must be https (plain http only on loopback)');

/** One trusted identity provider. */
export const TrustedProviderSchema = z
  .object({
    /** The issuer identifier, exactly as the provider puts it in `iss`. */
    issuer: httpsOrLoopback,
    /** Accepted `aud` values: the client ids (ID tokens) and resource identifiers (access tokens). */
    audiences: z.array(z.string().min(1)).min(1),
    /**
     * The JWKS URL; without it the provider's discovery document names it. It may be on another
     * origin than the issuer (as Google's is): the key set is fetched without any credentials.
     */
    jwksUri: httpsOrLoopback.optional(),
    /** Read `<issuer>/.well-known/openid-configuration` (default true; required when `jwksUri` is absent). */
    discovery: z.boolean().default(true),
    /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 60. */
    clockSkewSeconds: z.number().int().min(0).max(600).default(60),
    /** Accepted signature algorithms. Default RS256, PS256, ES256, EdDSA. */
    algorithms: z.array(z.enum(ASYMMETRIC_ALGORITHMS)).min(1).default(['RS256', 'PS256', 'ES256', 'EdDSA']),
    /** Refetch the key set after this long (it is also refetched when a token names an unknown key). Default 5 min. */
    jwksRefreshMs: z.number().int().min(0).default(300_000),
    /**
     * Keys fetched longer ago than this are no longer trusted: while the JWKS endpoint is down,
     * cached keys are used until then, and then verification fails with `jwks-unavailable`. Default 1 h.
     */
    jwksCacheMaxAgeMs: z.number().int().min(1).default(3_600_000),
    /** At most one refetch per this long (unknown `kid`s and failed refreshes alike). Default 30 s. */
    cooldownMs: z.number().int().min(0).default(30_000),
    /**
     * Client credentials for token introspection (RFC 7662), to accept opaque access tokens. The
     * client secret (and the token) go only to the issuer's origin: a discovered
     * `introspection_endpoint` elsewhere is refused. `endpoint` names the endpoint instead of
     * discovery, and may be on another origin: the operator vouches for it.
     */
    introspection: z
      .object({ clientId: z.string().min(1), clientSecret: SecretSchema, endpoint: httpsOrLoopback.optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((provider) => provider.discovery || provider.jwksUri !== undefined, {
    message: 'give jwksUri or enable discovery',
    path: ['jwksUri'],
  })
  .refine((provider) => provider.jwksRefreshMs <= provider.jwksCacheMaxAgeMs, {
    message: 'must not exceed jwksCacheMaxAgeMs',
    path: ['jwksRefreshMs'],
  })
  .refine(
    (provider) =>
      provider.introspection === undefined || provider.discovery || provider.introspection.endpoint !== undefined,
    {
      message: 'introspection needs discovery or introspection.endpoint (to know where to send the token)',
      path: ['introspection'],
    },
  );
/** Input of one trusted provider. */
export type TrustedProviderInput = z.input<typeof TrustedProviderSchema>;
/** One trusted provider after parsing and defaults. */
export type TrustedProvider = z.output<typeof TrustedProviderSchema>;

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** Options of `createOidcVerifier`, as a schema (parsed at construction). */
export const OidcVerifierOptionsSchema = z
  .object({
    providers: z.array(TrustedProviderSchema).min(1),
    /** The undici dispatcher for discovery, JWKS and introspection calls. */
    dispatcher: z
      .custom<Dispatcher>(
        (value) => isFunction((value as { dispatch?: unknown } | undefined)?.dispatch),
        'expected an undici Dispatcher',
      )
      .optional(),
    /** Where token times are checked against and the key cache ages. Default: the system clock. */
    clock: z.custom<Clock>((value) => isFunction((value as Clock | undefined)?.now), 'expected a Clock').optional(),
    logger: z
      .custom<Logger>((value) => isFunction((value as Logger | undefined)?.warn), 'expected a Logger')
      .optional(),
    /** Per-attempt timeout of calls to the providers. Default 5000 ms. */
    timeoutMs: z.number().int().positive().default(5000),
    /** Retries of a failed discovery or JWKS fetch (within one verification). Default 1. */
    retries: z.number().int().min(0).max(5).default(1),
  })
  .strict()
  .superRefine((options, context) => {
    const seen = new Set<string>();
    options.providers.forEach((provider, index) => {
      if (seen.has(provider.issuer))
        context.addIssue({
          code: 'custom',
          path: ['providers', index, 'issuer'],
          message: `issuer ${provider.issuer} is listed twice`,
        });
      seen.add(provider.issuer);
    });
  });
/** Options of {@link createOidcVerifier}. */
export type OidcVerifierOptions = z.input<typeof OidcVerifierOptionsSchema>;
