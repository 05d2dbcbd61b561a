import type { Exchange, Principal } from '@ocx/core';
import { createClaimMapper, createDeprovisioning, createOidcVerifier, createSignIn } from '@ocx/identity';
import { createLocalIdentityProvider } from '@ocx/identity/provider';
import { green, heading, red } from '../console.js';

/** The university's identity provider, as users see it: a local OIDC provider on 127.0.0.1. */
export async function startIdentityProvider() {
  return createLocalIdentityProvider({
    clients: [
      { clientId: 'ocx-portal', clientSecret: 'ocx-portal-client-secret', redirectUris: ['http://127.0.0.1/callback'] },
    ],
    users: [
      { sub: 'alice', email: 'alice@bu.edu', name: 'Alice Smith', eduPersonScopedAffiliation: ['faculty@bu.edu'] },
      { sub: 'bob', email: 'bob@bu.edu', name: 'Bob Jones', eduPersonScopedAffiliation: ['student@bu.edu'] },
      { sub: 'mallory', email: 'mallory@unknown.example', name: 'Mallory' },
    ],
  });
}

export type IdentityProvider = Awaited<ReturnType<typeof startIdentityProvider>>;

/**
 * Alice and Bob sign in with their university identity (OIDC): the token is verified, the
 * claims mapped to an organization, and the users recorded. A user of no known organization is
 * refused with a precise error.
 */
export async function signIn(
  exchange: Exchange,
  idp: IdentityProvider,
): Promise<{ alice: Principal; bob: Principal; ids: Record<string, string> }> {
  heading('3. Alice and Bob sign in with their university identity (OIDC)');
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });
  const verifier = createOidcVerifier({ providers: [{ issuer: idp.issuer, audiences: ['ocx-portal'] }] });
  const mapper = createClaimMapper({ rules: [{ kind: 'scoped-affiliation' }, { kind: 'email-domain' }] });
  const signIn = createSignIn({ exchange, verifier, mapper, userId: (identity) => identity.subject });
  const ids: Record<string, string> = {};
  const principals: Record<string, Principal> = {};
  for (const sub of ['alice', 'bob']) {
    const { idToken } = await idp.token(sub, 'ocx-portal');
    const { principal, user, organization } = await signIn.signIn(idToken);
    ids[sub] = user.id;
    principals[sub] = principal;
    process.stdout.write(
      `  ${green('signed in')} ${user.name} <${user.email}> → user ${user.id} of ${organization.name}\n`,
    );
  }
  try {
    await signIn.signIn((await idp.token('mallory', 'ocx-portal')).idToken);
  } catch (error) {
    process.stdout.write(`  ${red('refused')} mallory@unknown.example: ${(error as Error).message}\n`);
  }
  return { alice: principals.alice!, bob: principals.bob!, ids };
}

/** The identity provider's word that users left, as the exchange's deprovisioning sees it. */
export function deprovisioningFor(exchange: Exchange) {
  return createDeprovisioning({ exchange, retention: { days: 30 } });
}
