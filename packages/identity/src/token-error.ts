import { OcxError } from '@ocx/core';

/**
 * Why a token was refused: the `backendErrorType` of the `auth` error, one per cause so callers
 * (a portal, an API gateway) can branch on it and tell the user what to do.
 */
export type TokenErrorType =
  | 'token-malformed'
  | 'token-expired'
  | 'token-not-yet-valid'
  | 'signature-invalid'
  | 'issuer-mismatch'
  | 'audience-mismatch'
  | 'unknown-key'
  | 'algorithm-not-allowed'
  | 'token-type-mismatch'
  | 'nonce-mismatch'
  | 'claim-missing'
  | 'token-inactive'
  | 'jwks-unavailable'
  | 'discovery-failed';

/** Failures that may pass on their own (the identity provider is down): worth retrying later. */
const RETRYABLE: ReadonlySet<TokenErrorType> = new Set(['jwks-unavailable', 'discovery-failed']);

/**
 * Build the `auth` error of a refused token. The message names the cause and the field, never the
 * token's text.
 */
export function tokenError(
  type: TokenErrorType,
  message: string,
  options: { field?: string; issuer?: string; cause?: unknown } = {},
): OcxError {
  return new OcxError({
    code: 'auth',
    message,
    backend: options.issuer === undefined ? 'oidc' : `oidc ${options.issuer}`,
    operation: 'verify-token',
    backendErrorType: type,
    retryable: RETRYABLE.has(type),
    fault: RETRYABLE.has(type) ? 'server' : 'client',
    ...(options.field === undefined ? {} : { issues: [{ path: options.field, message }] }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** True for an error from {@link tokenError} of the given type. */
export function isTokenError(error: unknown, type?: TokenErrorType): error is OcxError {
  return (
    OcxError.is(error) &&
    error.code === 'auth' &&
    error.operation === 'verify-token' &&
    (type === undefined || error.backendErrorType === type)
  );
}
