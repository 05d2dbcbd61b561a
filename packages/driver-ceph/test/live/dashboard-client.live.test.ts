import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { OcxError } from '@ocx/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CephDashboardClient, createCephDashboardClient } from '../../src/dashboard/dashboard-client.js';
import { describeLive } from './ceph-env.js';

describeLive('Ceph Dashboard client against the live dashboard', (env) => {
  let dashboard: CephDashboardClient;
  const ca = env.dashboardCaFile === undefined ? undefined : readFileSync(env.dashboardCaFile, 'utf8');
  beforeAll(() => {
    dashboard = createCephDashboardClient({
      endpoint: env.dashboardUrl!,
      username: env.dashboardUsername!,
      password: env.dashboardPassword!,
      ca,
      pageSize: 1,
    });
  });
  afterAll(() => dashboard.close());

  it('logs in, pages RBD images one at a time, and reads the image with its usage', async () => {
    const images = [];
    for await (const image of dashboard.listImages({ pool: env.rbdPool })) images.push(image);
    const image = images.find((candidate) => candidate.name === env.rbdImage);
    expect(image).toMatchObject({ pool: env.rbdPool, name: env.rbdImage, sizeBytes: String(64 * 1024 * 1024) });
    expect(Number(image!.diskUsageBytes)).toBeGreaterThan(0);
    const read = await dashboard.getImage(env.rbdPool!, env.rbdImage!);
    expect(read.id).toBe(image!.id);
  });

  it('lists pools with statistics', async () => {
    const pools = await dashboard.listPools({ stats: true });
    const rbd = pools.find((pool) => pool.name === env.rbdPool);
    expect(rbd?.applications).toContain('rbd');
    expect(Number(rbd?.stats?.storedBytes)).toBeGreaterThan(0);
  });

  it('maps an unknown image to not-found', async () => {
    const error = await dashboard.getImage(env.rbdPool!, 'no-such-image').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'not-found', status: 404 });
  });

  it('refuses a wrong password as auth, without the password in the error', async () => {
    const wrongPassword = 'Wrong-password-for-live-test-1234';
    const wrong = createCephDashboardClient({
      endpoint: env.dashboardUrl!,
      username: env.dashboardUsername!,
      password: wrongPassword,
      ca,
    });
    const error = (await wrong.listPools().catch((caught: unknown) => caught)) as OcxError;
    await wrong.close();
    expect(OcxError.is(error)).toBe(true);
    expect(error.code).toBe('auth');
    expect(`${error.message} ${inspect(error)} ${JSON.stringify(error)}`).not.toContain(wrongPassword);
  });
});
