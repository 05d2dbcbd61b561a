import { inspect } from 'node:util';
import { createMemoryStore, OcxError, validateDriver } from '@ocx/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCephDriver } from './driver.js';
import { FAKE_ADMIN_ACCESS, FAKE_ADMIN_SECRET, fakeDriver } from './test-support/fake-driver.js';
import { createFakeRgw, type FakeRgw } from './test-support/fake-rgw.js';

let rgw: FakeRgw;
beforeEach(async () => {
  rgw = await createFakeRgw();
});
afterEach(() => rgw.close());

const base = () => ({
  landlord: 'ceph-lab',
  service: 'object-storage',
  rgw: { endpoint: rgw.url, accessKey: FAKE_ADMIN_ACCESS, secretKey: FAKE_ADMIN_SECRET },
});

describe('createCephDriver', () => {
  it('is a valid v1 driver with tenancy, quotas and meters, declared as data', async () => {
    const driver = validateDriver(fakeDriver(rgw));
    expect(driver.capabilities).toEqual({
      tenancy: { roles: ['member', 'reader'], releasesResources: true },
      quotas: { resources: ['max-size-bytes', 'max-objects', 'bucket-max-size-bytes', 'bucket-max-objects'] },
      meters: { metrics: ['object-storage-gb-hours', 'object-requests', 'object-bytes-in', 'object-bytes-out'] },
    });
    expect(driver.meters.map((meter) => meter.name)).toEqual(['object-storage', 'object-usage']);
    await driver.dispose();
  });

  it('adds the block-storage meter only with the dashboard', async () => {
    const driver = createCephDriver({
      ...base(),
      dashboard: { endpoint: 'https://127.0.0.1:1', username: 'u', password: 'dashboard-secret-password' },
    });
    expect(driver.capabilities.meters?.metrics).toContain('block-storage-gb-hours');
    expect(driver.ext.dashboard).toBeDefined();
    await driver.dispose();
  });

  it('refuses bad options at once, naming the field path', () => {
    const attempt = (options: unknown) => {
      try {
        createCephDriver(options as never);
      } catch (error) {
        expect(OcxError.is(error) && error.code).toBe('validation');
        return (error as OcxError).issues.map((issue) => issue.path);
      }
      throw new Error('expected a validation error');
    };
    expect(attempt({ ...base(), rgw: { ...base().rgw, endpoint: 'not a url' } })).toEqual(['rgw.endpoint']);
    expect(attempt({ ...base(), rgw: { ...base().rgw, secretKey: '' } })).toEqual(['rgw.secretKey']);
    expect(attempt({ ...base(), landlord: 'has space' })).toEqual(['landlord']);
    expect(attempt({ ...base(), usageLog: { graceMs: -1 } })).toEqual(['usageLog.graceMs']);
    expect(attempt({ ...base(), uidPrefix: 'Bad$' })).toEqual(['uidPrefix']);
    expect(
      attempt({
        ...base(),
        dashboard: { endpoint: 'https://x', username: 'u', password: 'p', owners: [{ pool: 'rbd' }] },
      }),
    ).toEqual(['dashboard.owners.0.project', 'dashboard.owners.0.organization']);
    expect(attempt({ ...base(), insecure: true })).toEqual(['']);
  });

  it('reports health, and a failing RGW without any key in the message', async () => {
    const driver = fakeDriver(rgw);
    const healthy = await driver.health();
    expect(healthy.ok).toBe(true);
    expect(healthy.checks.rgw?.ok).toBe(true);
    rgw.server.inject({ kind: 'status', status: 403, body: { Code: 'SignatureDoesNotMatch' } });
    const sick = await driver.health();
    expect(sick.ok).toBe(false);
    expect(sick.checks.rgw?.message).toMatch(/signature did not match/);
    expect(JSON.stringify(sick)).not.toContain(FAKE_ADMIN_SECRET);
    await driver.dispose();
    await driver.dispose();
    expect((await driver.health()).ok).toBe(false);
  });

  it('never shows its keys when inspected or serialised', () => {
    const driver = fakeDriver(rgw);
    for (const text of [inspect(driver, { depth: 6 }), JSON.stringify(Object.keys(driver))]) {
      expect(text).not.toContain(FAKE_ADMIN_SECRET);
    }
    return driver.dispose();
  });

  it('samples on a timer when sampleIntervalMs is set, until disposed', async () => {
    const store = createMemoryStore();
    const driver = createCephDriver({ ...base(), sampleIntervalMs: 1000, store });
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await driver.dispose();
    const samples = [];
    for await (const item of store.list('ceph-storage-samples')) samples.push(item.value);
    expect(samples).toEqual([
      expect.objectContaining({ kind: 'rgw-user', resource: 'ocx-genomics', project: 'genomics', organization: 'bu' }),
    ]);
  });
});
