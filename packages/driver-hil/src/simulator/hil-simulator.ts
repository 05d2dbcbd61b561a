import { randomBytes } from 'node:crypto';
import { parseWith } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/simulation';
import { type ActionFailureMatch, createActionQueue } from './action-queue.js';
import type { KeystoneTokenInfo } from './auth.js';
import { createMaintenancePool } from './maintenance-pool.js';
import { releaseObmdToken, requestObmdToken } from './obmd-client.js';
import { createObmdHandler } from './obmd-handler.js';
import type { HilRoute, SimServices } from './route-types.js';
import { createRouter } from './router.js';
import { networkRoutes } from './routes/network-routes.js';
import { networkingRoutes } from './routes/networking-routes.js';
import { nodeRoutes } from './routes/node-routes.js';
import { obmRoutes } from './routes/obm-routes.js';
import { projectRoutes } from './routes/project-routes.js';
import { switchRoutes } from './routes/switch-routes.js';
import { extensionRoutes, userRoutes } from './routes/user-routes.js';
import { type SeedContext, seedNames, seedNode } from './seed.js';
import {
  DEFAULT_SIMULATOR_ADMIN,
  type HilSimulatorOptions,
  HilSimulatorOptionsSchema,
  type NodeSeed,
  NodeSeedSchema,
  type UserSeed,
  UserSeedSchema,
} from './simulator-options.js';
import { createSimState, parseVlanRanges } from './state.js';
import { createStateInspector, type SimulatorStateInspector } from './state-inspector.js';

/** A running HIL simulator; see {@link createHilSimulator}. */
export interface HilSimulator {
  /** HIL's endpoint (origin, no trailing slash); the API is under `${url}/v0`. */
  readonly url: string;
  /** The OBMd endpoint power calls are redirected to: another origin, as in a real deployment. */
  readonly obmdUrl: string;
  /** The HIL test server: inject faults (`server.inject({ kind: 'reset' }, { path: /connect_node/ })`), read requests. */
  readonly server: TestServer;
  /** The OBMd test server, for faults on the power path. */
  readonly obmdServer: TestServer;
  /**
   * OBMd's admin token: what HIL's `PUT /node` must carry as `obmd.admin_token`, and what OBMd's own
   * admin calls (`PUT /node/{label}` to register a node there) authenticate with as `admin:<token>`.
   */
  readonly obmdAdminToken: string;
  /** Read-only views of the state (nodes, networks, actions, users). */
  readonly state: SimulatorStateInspector;
  /** The maintenance project, when a maintenance pool is configured. */
  readonly maintenanceProject: string | undefined;
  /** The networking daemon: make actions fail, or hold them PENDING. */
  readonly actions: {
    failNext(match?: ActionFailureMatch): void;
    pause(): void;
    resume(): void;
  };
  /** Register (and cable) one more node, as an admin would. */
  addNode(seed: NodeSeed): void;
  addProject(name: string): void;
  addUser(user: UserSeed): void;
  /** Stop both servers and every timer. */
  close(): Promise<void>;
}

/**
 * Start a loopback HIL that behaves as HIL's own code does: the same `/v0` paths, JSON bodies,
 * status codes and error type names; the networking-action queue with an apply delay; the
 * free-pool rules; vlan-pool channels; basic-auth users (or Keystone tokens, or null auth); an
 * OBMd on a second port that power calls are redirected to; an optional maintenance pool.
 * Faults are injected through the core test servers.
 *
 * @example
 * ```ts
 * const hil = await createHilSimulator({ nodes: 8, actionDelayMs: 10 });
 * const driver = createHilDriver({
 *   endpoint: hil.url,
 *   obmdOrigins: [hil.obmdUrl],
 *   auth: { username: 'admin', password: 'hil-simulator-admin' },
 * });
 * hil.server.inject({ kind: 'status', status: 500, body: 'Internal Server Error' }, { path: /connect_node$/ });
 * await hil.close();
 * ```
 */
export async function createHilSimulator(options: HilSimulatorOptions = {}): Promise<HilSimulator> {
  const config = parseWith(HilSimulatorOptionsSchema, options, { what: 'HIL simulator options' });
  const state = createSimState(parseVlanRanges(config.vlans), randomBytes(16).toString('hex'));
  const queue = createActionQueue(state, config.actionDelayMs);
  const maintenance =
    config.maintenancePool === undefined ? undefined : createMaintenancePool(state, config.maintenancePool);

  const services: SimServices = {
    state,
    queueAction: (input) => queue.queue(input),
    obmdRequestToken: requestObmdToken,
    obmdReleaseToken: releaseObmdToken,
    maintain: (project, node) => maintenance?.maintain(project, node) ?? false,
    maintenanceProject: maintenance?.project,
    authExtension: `hil.ext.auth.${config.auth}`,
  };
  const routes: HilRoute[] = [
    ...projectRoutes,
    ...nodeRoutes,
    ...networkingRoutes,
    ...networkRoutes,
    ...obmRoutes,
    ...switchRoutes,
    ...extensionRoutes,
    // The user API is part of the database auth extension; other backends do not have it.
    ...(config.auth === 'database' ? userRoutes : []),
  ];
  const keystoneTokens = new Map<string, KeystoneTokenInfo>(Object.entries(config.keystoneTokens));
  const router = createRouter(routes, services, {
    mode: config.auth,
    requireAuthentication: config.requireAuthentication,
    keystoneTokens,
  });

  const obmdServer = await createTestServer({ handler: createObmdHandler(state) });
  const server = await createTestServer({ handler: router });
  const seedContext: SeedContext = { state, switchName: config.switchName, obmdUrl: obmdServer.url };

  const addProject = (name: string): void => {
    if (!state.projects.has(name)) state.projects.set(name, []);
  };
  const addUser = (user: UserSeed): void => {
    const parsed = parseWith(UserSeedSchema, user, { what: 'HIL simulator user' });
    for (const project of parsed.projects) addProject(project);
    state.users.set(parsed.name, {
      name: parsed.name,
      password: parsed.password,
      isAdmin: parsed.isAdmin,
      projects: new Set(parsed.projects),
    });
  };
  const addNode = (seed: NodeSeed): void => {
    seedNode(seedContext, parseWith(NodeSeedSchema, seed, { what: 'HIL simulator node' }));
  };

  for (const project of config.projects) addProject(project);
  for (const user of config.users ?? [
    { name: DEFAULT_SIMULATOR_ADMIN.username, password: DEFAULT_SIMULATOR_ADMIN.password, isAdmin: true },
  ]) {
    addUser(user);
  }
  const seeds =
    typeof config.nodes === 'number'
      ? seedNames(config.nodes, config.nodePrefix).map((name) => ({ name }))
      : config.nodes;
  for (const seed of seeds) addNode(seed);

  let closed = false;
  return {
    url: server.url,
    obmdUrl: obmdServer.url,
    server,
    obmdServer,
    obmdAdminToken: state.obmdAdminToken,
    state: createStateInspector(state),
    maintenanceProject: maintenance?.project,
    actions: { failNext: (match) => queue.failNext(match), pause: () => queue.pause(), resume: () => queue.resume() },
    addNode,
    addProject,
    addUser,
    async close() {
      if (closed) return;
      closed = true;
      queue.close();
      maintenance?.close();
      await Promise.all([server.close(), obmdServer.close()]);
    },
  };
}
