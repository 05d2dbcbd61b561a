import { OcxError } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenStackDriver } from '../index.js';
import { fakeDriver } from '../test-support/fake-driver.js';
import type { FakeOpenStack } from '../test-support/fake-openstack.js';
import { parseQuotaLimits } from './quota-values.js';

let fake: FakeOpenStack;
let driver: OpenStackDriver;
afterEach(async () => {
  await driver?.dispose();
  await fake?.close();
});

const writes = () =>
  fake.state.log.filter(
    (entry) => entry.method === 'PUT' || (entry.method === 'POST' && entry.path.startsWith('/object')),
  );

async function refused(limits: Record<string, string | null>): Promise<OcxError> {
  const error = await driver.quotas!.setQuotas('quota-project', limits).catch((caught: unknown) => caught);
  expect(OcxError.is(error), String(error)).toBe(true);
  return error as OcxError;
}

describe('quotas: values a service would refuse are refused before the call', () => {
  it.each([
    ['cores', '-5', /must not be negative/],
    ['ram-mb', '1.5', /whole number/],
    ['instances', '2147483648', /at most 2147483647/],
    ['floating-ips', 'ten', /whole number/],
    ['swift-bytes', '9223372036854775808', /at most 9223372036854775807/],
  ])('%s = %s is refused, naming the field, and nothing is sent', async (resource, value, message) => {
    ({ fake, driver } = await fakeDriver());
    await driver.tenancy.ensureProject({ id: 'quota-project', name: 'Q', organization: 'bu' });
    const error = await refused({ [resource]: value });
    expect(error.code).toBe('validation');
    expect(error.issues).toEqual([{ path: `limits.${resource}`, message: expect.stringMatching(message) }]);
    expect(writes()).toEqual([]);
  });

  it('every bad field is named at once, and the good ones are not applied either', async () => {
    ({ fake, driver } = await fakeDriver());
    await driver.tenancy.ensureProject({ id: 'quota-project', name: 'Q', organization: 'bu' });
    const error = await refused({ cores: '8', gigabytes: '-2', 'no-such': '1' });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['limits.gigabytes', 'limits.no-such']);
    expect(writes()).toEqual([]);
  });

  it('a limit below what Nova already uses is refused before the PUT', async () => {
    ({ fake, driver } = await fakeDriver());
    const { externalId } = await driver.tenancy.ensureProject({ id: 'quota-project', name: 'Q', organization: 'bu' });
    await driver.quotas!.getQuotas('quota-project');
    fake.state.novaQuotas.get(externalId)!.cores!.in_use = 6;
    const error = await refused({ cores: '4' });
    expect(error.issues).toEqual([
      { path: 'limits.cores', message: 'must be at least 6, what is already in use and reserved' },
    ]);
    expect(writes()).toEqual([]);
  });

  it('null and "-1" mean unlimited and read back as null; in_use and used are normalised to inUse', async () => {
    ({ fake, driver } = await fakeDriver());
    const { externalId } = await driver.tenancy.ensureProject({ id: 'quota-project', name: 'Q', organization: 'bu' });
    await driver.quotas!.getQuotas('quota-project');
    fake.state.neutronQuotas.get(externalId)!.floatingip!.used = 2;
    const usage = await driver.quotas!.setQuotas('quota-project', {
      cores: null,
      instances: '-1',
      'floating-ips': '5',
      'swift-bytes': '1000000',
    });
    const byResource = Object.fromEntries(usage.map((item) => [item.resource, item]));
    expect(byResource.cores?.limit).toBeNull();
    expect(byResource.instances?.limit).toBeNull();
    expect(byResource['floating-ips']).toEqual({
      resource: 'floating-ips',
      limit: '5',
      inUse: '2',
      reserved: '0',
      unit: 'IP',
    });
    expect(byResource['swift-bytes']).toEqual({ resource: 'swift-bytes', limit: '1000000', inUse: '0', unit: 'B' });
    expect(fake.state.novaQuotas.get(externalId)!.cores!.limit).toBe(-1);
  });

  it('a project the directory does not know is not-found, before any quota call', async () => {
    ({ fake, driver } = await fakeDriver());
    const error = await driver.quotas!.getQuotas('nobody').catch((caught: unknown) => caught);
    expect((error as OcxError).code).toBe('not-found');
    expect(fake.state.log.some((entry) => entry.path.includes('os-quota-sets'))).toBe(false);
  });
});

describe('parseQuotaLimits', () => {
  it('accepts whole numbers up to the service maximum and unlimited forms', () => {
    expect(
      parseQuotaLimits({ cores: '0', 'ram-mb': '2147483647', instances: null, volumes: '-1', gigabytes: '12.0' }, [
        'cores',
        'ram-mb',
        'instances',
        'volumes',
        'gigabytes',
      ]),
    ).toEqual(
      new Map<string, bigint | null>([
        ['cores', 0n],
        ['ram-mb', 2147483647n],
        ['instances', null],
        ['volumes', null],
        ['gigabytes', 12n],
      ]),
    );
  });

  it('refuses numbers (not decimal strings), and a resource of a service the driver does not use', () => {
    expect(() => parseQuotaLimits({ cores: 4 }, ['cores'])).toThrow(/limits.cores: must be a decimal string/);
    expect(() => parseQuotaLimits({ 'swift-bytes': '1' }, ['cores'])).toThrow(/limits.swift-bytes: unknown resource/);
    expect(() => parseQuotaLimits('cores=4', ['cores'])).toThrow(/limits: expected an object/);
  });
});
