import { type Clock, type Driver, type Logger, Secret } from '@ocx/core';
import type { ReferenceExtension } from '@ocx/core/simulation';
import { createLocalIdentityProvider, type LocalIdentityProvider, type LocalUserInput } from '@ocx/identity/provider';
import { createDemoWorld, type DemoWorld } from './demo-world.js';
import { serveLoopback } from './loopback-server.js';
import { createPortalHandler } from './portal-handler.js';

/** The demo's people at the local identity provider: no passwords (type the user name). */
export const DEMO_USERS: LocalUserInput[] = [
  {
    sub: 'alice',
    email: 'alice@bu.edu',
    name: 'Alice Smith',
    eduPersonScopedAffiliation: ['faculty@bu.edu', 'member@bu.edu'],
    schacHomeOrganization: 'bu.edu',
  },
  { sub: 'bob', email: 'bob@bu.edu', name: 'Bob Jones', eduPersonScopedAffiliation: ['student@bu.edu'] },
  {
    sub: 'mallory',
    email: 'mallory@evil.example',
    name: 'Mallory',
    eduPersonScopedAffiliation: ['member@evil.example'],
  },
];

/** A running demo: the portal, its identity provider and the exchange behind them. */
export interface DemoPortal {
  url: string;
  idp: LocalIdentityProvider;
  world: DemoWorld;
  close(): Promise<void>;
}

/**
 * Start the whole demo on 127.0.0.1: the exchange of {@link createDemoWorld}, a local OpenID
 * Connect provider (`@ocx/identity/provider`) with {@link DEMO_USERS}, and the portal registered
 * at it as a confidential client.
 */
export async function startDemoPortal(
  options: {
    port?: number;
    clock?: Clock;
    logger?: Logger;
    wrap?: (driver: Driver<ReferenceExtension>) => Driver;
  } = {},
): Promise<DemoPortal> {
  const world = await createDemoWorld({
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.wrap === undefined ? {} : { wrap: options.wrap }),
  });
  const server = await serveLoopback({ port: options.port ?? 0 });
  const clientSecret = Secret.from(`portal-${crypto.randomUUID()}`);
  const idp = await createLocalIdentityProvider({
    clients: [{ clientId: 'ocx-portal', clientSecret, redirectUris: [`${server.url}/callback`] }],
    users: DEMO_USERS,
  });
  const portal = createPortalHandler({
    exchange: world.exchange,
    billing: world.billing,
    baseUrl: server.url,
    identity: { issuer: idp.issuer, clientId: 'ocx-portal', clientSecret },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  server.use(portal.handle);
  return {
    url: server.url,
    idp,
    world,
    async close() {
      await server.close();
      await portal.close();
      await idp.close();
      await world.close();
    },
  };
}
