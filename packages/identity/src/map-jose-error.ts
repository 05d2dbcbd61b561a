import type { OcxError } from '@ocx/core';
import { errors } from 'jose';
import { tokenError } from './token-error.js';

/**
 * Turn what jose threw while verifying into the precise `auth` error. jose checks the signature
 * before any claim, so a forged token is always `signature-invalid`, whatever its claims say.
 */
export function mapJoseError(error: unknown, issuer: string): OcxError {
  const context = { issuer, cause: error };
  if (error instanceof errors.JWTExpired) {
    return tokenError('token-expired', `The token from ${issuer} has expired`, {
      ...context,
      field: `token.${error.claim}`,
    });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return error.reason === 'check_failed'
          ? tokenError(
              'token-not-yet-valid',
              `The token from ${issuer} is not valid yet (its "${error.claim}" is in the future beyond the allowed clock skew)`,
              { ...context, field: `token.${error.claim}` },
            )
          : tokenError('token-malformed', `The token from ${issuer} has an invalid "${error.claim}" claim`, {
              ...context,
              field: `token.${error.claim}`,
            });
      case 'iss':
        return tokenError('issuer-mismatch', `The token's issuer is not ${issuer}`, { ...context, field: 'token.iss' });
      case 'aud':
        return error.reason === 'missing'
          ? tokenError('claim-missing', `The token from ${issuer} has no "aud" claim`, {
              ...context,
              field: 'token.aud',
            })
          : tokenError(
              'audience-mismatch',
              `The token from ${issuer} is not meant for this exchange (its audience is not one of the accepted ones)`,
              { ...context, field: 'token.aud' },
            );
      default:
        return error.reason === 'missing'
          ? tokenError('claim-missing', `The token from ${issuer} lacks the required "${error.claim}" claim`, {
              ...context,
              field: `token.${error.claim}`,
            })
          : tokenError('token-malformed', `The token from ${issuer} has an invalid "${error.claim}" claim`, {
              ...context,
              field: `token.${error.claim}`,
            });
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return tokenError('signature-invalid', `The token's signature does not verify with the keys of ${issuer}`, {
      ...context,
      field: 'token.signature',
    });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return tokenError('algorithm-not-allowed', `The token's signature algorithm is not allowed for ${issuer}`, {
      ...context,
      field: 'token.header.alg',
    });
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return tokenError('unknown-key', `The token was signed with a key ${issuer} does not publish`, {
      ...context,
      field: 'token.header.kid',
    });
  }
  if (error instanceof errors.JOSENotSupported) {
    return tokenError('algorithm-not-allowed', `The token's algorithm or key type is not supported`, {
      ...context,
      field: 'token.header.alg',
    });
  }
  return tokenError('token-malformed', `The token from ${issuer} is not a valid signed JWT`, {
    ...context,
    field: 'token',
  });
}
