import { OcxError } from '@ocx/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CephDriver } from './driver.js';
import { fakeDriver } from './test-support/fake-driver.js';
import { createFakeRgw, type FakeRgw } from './test-support/fake-rgw.js';

let rgw: FakeRgw;
let driver: CephDriver;
beforeEach(async () => {
  rgw = await createFakeRgw();
  driver = fakeDriver(rgw);
  await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
});
afterEach(async () => {
  await driver.dispose();
  await rgw.close();
});

const limits = async () =>
  Object.fromEntries((await driver.quotas.getQuotas('genomics')).map((item) => [item.resource, item.limit]));

describe('Ceph quotas', () => {
  it('reads all four limits as unlimited at first, with what is in use', async () => {
    rgw.users.get('ocx-genomics')!.size = 1234;
    rgw.users.get('ocx-genomics')!.objects = 5;
    expect(await driver.quotas.getQuotas('genomics')).toEqual([
      { resource: 'max-size-bytes', limit: null, unit: 'byte', inUse: '1234' },
      { resource: 'max-objects', limit: null, unit: 'object', inUse: '5' },
      { resource: 'bucket-max-size-bytes', limit: null, unit: 'byte' },
      { resource: 'bucket-max-objects', limit: null, unit: 'object' },
    ]);
  });

  it('sets user and per-bucket limits, enabling each quota only while it has a limit', async () => {
    await driver.quotas.setQuotas('genomics', { 'max-size-bytes': '1000000', 'bucket-max-objects': '50' });
    const user = rgw.users.get('ocx-genomics')!;
    expect(user.user_quota).toEqual({ enabled: true, max_size: 1_000_000, max_objects: -1 });
    expect(user.bucket_quota).toEqual({ enabled: true, max_size: -1, max_objects: 50 });
    await driver.quotas.setQuotas('genomics', { 'max-objects': '10' });
    expect(await limits()).toEqual({
      'max-size-bytes': '1000000',
      'max-objects': '10',
      'bucket-max-size-bytes': null,
      'bucket-max-objects': '50',
    });
    await driver.quotas.setQuotas('genomics', { 'max-size-bytes': null, 'max-objects': null });
    expect(user.user_quota).toEqual({ enabled: false, max_size: -1, max_objects: -1 });
  });

  it('does not bring back a limit RGW kept in a disabled quota', async () => {
    rgw.users.get('ocx-genomics')!.user_quota = { enabled: false, max_size: 999, max_objects: -1 };
    expect((await limits())['max-size-bytes']).toBeNull();
    await driver.quotas.setQuotas('genomics', { 'max-objects': '3' });
    expect(rgw.users.get('ocx-genomics')!.user_quota).toEqual({ enabled: true, max_size: -1, max_objects: 3 });
  });

  it('sends limits as exact text, up to the largest RGW reports back exactly (2^53-1)', async () => {
    await driver.quotas.setQuotas('genomics', { 'max-size-bytes': '9007199254740991' });
    const sent = rgw.server.requests.find((request) => request.method === 'PUT' && 'quota' in request.query);
    expect(sent?.query['max-size']).toBe('9007199254740991');
    expect((await limits())['max-size-bytes']).toBe('9007199254740991');
  });

  it('normalises whole decimals and refuses fractions, negatives, 2^53 and unknown resources, naming them and changing nothing', async () => {
    await driver.quotas.setQuotas('genomics', { 'max-objects': '7.000' });
    expect((await limits())['max-objects']).toBe('7');
    const before = rgw.server.requests.length;
    for (const [input, path] of [
      [{ 'max-objects': '7.5' }, 'max-objects'],
      [{ 'max-size-bytes': '-1' }, 'max-size-bytes'],
      [{ 'max-size-bytes': '9007199254740992' }, 'max-size-bytes'],
      [{ 'max-size-bytes': 12 }, 'max-size-bytes'],
      [{ 'no-such-resource': '1' }, 'no-such-resource'],
    ] as const) {
      const error = await driver.quotas.setQuotas('genomics', input as never).catch((caught: unknown) => caught);
      expect(OcxError.is(error) && error.code).toBe('validation');
      expect(JSON.stringify((error as OcxError).issues)).toContain(path);
    }
    expect(rgw.server.requests.length).toBe(before);
    expect((await limits())['max-objects']).toBe('7');
  });

  it('an unknown project is not-found', async () => {
    const error = await driver.quotas.getQuotas('nobody').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'not-found' });
  });
});
