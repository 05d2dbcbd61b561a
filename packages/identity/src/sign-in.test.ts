import { createExchange, type Exchange } from '@ocx/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClaimMapper } from './claim-mapper.js';
import { createOidcVerifier, type OidcVerifier } from './oidc-verifier.js';
import type { LocalIdentityProvider } from './provider/index.js';
import { createSignIn } from './sign-in.js';
import { startUniversityIdp } from './test-support/identity-world.js';
import { defaultUserId } from './user-id.js';

let idp: LocalIdentityProvider;
let verifier: OidcVerifier;
let exchange: Exchange;

beforeAll(async () => {
  idp = await startUniversityIdp();
  verifier = createOidcVerifier({ providers: [{ issuer: idp.issuer, audiences: ['portal', 'ocx-exchange'] }] });
});
afterAll(async () => {
  await verifier.close();
  await idp.close();
});
beforeEach(async () => {
  exchange = createExchange();
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });
});

const mapper = createClaimMapper({
  rules: [{ kind: 'scoped-affiliation' }],
  roles: [{ claim: 'eduPersonScopedAffiliation', equals: ['faculty@bu.edu'], role: 'pi' }],
  adminRoles: ['pi'],
});

describe('createSignIn', () => {
  it('creates the user once, keyed by issuer and subject, and audits each sign-in under the user', async () => {
    const signIn = createSignIn({ exchange, verifier, mapper, expect: 'id-token' });
    const first = await signIn.signIn((await idp.token('alice', 'portal', { nonce: 'abc' })).idToken, { nonce: 'abc' });
    expect(first.user.id).toBe(
      defaultUserId({ issuer: idp.issuer, subject: 'alice' }, { preferred_username: 'alice' }),
    );
    expect(first.user.id).toMatch(/^alice-[0-9a-f]{16}$/);
    expect(first.principal).toEqual({ kind: 'admin', id: first.user.id, organization: 'bu' });
    const second = await signIn.signIn((await idp.token('alice', 'portal')).idToken);
    expect(second).toMatchObject({ created: false, user: { id: first.user.id } });
    expect((await exchange.directory.users()).length).toBe(1);
    const audit = await exchange.audit.query({ action: 'user.sign-in' });
    expect(audit.map((entry) => [entry.actor.id, entry.outcome, entry.details?.created])).toEqual([
      [first.user.id, 'success', true],
      [first.user.id, 'success', false],
    ]);
  });

  it('refuses the wrong token kind, a wrong nonce, and a token without e-mail, changing nothing', async () => {
    const signIn = createSignIn({ exchange, verifier, mapper, expect: 'id-token' });
    const tokens = await idp.token('bob', 'portal', { nonce: 'right' });
    await expect(signIn.signIn(tokens.accessToken)).rejects.toMatchObject({
      code: 'auth',
      backendErrorType: 'token-type-mismatch',
    });
    await expect(signIn.signIn(tokens.idToken, { nonce: 'wrong' })).rejects.toMatchObject({
      backendErrorType: 'nonce-mismatch',
    });
    const noEmail = await idp.token('bob', 'portal', { scope: 'openid eduperson' });
    await expect(signIn.signIn(noEmail.idToken)).rejects.toMatchObject({
      code: 'auth',
      backendErrorType: 'claim-missing',
      issues: [{ path: 'token.email' }],
    });
    expect(await exchange.directory.users()).toEqual([]);
  });

  it('refuses a user id that another identity already holds', async () => {
    const signIn = createSignIn({ exchange, verifier, mapper, userId: () => 'taken' });
    await exchange.directory.upsertUser({
      id: 'taken',
      organization: 'bu',
      name: 'Someone',
      email: 'someone@bu.edu',
      identity: { issuer: 'https://other.example', subject: 'x' },
    });
    await expect(signIn.signIn((await idp.token('bob', 'portal')).idToken)).rejects.toMatchObject({
      code: 'conflict',
      issues: [{ path: 'userId' }],
    });
    expect((await exchange.directory.user('taken'))?.email).toBe('someone@bu.edu');
  });
});
