import { OcxError, validateDriver } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenStackDriver, type OpenStackDriver } from './index.js';
import { fakeDriver } from './test-support/fake-driver.js';
import type { FakeOpenStack } from './test-support/fake-openstack.js';

const auth = { url: 'http://127.0.0.1:5000/v3', username: 'admin', password: 'pw', project: 'admin' };

function validationPaths(make: () => unknown): string[] {
  try {
    make();
  } catch (error) {
    expect(OcxError.is(error)).toBe(true);
    expect((error as OcxError).code).toBe('validation');
    return (error as OcxError).issues.map((issue) => issue.path);
  }
  throw new Error('expected a validation error');
}

describe('createOpenStackDriver options', () => {
  it('a bad option is a validation error naming its path', () => {
    expect(
      validationPaths(() => createOpenStackDriver({ auth, landlord: 'l', service: 's', bucketSeconds: 7 })),
    ).toEqual(['bucketSeconds']);
    expect(
      validationPaths(() =>
        createOpenStackDriver({ auth, landlord: 'l', service: 's', services: ['nova', 'heat' as never] }),
      ),
    ).toEqual(['services.1']);
    expect(
      validationPaths(() => createOpenStackDriver({ auth: { ...auth, password: '' }, landlord: 'l', service: 's' })),
    ).toEqual(['auth.password']);
    expect(
      validationPaths(() =>
        createOpenStackDriver({ auth: { url: auth.url, password: 'x' } as never, landlord: 'l', service: 's' }),
      ),
    ).toEqual(['auth.username']);
    expect(validationPaths(() => createOpenStackDriver({ auth, landlord: 'has space', service: 's' }))).toEqual([
      'landlord',
    ]);
    expect(
      validationPaths(() => createOpenStackDriver({ auth, landlord: 'l', service: 's', colour: 'blue' } as never)),
    ).toEqual(['']);
  });

  it('declares exactly what the configured services give, and passes validateDriver', () => {
    const all = createOpenStackDriver({ auth, landlord: 'l', service: 's' });
    expect(validateDriver(all)).toBe(all);
    expect(all.capabilities.quotas?.resources).toEqual([
      'cores',
      'ram-mb',
      'instances',
      'volumes',
      'gigabytes',
      'floating-ips',
      'swift-bytes',
    ]);
    expect(all.capabilities.meters?.metrics).toEqual([
      'vcpu-hours',
      'ram-gb-hours',
      'volume-gb-hours',
      'floating-ip-hours',
      'object-storage-gb-hours',
    ]);
    expect(all.capabilities.tenancy).toEqual({ roles: ['member', 'reader', 'admin'], releasesResources: true });

    const keystoneOnly = createOpenStackDriver({ auth, landlord: 'l', service: 's', services: [] });
    expect(validateDriver(keystoneOnly)).toBe(keystoneOnly);
    expect(keystoneOnly.quotas).toBeUndefined();
    expect(keystoneOnly.meters).toBeUndefined();
    expect(keystoneOnly.capabilities).toEqual({
      tenancy: { roles: ['member', 'reader', 'admin'], releasesResources: true },
    });
    expect(keystoneOnly.ext.nova).toBeUndefined();

    const swiftOnly = createOpenStackDriver({ auth, landlord: 'l', service: 's', services: ['swift'] });
    expect(swiftOnly.capabilities.quotas?.resources).toEqual(['swift-bytes']);
    expect(swiftOnly.meters?.map((meter) => meter.name)).toEqual(['object-storage']);
  });

  it('accepts application credentials', () => {
    const driver = createOpenStackDriver({
      auth: { url: auth.url, applicationCredentialId: 'id', applicationCredentialSecret: 'secret' },
      landlord: 'l',
      service: 's',
    });
    expect(driver.name).toBe('openstack');
  });
});

let fake: FakeOpenStack;
let driver: OpenStackDriver;
afterEach(async () => {
  await driver?.dispose();
  await fake?.close();
});

describe('the Keystone session', () => {
  it('authenticates once and shares the token between services', async () => {
    ({ fake, driver } = await fakeDriver());
    await driver.tenancy.ensureProject({ id: 'shared', name: 'S', organization: 'bu' });
    await driver.quotas!.getQuotas('shared');
    expect(fake.state.issued).toHaveLength(1);
    expect(new Set(fake.state.log.map((entry) => entry.token))).toEqual(new Set([undefined, fake.state.issued[0]]));
  });

  it('renews the token before it expires, without waiting for a 401', async () => {
    ({ fake, driver } = await fakeDriver());
    // Tokens live 120.5 s; the driver renews 120 s ahead, so after half a second the first is due.
    fake.state.tokenTtlMs = 120_500;
    await driver.tenancy.getProject('renewal');
    await new Promise((resolve) => setTimeout(resolve, 700));
    await driver.tenancy.getProject('renewal');
    expect(fake.state.issued).toHaveLength(2);
    const first = fake.state.tokens.get(fake.state.issued[0]!)!;
    expect(first.expiresAt).toBeGreaterThan(Date.now());
  });

  it('re-authenticates once after a 401 and reports a second 401 as auth', async () => {
    ({ fake, driver } = await fakeDriver());
    await driver.tenancy.getProject('x');
    fake.expireTokens();
    await driver.tenancy.getProject('x');
    expect(fake.state.issued).toHaveLength(2);
    fake.server.inject(
      {
        kind: 'status',
        status: 401,
        times: 2,
        body: {
          error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
        },
      },
      { path: '/identity/v3/projects' },
    );
    const error = await driver.tenancy.getProject('x').catch((caught: unknown) => caught);
    expect((error as OcxError).code).toBe('auth');
    expect((error as OcxError).attempts).toBe(2);
  });

  it('health reports each service', async () => {
    ({ fake, driver } = await fakeDriver({ services: ['nova', 'swift'] }));
    const report = await driver.health();
    expect(Object.keys(report.checks).sort()).toEqual(['keystone', 'nova', 'swift']);
    expect(report.ok).toBe(true);
    await driver.dispose();
    expect((await driver.health()).ok).toBe(false);
  });
});

describe('microversions', () => {
  it('negotiates the highest both sides know and sends it in both headers', async () => {
    ({ fake, driver } = await fakeDriver({}, { maxNovaMicroversion: '2.60' }));
    expect(await driver.ext.nova!.microversion()).toBe('2.60');
    await driver.ext.nova!.getServer('missing');
    const sent = fake.server.requests.find((request) => request.path === '/compute/v2.1/servers/missing')!;
    expect(sent.headers['openstack-api-version']).toBe('compute 2.60');
    expect(sent.headers['x-openstack-nova-api-version']).toBe('2.60');
  });

  it('a Nova older than 2.40 (no usage paging) is a capability error', async () => {
    ({ fake, driver } = await fakeDriver({}, { maxNovaMicroversion: '2.38' }));
    const error = await driver.ext.nova!.microversion().catch((caught: unknown) => caught);
    expect((error as OcxError).code).toBe('capability');
    expect((error as OcxError).message).toMatch(/up to 2.38; the driver needs at least 2.40/);
  });
});

describe('Keystone truncated lists', () => {
  it('are reported as truncated, and a meter refuses to bill from one', async () => {
    ({ fake, driver } = await fakeDriver());
    await driver.tenancy.ensureProject({ id: 'one', name: 'One', organization: 'bu' });
    await driver.tenancy.ensureProject({ id: 'two', name: 'Two', organization: 'bu' });
    fake.state.listLimit = 1;
    const list = await driver.ext.identity.listProjects({ tags: 'ocx' });
    expect(list).toMatchObject({ truncated: true, items: [expect.anything()] });
    const error = await (async () => {
      for await (const _record of driver.meters![0]!.collect({
        start: '2026-01-01T00:00:00Z',
        end: '2026-01-01T02:00:00Z',
      }));
    })().catch((caught: unknown) => caught);
    expect((error as OcxError).code).toBe('protocol');
    expect((error as OcxError).message).toMatch(/Keystone truncated the list of exchange projects after 1 items/);
  });
});
