import { validateDriver } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createM2Driver } from './driver.js';
import { createM2TestBed, type M2TestBed, TEST_BED_USER } from './test-support/m2-test-bed.js';

let bed: M2TestBed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

describe('createM2Driver', () => {
  it('is a valid v1 driver offering only a Provisioner with snapshots', () => {
    const driver = createM2Driver({ endpoint: 'http://127.0.0.1:1', ...TEST_BED_USER });
    expect(validateDriver(driver)).toBe(driver);
    expect(driver.capabilities).toEqual({ provisioner: { snapshots: true } });
    for (const absent of ['hardware', 'attestor', 'tenancy', 'quotas', 'meters'])
      expect(driver).not.toHaveProperty(absent);
  });

  it('offers the snapshot calls under ext, against M2', async () => {
    bed = await createM2TestBed();
    const { ext, provisioner } = bed.driver;
    const { disk } = await provisioner.provision({
      project: 'genomics',
      node: 'node-01',
      nic: 'eth0',
      image: 'centos-7',
    });
    await ext.createSnapshot({ disk, snapshot: 'genomics-golden' });
    expect(await ext.listSnapshots()).toEqual([{ snapshot: 'genomics-golden', parent: 'centos-7' }]);
    await ext.removeImage({ image: 'genomics-golden' });
    expect(await ext.listSnapshots()).toEqual([]);
  });

  it('reports health from a list_images round trip', async () => {
    bed = await createM2TestBed();
    const healthy = await bed.driver.health();
    expect(healthy.ok).toBe(true);
    expect(healthy.checks.m2?.latencyMs).toBeTypeOf('number');
    await bed.hil.close();
    const unhealthy = await bed.driver.health();
    expect(unhealthy).toMatchObject({ ok: false, checks: { m2: { ok: false } } });
    expect(unhealthy.checks.m2?.message).toContain('Couldnt connect to HIL');
  });

  it('without a project, says health cannot be checked instead of guessing', async () => {
    const driver = createM2Driver({ endpoint: 'http://127.0.0.1:1', ...TEST_BED_USER });
    expect(await driver.health()).toMatchObject({ ok: false, checks: { m2: { ok: false } } });
  });

  it('dispose is idempotent and health then says so', async () => {
    const driver = createM2Driver({ endpoint: 'http://127.0.0.1:1', ...TEST_BED_USER, project: 'genomics' });
    await driver.dispose();
    await driver.dispose();
    expect((await driver.health()).ok).toBe(false);
  });
});
