import { type Exchange, OcxError, type Organization, type Principal, type User } from '@ocx/core';
import type { ClaimMapper } from './claim-mapper.js';
import type { OidcVerifier, VerifyOptions } from './oidc-verifier.js';
import { defaultUserId } from './user-id.js';
import type { VerifiedToken } from './verified-token.js';

/** Options of {@link createSignIn}. */
export interface SignInOptions {
  exchange: Exchange;
  verifier: OidcVerifier;
  mapper: ClaimMapper;
  /** Choose the user id of a first sign-in. Default {@link defaultUserId}. */
  userId?: (identity: { issuer: string; subject: string }, claims: Record<string, unknown>) => string;
  /** Which tokens sign a user in. Default: ID tokens and JWT access tokens alike. */
  expect?: VerifyOptions['expect'];
}

/** What a sign-in yields. */
export interface SignInResult {
  /** The principal to act as (`actor`) in every exchange call of this session. */
  principal: Principal;
  user: User;
  organization: Organization;
  roles: string[];
  /** True on the user's first sign-in. */
  created: boolean;
  token: VerifiedToken;
}

/** Signs users in from identity tokens. */
export interface SignIn {
  signIn(token: string, options?: { nonce?: string; signal?: AbortSignal }): Promise<SignInResult>;
}

/**
 * The glue from an identity token to an exchange principal: verify the token, map its claims to
 * an organization and roles, create or update the user (keyed by issuer and subject) in the
 * directory, and audit the sign-in. No human step: a first sign-in creates the user.
 *
 * @example
 * ```ts
 * const signIn = createSignIn({ exchange, verifier, mapper });
 * const { principal, user } = await signIn.signIn(idToken, { nonce });
 * await exchange.directory.createProject({ id: 'genomics', name: 'Genomics', organization: user.organization, lead: user.id }, { actor: principal });
 * ```
 */
export function createSignIn(options: SignInOptions): SignIn {
  const { exchange, verifier, mapper } = options;
  const chooseId = options.userId ?? defaultUserId;
  return {
    async signIn(token, signInOptions = {}) {
      const verified = await verifier.verify(token, {
        ...(options.expect === undefined ? {} : { expect: options.expect }),
        ...(signInOptions.nonce === undefined ? {} : { nonce: signInOptions.nonce }),
        ...(signInOptions.signal === undefined ? {} : { signal: signInOptions.signal }),
      });
      const identity = { issuer: verified.issuer, subject: verified.subject };
      const existing = (await exchange.directory.users()).find(
        (user) => user.identity?.issuer === identity.issuer && user.identity.subject === identity.subject,
      );
      if (existing?.status === 'left') {
        await refuseAudit(exchange, existing.id, 'user-left', identity);
        throw signInError(
          'user-left',
          'This account has left the exchange; an administrator must reinstate it before it signs in again',
        );
      }
      let mapped: Awaited<ReturnType<ClaimMapper['map']>>;
      try {
        mapped = await mapper.map(verified, exchange.directory);
      } catch (error) {
        if (OcxError.is(error) && error.code === 'auth')
          await refuseAudit(exchange, existing?.id, 'organization-unmapped', identity);
        throw error;
      }
      const email = typeof verified.claims.email === 'string' ? verified.claims.email : existing?.email;
      if (email === undefined)
        throw signInError(
          'claim-missing',
          `The token from ${verified.issuer} carries no e-mail address (request the email scope)`,
          'token.email',
        );
      const id = existing?.id ?? chooseId(identity, verified.claims);
      const name =
        typeof verified.claims.name === 'string' && verified.claims.name !== ''
          ? verified.claims.name
          : (existing?.name ?? email);
      const principal: Principal = { kind: mapped.kind, id, organization: mapped.organization.id };
      if (existing === undefined) {
        const taken = await exchange.directory.user(id);
        if (
          taken !== undefined &&
          (taken.identity?.issuer !== identity.issuer || taken.identity.subject !== identity.subject)
        ) {
          throw new OcxError({
            code: 'conflict',
            message: `User id ${id} belongs to another identity`,
            issues: [{ path: 'userId', message: 'taken' }],
            fault: 'client',
          });
        }
      }
      const user = await exchange.directory.upsertUser(
        { id, organization: mapped.organization.id, name, email, status: 'active', identity },
        { actor: principal },
      );
      await exchange.audit.record({
        actor: principal,
        action: 'user.sign-in',
        target: { type: 'user', id },
        outcome: 'success',
        details: {
          issuer: identity.issuer,
          subject: identity.subject,
          rule: mapped.rule,
          matched: mapped.matched,
          roles: mapped.roles,
          created: existing === undefined,
          tokenKind: verified.kind,
        },
      });
      return {
        principal,
        user,
        organization: mapped.organization,
        roles: mapped.roles,
        created: existing === undefined,
        token: verified,
      };
    },
  };
}

function signInError(type: string, message: string, field = 'token'): OcxError {
  return new OcxError({
    code: 'auth',
    operation: 'sign-in',
    backendErrorType: type,
    fault: 'client',
    message,
    issues: [{ path: field, message }],
  });
}

/** A verified identity refused after verification is worth a trace for support; a bad token is not (anyone can send one). */
async function refuseAudit(
  exchange: Exchange,
  userId: string | undefined,
  reason: string,
  identity: { issuer: string; subject: string },
): Promise<void> {
  await exchange.audit.record({
    actor: userId === undefined ? { kind: 'system', id: 'sign-in' } : { kind: 'user', id: userId },
    action: 'user.sign-in',
    ...(userId === undefined ? {} : { target: { type: 'user', id: userId } }),
    outcome: 'failure',
    details: { reason, issuer: identity.issuer, subject: identity.subject },
  });
}
