import { createExchange, Decimal, type Exchange, ManualClock, type UsageRecord } from '@ocx/core';
import { uniqueName } from '@ocx/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CephDriver } from '../../src/driver.js';
import { describeLive } from './ceph-env.js';
import { liveDriver, settledHour } from './live-driver.js';

const HOUR = 3_600_000;
const GRACE_MS = 2000;

describeLive('Usage that RGW reports late is collected in the next run, without loss or double counting', (env) => {
  let exchange: Exchange;
  let driver: CephDriver;
  let hour: number;
  const clock = new ManualClock(new Date(Math.floor(Date.now() / HOUR) * HOUR));
  const project = uniqueName('late');
  const bucket = `${project}-b`;
  const bodies = ['a'.repeat(700), 'b'.repeat(1300), 'c'.repeat(2100)];

  beforeAll(async () => {
    hour = await settledHour();
    clock.set(new Date(Date.now()));
    driver = liveDriver(env, { clock, graceMs: GRACE_MS });
    exchange = createExchange({ clock });
    await exchange.landlords.register({
      id: 'ceph-lab',
      name: 'Ceph lab',
      organization: 'lab',
      services: [{ id: 'object-storage', kind: 'object-storage', driver }],
    });
    await driver.tenancy.ensureProject({ id: project, name: 'Late usage', organization: 'late-org' });
  }, 180_000);
  afterAll(async () => {
    await driver?.tenancy.deleteProject(project).catch(() => undefined);
    await exchange?.close();
  });

  const collect = () =>
    exchange.usage.collect({
      window: { start: new Date(hour).toISOString(), end: new Date(hour + HOUR).toISOString() },
    });
  const stored = async (): Promise<UsageRecord[]> => {
    const records: UsageRecord[] = [];
    for await (const record of exchange.usage.query({ project, metric: undefined })) records.push(record);
    return records;
  };
  const total = (records: readonly UsageRecord[], metric: string, category: string) =>
    Decimal.sum(
      records
        .filter((record) => record.metric === metric && record.attributes?.category === category)
        .map((record) => record.quantity),
    ).toString();

  it('a run inside the grace reports nothing; the next run reports every request once; later runs add nothing', async () => {
    await driver.ext.createBucket(project, bucket);
    for (const [index, body] of bodies.entries()) await driver.ext.putObject(project, bucket, `object-${index}`, body);
    await driver.ext.getObject(project, bucket, 'object-1');
    const rawRightAway = await driver.ext.rgw.showUsage({ uid: driver.ext.uidOf(project), showEntries: false });
    console.info(`[late usage] RGW's usage log right after the requests: ${JSON.stringify(rawRightAway.summary)}`);

    // The hour has ended but not settled: RGW may still be writing it, so nothing may be reported.
    clock.set(new Date(hour + HOUR + GRACE_MS / 2));
    const early = await collect();
    expect(early.meters.find((meter) => meter.meter === 'object-usage')).toMatchObject({ inserted: 0, duplicates: 0 });
    expect(await stored()).toEqual([]);

    // RGW flushes its log about a second later; the next run, after the grace, takes all of it.
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 1000));
    clock.set(new Date(hour + HOUR + GRACE_MS + 1000));
    const next = await collect();
    const usageMeter = next.meters.find((meter) => meter.meter === 'object-usage');
    expect(usageMeter?.error).toBeUndefined();
    expect(usageMeter?.inserted).toBeGreaterThan(0);
    const records = await stored();
    expect(total(records, 'object-requests', 'put_obj')).toBe(String(bodies.length));
    expect(total(records, 'object-bytes-in', 'put_obj')).toBe(String(bodies.join('').length));
    expect(total(records, 'object-requests', 'get_obj')).toBe('1');
    expect(total(records, 'object-bytes-out', 'get_obj')).toBe(String(bodies[1]!.length));
    expect(total(records, 'object-requests', 'create_bucket')).toBe('1');
    expect(records.every((record) => record.subject.organization === 'late-org')).toBe(true);

    // Collecting the same window again (a retried or overlapping run) stores nothing twice.
    const again = await collect();
    expect(again.meters.find((meter) => meter.meter === 'object-usage')).toMatchObject({
      inserted: 0,
      duplicates: usageMeter!.inserted,
    });
    expect(await stored()).toHaveLength(records.length);
  }, 60_000);
});
