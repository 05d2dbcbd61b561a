import { readFileSync } from 'node:fs';
import type { OcxError } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenStackDriver } from '../index.js';
import { fakeDriver } from '../test-support/fake-driver.js';
import { type FakeK2k, registerFakeK2k } from '../test-support/fake-k2k.js';
import type { FakeOpenStack } from '../test-support/fake-openstack.js';

const assertion = readFileSync(new URL('../__fixtures__/k2k-ecp-assertion.xml', import.meta.url), 'utf8');

let fake: FakeOpenStack;
let driver: OpenStackDriver;
let k2k: FakeK2k;
afterEach(async () => {
  await driver?.dispose();
  await fake?.close();
});

async function setUp(): Promise<void> {
  ({ fake, driver } = await fakeDriver());
  k2k = registerFakeK2k(fake.server, fake.state, () => Date.now(), assertion);
}

describe('Keystone-to-Keystone', () => {
  it('gets a scoped token of the service provider: ECP assertion, PAOS post, cookie, federated auth, rescope', async () => {
    await setUp();
    const remote = await driver.ext.k2k.token({
      serviceProvider: 'landlord-b',
      project: { name: 'genomics', domain: { id: 'default' } },
    });
    expect(remote.info.projectId).toBe(k2k.remoteProjectId);
    expect(remote.info.projectName).toBe('genomics');
    expect(remote.remoteAuthUrl).toBe(`${fake.url}/sp/identity/v3`);
    expect(k2k.assertions).toEqual([assertion]);
    expect(k2k.cookies[0]).toBe('_shibsession_64656661756c74=_b7a1c0ffee; _opensaml_req=x');
    expect(String(remote.token)).toBe('[REDACTED]');
  });

  it('an unknown service provider is not-found, and nothing reaches a provider', async () => {
    await setUp();
    const error = await driver.ext.k2k.token({ serviceProvider: 'nobody' }).catch((caught: unknown) => caught);
    expect((error as OcxError).code).toBe('not-found');
    expect(k2k.assertions).toEqual([]);
  });

  it('a K2K session uses the remote catalog with the remote token', async () => {
    await setUp();
    const session = await driver.ext.k2k.session({ serviceProvider: 'landlord-b', project: { id: 'whatever' } });
    expect(await session.endpoint('image')).toBe(`${fake.url}/image`);
    expect((await session.current()).projectId).toBe(k2k.remoteProjectId);
    await session.close();
  });
});

describe('shareImage (resource federation)', () => {
  it('via K2K: the owner shares, the consumer accepts with a K2K token of the owner cloud', async () => {
    await setUp();
    fake.state.images.set('img-1', {
      id: 'img-1',
      name: 'ubuntu',
      owner: fake.state.adminProjectId,
      visibility: 'shared',
      status: 'active',
      members: new Map(),
    });
    const shared = await driver.ext.shareImage({
      from: driver,
      image: 'img-1',
      toProject: 'genomics',
      serviceProvider: 'landlord-b',
    });
    expect(shared).toEqual({
      image: 'img-1',
      ownerProject: fake.state.adminProjectId,
      memberProject: k2k.remoteProjectId,
      status: 'accepted',
      acceptedWith: 'k2k',
    });
    expect(fake.state.images.get('img-1')!.members.get(k2k.remoteProjectId)).toBe('accepted');
    // The acceptance was sent with the remote (K2K) token, the membership with the owner's.
    const accept = fake.state.log.find(
      (entry) => entry.method === 'PUT' && entry.path.endsWith(`/members/${k2k.remoteProjectId}`),
    )!;
    expect(accept.token).toMatch(/^fake-sp-scoped-/);
    const add = fake.state.log.find((entry) => entry.method === 'POST' && entry.path.endsWith('/members'))!;
    expect(add.token).toBe(fake.state.issued[0]);
  });

  it('without K2K: the owner cloud accepts for its own project; running it again is harmless', async () => {
    await setUp();
    const { externalId } = await driver.tenancy.ensureProject({ id: 'genomics', name: 'G', organization: 'bu' });
    fake.state.images.set('img-2', {
      id: 'img-2',
      name: 'centos',
      owner: fake.state.adminProjectId,
      visibility: 'shared',
      status: 'active',
      members: new Map(),
    });
    const first = await driver.ext.shareImage({ from: driver, image: 'img-2', toProject: 'genomics' });
    const second = await driver.ext.shareImage({ from: driver, image: 'img-2', toProject: 'genomics' });
    expect(first).toEqual(second);
    expect(first.memberProject).toBe(externalId);
    expect(first.acceptedWith).toBe('owner-credentials');
  });

  it('refuses bad input before any call', async () => {
    await setUp();
    const error = await driver.ext
      .shareImage({ from: {} as never, image: '', toProject: 'bad project' })
      .catch((caught: unknown) => caught);
    expect((error as OcxError).code).toBe('validation');
    expect((error as OcxError).issues.map((issue) => issue.path).sort()).toEqual([
      'input.from',
      'input.image',
      'input.toProject',
    ]);
    expect(fake.state.log).toEqual([]);
  });
});
