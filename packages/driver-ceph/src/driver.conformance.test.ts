import { ManualClock } from '@ocx/core';
import { runMeterConformance, runQuotaProviderConformance, runTenancyConformance } from '@ocx/core/testing';
import type { CephDriver } from './driver.js';
import { fakeDriver } from './test-support/fake-driver.js';
import { createFakeRgw, type FakeRgw } from './test-support/fake-rgw.js';

const HOUR = 3_600_000;

async function subject(options: { clock?: ManualClock } = {}) {
  const rgw = await createFakeRgw();
  const driver = fakeDriver(rgw, options);
  return {
    driver,
    rgw,
    teardown: async () => {
      await driver.dispose();
      await rgw.close();
    },
  };
}

runTenancyConformance({ name: 'ceph (fake RGW)', setup: () => subject() });
runQuotaProviderConformance({ name: 'ceph (fake RGW)', setup: () => subject() });

const hour = Date.parse('2026-11-21T10:00:00Z');
const clock = new ManualClock(new Date(hour + 5 * 60_000));
let fake: FakeRgw;
runMeterConformance({
  name: 'ceph (fake RGW)',
  window: { start: new Date(hour - HOUR).toISOString(), end: new Date(hour + 2 * HOUR).toISOString() },
  splitAt: new Date(hour + HOUR).toISOString(),
  setup: async () => {
    const made = await subject({ clock });
    fake = made.rgw;
    return made;
  },
  produceUsage: async ({ driver }) => {
    const ceph = driver as CephDriver;
    await ceph.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    const uid = ceph.ext.uidOf('genomics');
    await ceph.ext.sampleStorage();
    fake.users.get(uid)!.size = 2_000_000_000;
    // A sample 90 minutes later: the interval is cut at 11:00, so the split at 11:00 divides it.
    clock.set(new Date(hour + 95 * 60_000));
    await ceph.ext.sampleStorage();
    fake.usage.push(
      {
        user: uid,
        bucket: 'reads',
        epoch: hour / 1000,
        categories: [{ category: 'put_obj', bytes_sent: 0, bytes_received: 4000, ops: 2, successful_ops: 2 }],
      },
      {
        user: uid,
        bucket: 'reads',
        epoch: (hour + HOUR) / 1000,
        categories: [{ category: 'get_obj', bytes_sent: 4000, bytes_received: 0, ops: 1, successful_ops: 1 }],
      },
      {
        user: 'someone-else',
        bucket: 'theirs',
        epoch: hour / 1000,
        categories: [{ category: 'put_obj', bytes_sent: 0, bytes_received: 10, ops: 1, successful_ops: 1 }],
      },
    );
    clock.set(new Date(hour + 2 * HOUR + 3000));
  },
});
