import { createExchange, type Driver, type Exchange, ManualClock, type Store } from '@ocx/core';
import { createReferenceDriver, type ReferenceExtension } from '@ocx/core/simulation';
import { createClaimMapper } from '../claim-mapper.js';
import { createDeprovisioning, type Deprovisioning } from '../deprovisioning.js';
import { createOidcVerifier, type OidcVerifier } from '../oidc-verifier.js';
import { createLocalIdentityProvider, type LocalIdentityProvider } from '../provider/index.js';
import { createSignIn, type SignIn } from '../sign-in.js';

/** Two landlords' reference drivers: their state is the "real" world a test checks. Tests only. */
export interface Landlords {
  clock: ManualClock;
  compute: Driver<ReferenceExtension>;
  storage: Driver<ReferenceExtension>;
}

/** Fresh landlords on a manual clock: NERC (compute, 4 nodes) and Ceph Co (object storage). */
export function createLandlords(): Landlords {
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  return {
    clock,
    compute: createReferenceDriver({
      landlord: 'nerc',
      service: 'compute',
      clock,
      nodes: 4,
      quotaResources: ['cores', 'ram-gb', 'nodes'],
      capabilities: ['hardware', 'tenancy', 'quotas', 'meters'],
    }),
    storage: createReferenceDriver({
      landlord: 'cephco',
      service: 'objects',
      clock,
      nodes: 0,
      quotaResources: ['storage-gb'],
      capabilities: ['tenancy', 'quotas', 'meters'],
    }),
  };
}

/** An exchange over the landlords (a "process"; build another over the same store to restart). */
export async function assembleExchange(
  landlords: Landlords,
  store?: Store,
  wrap: (driver: Driver) => Driver = (driver) => driver,
): Promise<Exchange> {
  const exchange = createExchange({ clock: landlords.clock, ...(store === undefined ? {} : { store }) });
  await exchange.landlords.register({
    id: 'nerc',
    name: 'NERC',
    organization: 'Harvard',
    services: [{ id: 'compute', kind: 'compute', driver: wrap(landlords.compute) }],
  });
  await exchange.landlords.register({
    id: 'cephco',
    name: 'Ceph Co',
    organization: 'Ceph Co',
    services: [{ id: 'objects', kind: 'object-storage', driver: wrap(landlords.storage) }],
  });
  return exchange;
}

/** The local identity provider of BU: alice (faculty, leads a project), bob (a student). */
export function startUniversityIdp(
  deprovisioning: Array<{ url: string; token: string }> = [],
): Promise<LocalIdentityProvider> {
  return createLocalIdentityProvider({
    clients: [{ clientId: 'portal', clientSecret: 'portal-secret-123', redirectUris: ['http://127.0.0.1:9/callback'] }],
    users: [
      {
        sub: 'alice',
        email: 'alice@bu.edu',
        name: 'Alice Smith',
        eduPersonScopedAffiliation: ['member@bu.edu', 'faculty@bu.edu'],
        schacHomeOrganization: 'bu.edu',
      },
      { sub: 'bob', email: 'bob@bu.edu', name: 'Bob Jones', eduPersonScopedAffiliation: ['student@bu.edu'] },
    ],
    deprovisioning,
  });
}

/** The identity pieces over one exchange. Tests only. */
export interface IdentityStack {
  verifier: OidcVerifier;
  signIn: SignIn;
  deprovisioning: Deprovisioning;
}

/** Verifier, sign-in (BU by scoped affiliation or e-mail; faculty are `pi`) and deprovisioning over an exchange. */
export async function identityStack(exchange: Exchange, idp: LocalIdentityProvider): Promise<IdentityStack> {
  if ((await exchange.directory.organization('bu')) === undefined) {
    await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });
  }
  const verifier = createOidcVerifier({ providers: [{ issuer: idp.issuer, audiences: ['portal', 'ocx-exchange'] }] });
  const mapper = createClaimMapper({
    rules: [
      { kind: 'scoped-affiliation', affiliations: ['member', 'faculty', 'staff', 'student'] },
      { kind: 'email-domain' },
    ],
    roles: [{ claim: 'eduPersonScopedAffiliation', pattern: 'faculty@.*', role: 'pi' }],
  });
  return {
    verifier,
    signIn: createSignIn({ exchange, verifier, mapper }),
    deprovisioning: createDeprovisioning({ exchange, retention: { days: 7 } }),
  };
}

/**
 * Whatever a landlord holds for a project must be known to the exchange as a subscription of that
 * project to that landlord's service: the invariant "nothing provisioned that the exchange does
 * not know about". Returns the violations.
 */
export async function unknownToExchange(exchange: Exchange, landlords: Landlords): Promise<string[]> {
  const known = new Set(
    (await exchange.onboarding.subscriptions())
      .filter(
        (subscription) =>
          !['failed', 'denied', 'purged'].includes(subscription.status) || subscription.cleanupPending === true,
      )
      .map((subscription) => `${subscription.landlord}/${subscription.project}`),
  );
  const problems: string[] = [];
  for (const [landlord, driver] of [
    ['nerc', landlords.compute],
    ['cephco', landlords.storage],
  ] as const) {
    for (const project of driver.ext!.state.projects.keys())
      if (!known.has(`${landlord}/${project}`)) problems.push(`${landlord} holds project ${project}`);
    for (const node of driver.ext!.state.nodes.values())
      if (node.project !== null && !known.has(`${landlord}/${node.project}`))
        problems.push(`${landlord} node ${node.name} held by ${node.project}`);
  }
  return problems;
}
