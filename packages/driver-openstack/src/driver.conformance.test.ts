import { runMeterConformance, runQuotaProviderConformance, runTenancyConformance } from '@ocx/core/testing';
import type { OpenStackDriver } from './index.js';
import { addServerUsage, fakeDriver } from './test-support/fake-driver.js';
import type { FakeOpenStack } from './test-support/fake-openstack.js';

async function disposeAll(driver: OpenStackDriver, fake: FakeOpenStack): Promise<void> {
  await driver.dispose();
  await fake.close();
}

const HOUR = 3_600_000;
const now = Date.now();
const windowStart = Math.floor(now / HOUR) * HOUR - 3 * HOUR;
const windowEnd = Math.floor(now / HOUR) * HOUR;

runTenancyConformance({
  name: 'openstack (loopback fake)',
  setup: async () => {
    const { fake, driver } = await fakeDriver();
    return { driver, teardown: () => disposeAll(driver, fake) };
  },
});

runQuotaProviderConformance({
  name: 'openstack (loopback fake)',
  setup: async () => {
    const { fake, driver } = await fakeDriver();
    return { driver, teardown: () => disposeAll(driver, fake) };
  },
});

runMeterConformance({
  name: 'openstack (loopback fake)',
  window: { start: new Date(windowStart).toISOString(), end: new Date(windowEnd).toISOString() },
  setup: async () => {
    const { fake, driver } = await fakeDriver({ pageSize: 2 });
    const state = await driver.tenancy.ensureProject({
      id: 'meter-project',
      name: 'Meter project',
      organization: 'bu',
    });
    const project = state.externalId;
    // Five servers over three pages, one deleted mid-window, one started mid-bucket; a volume, an address, stored bytes.
    addServerUsage(fake, { project, id: 'srv-1', startedAt: windowStart - HOUR });
    addServerUsage(fake, { project, id: 'srv-2', startedAt: windowStart + 30 * 60_000, vcpus: 4, memoryMb: 8192 });
    addServerUsage(fake, { project, id: 'srv-3', startedAt: windowStart, endedAt: windowStart + 90 * 60_000 });
    addServerUsage(fake, { project, id: 'srv-4', startedAt: windowStart + 2 * HOUR + 1234 });
    addServerUsage(fake, { project: 'someone-elses-project', id: 'srv-5', startedAt: windowStart });
    fake.state.volumes.push({
      id: 'vol-1',
      name: 'data',
      status: 'available',
      size: 10,
      created_at: new Date(windowStart + 15 * 60_000).toISOString().slice(0, -1),
      project,
    });
    fake.state.floatingIps.push({
      id: 'fip-1',
      floating_ip_address: '203.0.113.7',
      project_id: project,
      created_at: new Date(windowStart).toISOString(),
      floating_network_id: 'ext',
    });
    fake.state.swiftAccounts.set(project, { bytes: 5 * 2 ** 30, objects: 3, containers: 1 });
    return { driver, teardown: () => disposeAll(driver, fake) };
  },
});
