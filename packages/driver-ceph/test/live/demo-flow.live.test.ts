import { createExchange, Decimal, ManualClock, OcxError, type UsageRecord } from '@ocx/core';
import { uniqueName } from '@ocx/core/testing';
import { expect, it } from 'vitest';
import { describeLive } from './ceph-env.js';
import { liveDriver, settledHour } from './live-driver.js';

const HOUR = 3_600_000;

describeLive('Demo flow on the live Ceph: storage for a project, objects, billed usage', (env) => {
  it('gives a project its storage and keys, enforces its quota, and reads back the usage to bill', async () => {
    const hour = await settledHour();
    const clock = new ManualClock(new Date(hour + 60_000));
    const project = uniqueName('demo');
    const driver = liveDriver(env, { clock, rbdProject: `${project}-rbd` });
    const exchange = createExchange({ clock });
    await exchange.landlords.register({
      id: 'ceph-lab',
      name: 'Ceph lab',
      organization: 'lab',
      services: [{ id: 'object-storage', kind: 'object-storage', driver }],
    });
    try {
      expect((await driver.health()).ok).toBe(true);
      await driver.tenancy.ensureProject({ id: project, name: 'Demo project', organization: 'demo-org' });
      await driver.quotas.setQuotas(project, { 'max-objects': '3' });
      const credentials = await driver.ext.projectCredentials(project);
      expect(String(credentials.secretKey)).toBe('[REDACTED]');

      await driver.ext.sampleStorage();
      await driver.ext.createBucket(project, `${project}-data`);
      for (const name of ['a', 'b', 'c'])
        await driver.ext.putObject(project, `${project}-data`, `results/${name}.csv`, `${name},1\n`.repeat(100));
      expect((await driver.ext.getObject(project, `${project}-data`, 'results/b.csv')).toString()).toBe(
        'b,1\n'.repeat(100),
      );
      const refused = await driver.ext
        .putObject(project, `${project}-data`, 'results/d.csv', 'd')
        .catch((error: unknown) => error);
      expect(OcxError.is(refused) && [refused.code, refused.backendErrorType]).toEqual(['conflict', 'QuotaExceeded']);
      const quotas = await driver.quotas.getQuotas(project);
      expect(quotas.find((item) => item.resource === 'max-objects')).toMatchObject({ limit: '3', inUse: '3' });

      clock.set(new Date(hour + 31 * 60_000));
      await driver.ext.sampleStorage();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      clock.set(new Date(hour + HOUR + 5000));
      const result = await exchange.usage.collect({
        window: { start: new Date(hour).toISOString(), end: new Date(hour + HOUR).toISOString() },
      });
      expect(result.meters.filter((meter) => meter.error !== undefined)).toEqual([]);
      const records: UsageRecord[] = [];
      for await (const record of exchange.usage.query({ project })) records.push(record);
      const total = (metric: string) =>
        Decimal.sum(records.filter((record) => record.metric === metric).map((record) => record.quantity)).toString();
      // 3 × 400 bytes for 30 minutes.
      expect(total('object-storage-gb-hours')).toBe(
        Decimal.from(1200).divide(Decimal.from('2000000000'), 12).toString(),
      );
      expect(Number(total('object-requests'))).toBeGreaterThanOrEqual(6);
      // The refused fourth upload is counted as a request, not as bytes stored or received.
      expect(total('object-bytes-in')).toBe(String(3 * 400));
      expect(records.every((record) => record.subject.organization === 'demo-org')).toBe(true);
      const block: UsageRecord[] = [];
      for await (const record of exchange.usage.query({ project: `${project}-rbd` })) block.push(record);
      expect(block.map((record) => record.metric)).toEqual(['block-storage-gb-hours']);
      console.info(
        `[demo] billed for ${project}: ${JSON.stringify(Object.fromEntries(['object-storage-gb-hours', 'object-requests', 'object-bytes-in', 'object-bytes-out'].map((metric) => [metric, total(metric)])))}`,
      );

      const released = await driver.tenancy.releaseResources(project);
      expect(released.map((resource) => resource.type).sort()).toEqual(['bucket', 's3-key']);
      expect(await driver.tenancy.releaseResources(project)).toEqual([]);
    } finally {
      await driver.tenancy.deleteProject(project).catch(() => undefined);
      await exchange.close();
    }
  }, 120_000);
});
