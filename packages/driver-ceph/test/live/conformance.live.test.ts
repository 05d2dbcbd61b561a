import { ManualClock } from '@ocx/core';
import { runMeterConformance, runQuotaProviderConformance, runTenancyConformance, uniqueName } from '@ocx/core/testing';
import { expect } from 'vitest';
import type { CephDriver } from '../../src/driver.js';
import { describeLive, live } from './ceph-env.js';
import { liveDriver } from './live-driver.js';

const HOUR = 3_600_000;

describeLive('Ceph driver conformance against the live RGW', (env) => {
  runTenancyConformance({ name: 'ceph (live RGW)', setup: () => subject(liveDriver(env)), timeoutMs: 60_000 });

  runQuotaProviderConformance({ name: 'ceph (live RGW)', setup: () => subject(liveDriver(env)), timeoutMs: 60_000 });

  // The window holds the hour before this one (empty) and this one, split at this hour's start.
  // The meters' clock is moved past the end of this hour (plus the grace), so the hour counts as
  // settled; RGW itself works on real time, which is why the usage is made now, in this hour.
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  const clock = new ManualClock(new Date(hour + 10 * 60_000));
  const project = uniqueName('conf-meter');
  runMeterConformance({
    name: 'ceph (live RGW, dashboard)',
    window: { start: new Date(hour - HOUR).toISOString(), end: new Date(hour + HOUR).toISOString() },
    splitAt: new Date(hour).toISOString(),
    timeoutMs: 60_000,
    setup: () => subject(liveDriver(env, { clock, rbdProject: `${project}-rbd` }), project),
    produceUsage: async ({ driver }) => {
      const ceph = driver as CephDriver;
      await ceph.tenancy.ensureProject({ id: project, name: 'Meter conformance', organization: 'live-org' });
      await ceph.ext.sampleStorage();
      await ceph.ext.createBucket(project, `${project}-b`);
      await ceph.ext.putObject(project, `${project}-b`, 'one', 'x'.repeat(1000));
      await ceph.ext.putObject(project, `${project}-b`, 'two', 'y'.repeat(3000));
      clock.set(new Date(hour + 40 * 60_000));
      const report = await ceph.ext.sampleStorage();
      expect(report.failed).toEqual([]);
      await waitForUsage(ceph, ceph.ext.uidOf(project), 2);
      clock.set(new Date(hour + HOUR + 5_000));
    },
  });
});

/** Poll RGW's usage log until the user's put_obj ops reach `ops` (the log lags by about a second). */
async function waitForUsage(driver: CephDriver, uid: string, ops: number): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const usage = await driver.ext.rgw.showUsage({ uid, categories: ['put_obj'], showEntries: false });
    const seen = usage.summary
      .flatMap((entry) => entry.categories)
      .reduce((sum, category) => sum + Number(category.ops), 0);
    if (seen >= ops) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`RGW's usage log did not show ${ops} put_obj ops for ${uid} within 10 s`);
}

function subject(driver: CephDriver, project?: string) {
  return {
    driver,
    teardown: async () => {
      if (project !== undefined) await driver.tenancy.deleteProject(project).catch(() => undefined);
      await driver.dispose();
    },
  };
}

export { live };
