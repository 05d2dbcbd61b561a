import type { JWTPayload } from 'jose';

/** Which token a caller expects: an OpenID Connect ID token, an OAuth access token, or either. */
export type TokenKind = 'id-token' | 'access-token';

/** A token whose signature, issuer, audience and times have been checked. */
export interface VerifiedToken {
  kind: TokenKind;
  issuer: string;
  subject: string;
  /** The token's audiences (always a list). */
  audience: string[];
  /** Every claim of the token (or of the introspection response, for an opaque access token). */
  claims: JWTPayload & Record<string, unknown>;
  issuedAt: Date | undefined;
  expiresAt: Date;
  /** The signing key's id and algorithm; absent for an introspected opaque token. */
  keyId?: string;
  algorithm?: string;
  /** Access tokens: the granted scopes and the client they were issued to. */
  scopes?: string[];
  clientId?: string;
}
