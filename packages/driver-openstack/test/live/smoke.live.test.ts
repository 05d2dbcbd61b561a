import { uniqueName } from '@ocx/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOpenStackDriver, type OpenStackDriver } from '../../src/index.js';
import { describeLive, liveDriver, liveDriverOptions, liveEnv } from './live-env.js';

describeLive('openstack live: session and clients', () => {
  let driver: OpenStackDriver;
  beforeAll(() => {
    driver = liveDriver();
  });
  afterAll(() => driver?.dispose());

  it('authenticates, reads the catalog and negotiates microversions', async () => {
    const health = await driver.health();
    expect(health.ok, JSON.stringify(health)).toBe(true);
    expect(await driver.ext.nova!.microversion()).toBe('2.79');
    expect(await driver.ext.cinder!.microversion()).toBe('3.60');
    const flavors = [];
    for await (const flavor of driver.ext.nova!.listFlavors()) flavors.push(flavor.name);
    expect(flavors).toContain(liveEnv.OCX_OS_FLAVOR ?? 'm1.tiny');
    const summary = await driver.ext.cinder!.volumeSummary({ allProjects: true });
    expect(Number.isInteger(summary.totalCount) && summary.totalCount >= 0).toBe(true);
    const usage = await driver.ext.swift!.headAccount();
    expect(usage.bytesUsed).toMatch(/^\d+$/);
  });

  it('authenticates with an application credential (no scope sent: the credential fixes it)', async () => {
    const { userId, projectId } = await driver.ext.session.current();
    const credential = await driver.ext.identity.createApplicationCredential(userId, {
      name: uniqueName('live-appcred'),
    });
    const appDriver = createOpenStackDriver({
      ...liveDriverOptions(liveEnv),
      auth: {
        url: liveEnv.OCX_KEYSTONE_URL!,
        applicationCredentialId: credential.id,
        applicationCredentialSecret: credential.secret,
      },
    });
    try {
      const info = await appDriver.ext.session.current();
      expect(info.methods).toEqual(['application_credential']);
      expect(info.projectId).toBe(projectId);
      expect((await appDriver.health()).checks.keystone?.ok).toBe(true);
    } finally {
      await appDriver.dispose();
      await driver.ext.identity.deleteApplicationCredential(userId, credential.id);
    }
  });

  it('creates and deletes a domain (disabled first, as Keystone requires)', async () => {
    const identity = driver.ext.identity;
    const domain = await identity.createDomain({ name: uniqueName('live-domain') });
    expect((await identity.getDomain(domain.id))?.enabled).toBe(true);
    await identity.deleteDomain(domain.id);
    expect(await identity.getDomain(domain.id)).toBeUndefined();
    await identity.deleteDomain(domain.id);
  });
});
