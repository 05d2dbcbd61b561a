import { Decimal } from '@ocx/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpenStackDriver } from '../../src/index.js';
import { describeLive, liveDriver, liveEnv } from './live-env.js';
import { liveProject } from './live-project.js';

const BUCKET_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeLive('openstack live: a stopped server, billed or not by policy', () => {
  let admin: OpenStackDriver;
  let free: OpenStackDriver;
  let project: Awaited<ReturnType<typeof liveProject>>;
  beforeAll(async () => {
    admin = liveDriver({ bucketSeconds: 5 });
    free = liveDriver({ bucketSeconds: 5, stoppedServerPolicy: 'free' });
    project = await liveProject(admin, 'live-stop');
  });
  afterAll(async () => {
    await project?.cleanup();
    await admin?.dispose();
    await free?.dispose();
  });

  it('charges the stopped time under `charge` and leaves it out under `free`; a quota below use is refused first', {
    timeout: 180_000,
  }, async () => {
    const nova = project.scoped.ext.nova!;
    const start = Math.ceil(Date.now() / BUCKET_MS) * BUCKET_MS;
    const server = await nova.createServer({
      name: `${project.project}-vm`,
      imageRef: liveEnv.OCX_OS_IMAGE_ID!,
      flavorRef: liveEnv.OCX_OS_FLAVOR_ID ?? '1',
    });
    await nova.waitForServer(server.id, 'ACTIVE');
    await sleep(12_000);
    await nova.serverAction(server.id, { 'os-stop': null });
    await nova.waitForServer(server.id, 'SHUTOFF');
    await sleep(15_000);
    const end = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS;

    const vcpuHours = async (driver: OpenStackDriver) => {
      let total = Decimal.ZERO;
      for await (const record of driver.meters![0]!.collect({
        start: new Date(start - 60_000).toISOString(),
        end: new Date(end).toISOString(),
      })) {
        if (record.resource.id === server.id && record.metric === 'vcpu-hours') total = total.add(record.quantity);
      }
      return total;
    };
    const charged = await vcpuHours(admin);
    const unbilled = await vcpuHours(free);
    // m1.tiny has 1 vCPU: charged ≈ (end − launch) h, free ≈ charged minus the ~15 s stopped.
    expect(charged.compare('0')).toBe(1);
    expect(unbilled.compare(charged)).toBe(-1);
    const stoppedHours = charged.subtract(unbilled);
    expect(stoppedHours.compare(Decimal.from(10).divide('3600', 6))).toBe(1);
    expect(stoppedHours.compare(Decimal.from(40).divide('3600', 6))).toBe(-1);

    // One server in use: lowering `instances` to 0 is refused before Nova is asked.
    const error = await admin.quotas!.setQuotas(project.project, { instances: '0' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'validation',
      issues: [{ path: 'limits.instances', message: 'must be at least 1, what is already in use and reserved' }],
    });
  });
});
