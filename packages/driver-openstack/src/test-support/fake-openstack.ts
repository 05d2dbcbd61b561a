import { createTestServer, type TestServer } from '@ocx/core/simulation';
import { registerFakeNova } from './fake-compute.js';
import { registerFakeKeystone } from './fake-keystone.js';
import { createFakeState, type FakeState } from './fake-state.js';
import { registerFakeStorage } from './fake-storage.js';

/** A loopback OpenStack for unit tests: Keystone, Nova, Cinder, Neutron, Swift and Glance on one origin. */
export interface FakeOpenStack {
  readonly server: TestServer;
  readonly url: string;
  /** Keystone's v3 URL. */
  readonly authUrl: string;
  readonly state: FakeState;
  /** Make every token issued so far invalid (as if it expired or was revoked). */
  expireTokens(): void;
  close(): Promise<void>;
}

/**
 * Start the fake. It speaks the real APIs' shapes (from recorded Zed responses) for what the
 * driver's unit tests need, keeps its state in memory, and injects faults through the test
 * server (`fake.server.inject(...)`).
 */
export async function createFakeOpenStack(
  options: { now?: () => number; maxNovaMicroversion?: string } = {},
): Promise<FakeOpenStack> {
  const now = options.now ?? (() => Date.now());
  const server = await createTestServer();
  const state = createFakeState();
  registerFakeKeystone(server, state, now);
  registerFakeNova(server, state, now, { maxMicroversion: options.maxNovaMicroversion });
  registerFakeStorage(server, state, now);
  return {
    server,
    url: server.url,
    authUrl: `${server.url}/identity/v3`,
    state,
    expireTokens() {
      for (const token of state.tokens.values()) token.valid = false;
    },
    close: () => server.close(),
  };
}
