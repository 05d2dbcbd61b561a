import { OcxError } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import { z } from 'zod';
import { isHttpsOrLoopback } from './oidc-verifier-options.js';
import { tokenError } from './token-error.js';

/** The parts of an OpenID Provider's discovery document the verifier uses. */
export const ProviderMetadataSchema = z
  .object({
    issuer: z.string().min(1),
    jwks_uri: z.url(),
    introspection_endpoint: z.url().optional(),
    id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  })
  .loose();
/** A validated discovery document. */
export type ProviderMetadata = z.output<typeof ProviderMetadataSchema>;

/**
 * Read `<issuer>/.well-known/openid-configuration`. Its `issuer` must equal the configured one
 * exactly (OpenID Connect Discovery 1.0 §4.3): a document that names another issuer is refused,
 * so one provider cannot hand out keys for another. Its `jwks_uri` may be on another origin (the
 * spec allows it, and Google's is), but must be https (plain http only on loopback): the keys
 * are fetched from there without credentials. Where the introspection endpoint may be is
 * decided where the client secret is sent (`introspect-token.ts`).
 */
export async function fetchProviderMetadata(
  http: HttpClient,
  issuer: string,
  signal: AbortSignal | undefined,
): Promise<ProviderMetadata> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let metadata: ProviderMetadata;
  try {
    ({ data: metadata } = await http.get(url, {
      schema: ProviderMetadataSchema,
      operation: 'discovery',
      ...(signal === undefined ? {} : { signal }),
    }));
  } catch (error) {
    const reason = OcxError.is(error)
      ? `${error.code}${error.status === undefined ? '' : ` ${error.status}`}`
      : 'failure';
    throw tokenError('discovery-failed', `The discovery document of ${issuer} could not be read (${reason})`, {
      issuer,
      cause: error,
    });
  }
  if (metadata.issuer !== issuer) {
    throw tokenError(
      'issuer-mismatch',
      `The discovery document of ${issuer} names another issuer (${metadata.issuer})`,
      { issuer, field: 'discovery.issuer' },
    );
  }
  if (!isHttpsOrLoopback(metadata.jwks_uri)) {
    throw tokenError(
      'discovery-failed',
      `The discovery document of ${issuer} names a key set that is not on https (${originOf(metadata.jwks_uri)})`,
      { issuer, field: 'discovery.jwks_uri' },
    );
  }
  return metadata;
}

/** A URL's origin for messages (never its path or query), or its scheme when it has none. */
export function originOf(url: string): string {
  const parsed = new URL(url);
  return parsed.origin === 'null' ? parsed.protocol : parsed.origin;
}
