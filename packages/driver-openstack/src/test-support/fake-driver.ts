import { createOpenStackDriver, type OpenStackDriver, type OpenStackDriverOptions } from '../index.js';
import { createFakeOpenStack, type FakeOpenStack } from './fake-openstack.js';

/** The password the fake's admin logs in with (a fixed, test-only value the redaction tests look for). */
export const FAKE_PASSWORD = 'fake-admin-password-3f9a';

/** A fake cloud and a driver against it. */
export async function fakeDriver(
  overrides: Partial<OpenStackDriverOptions> = {},
  fakeOptions: Parameters<typeof createFakeOpenStack>[0] = {},
): Promise<{ fake: FakeOpenStack; driver: OpenStackDriver }> {
  const fake = await createFakeOpenStack(fakeOptions);
  const driver = createOpenStackDriver({
    auth: { url: fake.authUrl, username: 'admin', password: FAKE_PASSWORD, project: 'admin' },
    landlord: 'landlord-a',
    service: 'openstack',
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5, statuses: [429, 500, 502, 503, 504] },
    timeoutMs: 5000,
    ...overrides,
  });
  return { fake, driver };
}

/** Add a server line to the fake's usage, in an exchange project's Keystone project. */
export function addServerUsage(
  fake: FakeOpenStack,
  input: {
    project: string;
    id: string;
    startedAt: number;
    endedAt?: number;
    vcpus?: number;
    memoryMb?: number;
    state?: string;
  },
): void {
  fake.state.serverUsages.push({
    instance_id: input.id,
    name: `server-${input.id}`,
    tenant_id: input.project,
    vcpus: input.vcpus ?? 2,
    memory_mb: input.memoryMb ?? 4096,
    local_gb: 1,
    flavor: 'm1.small',
    started_at: new Date(input.startedAt).toISOString().slice(0, -1),
    ended_at: input.endedAt === undefined ? null : new Date(input.endedAt).toISOString().slice(0, -1),
    state: input.state ?? (input.endedAt === undefined ? 'active' : 'terminated'),
  });
}
