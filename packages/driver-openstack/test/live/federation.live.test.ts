import { uniqueName } from '@ocx/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OpenStackDriver, projectAutoCreationRules } from '../../src/index.js';
import { describeLive, itWithService, liveDriver, liveEnv } from './live-env.js';
import { liveProject } from './live-project.js';

describeLive('openstack live: federation, K2K, unified limits, resource federation', () => {
  let driver: OpenStackDriver;
  beforeAll(() => {
    driver = liveDriver();
  });
  afterAll(() => driver?.dispose());

  it('creates, updates and removes an identity provider, a project-creating mapping and a protocol', {
    timeout: 60_000,
  }, async () => {
    const federation = driver.ext.federation;
    const idp = uniqueName('live-idp');
    const mapping = uniqueName('live-map');
    try {
      const created = await federation.ensureIdentityProvider(idp, {
        remoteIds: [`https://${idp}.example/idp`],
        description: 'live test',
      });
      expect(created.enabled).toBe(true);
      // Ensuring again with a new remote id updates it (Keystone answers 409 to the PUT; the driver PATCHes).
      const updated = await federation.ensureIdentityProvider(idp, { remoteIds: [`https://${idp}.example/idp2`] });
      expect(updated.remote_ids).toEqual([`https://${idp}.example/idp2`]);
      await federation.ensureMapping(
        mapping,
        projectAutoCreationRules({
          userNameAttribute: 'HTTP_OIDC_EMAIL',
          projects: [{ name: '{0}', roles: ['member'] }],
        }),
      );
      expect((await federation.getMapping(mapping))?.rules[0]?.local[1]).toEqual({
        projects: [{ name: '{0}', roles: [{ name: 'member' }] }],
      });
      const protocol = await federation.ensureProtocol(idp, 'openid', mapping);
      expect(protocol.mapping_id).toBe(mapping);
      expect((await federation.listProtocols(idp)).map((item) => item.id)).toEqual(['openid']);
    } finally {
      await federation.deleteProtocol(idp, 'openid');
      await federation.deleteMapping(mapping);
      await federation.deleteIdentityProvider(idp);
    }
    expect(await federation.getIdentityProvider(idp)).toBeUndefined();
  });

  itWithService(
    'k2k',
    'gets a token of the second Keystone through K2K (SAML2 ECP via Shibboleth)',
    { timeout: 60_000 },
    async () => {
      const remote = await driver.ext.k2k.token({
        serviceProvider: liveEnv.OCX_K2K_SERVICE_PROVIDER_ID!,
        project: { name: liveEnv.OCX_K2K_SP_PROJECT!, domain: { id: 'default' } },
      });
      expect(remote.remoteAuthUrl).toBe(liveEnv.OCX_KEYSTONE_SP_URL);
      expect(remote.info.projectName).toBe(liveEnv.OCX_K2K_SP_PROJECT);
      expect(remote.info.methods).toContain('token');
      // The remote session works with the remote Keystone's own API.
      const session = await driver.ext.k2k.session({
        serviceProvider: liveEnv.OCX_K2K_SERVICE_PROVIDER_ID!,
        project: { name: liveEnv.OCX_K2K_SP_PROJECT!, domain: { id: 'default' } },
      });
      const { data } = await session.identity.get('auth/projects', { responseType: 'json' });
      expect(JSON.stringify(data)).toContain(liveEnv.OCX_K2K_SP_PROJECT);
      await session.close();
    },
  );

  it('sets a project limit in Keystone unified limits, and again (update), then removes it', {
    timeout: 60_000,
  }, async () => {
    const project = await liveProject(driver, 'live-limits');
    try {
      const limits = driver.ext.limits;
      expect(await limits.model()).toBe('flat');
      const compute = await limits.serviceId('compute');
      const first = await limits.ensureProjectLimit({
        serviceId: compute,
        projectId: project.keystoneId,
        resourceName: 'class:VCPU',
        resourceLimit: 8,
      });
      const second = await limits.ensureProjectLimit({
        serviceId: compute,
        projectId: project.keystoneId,
        resourceName: 'class:VCPU',
        resourceLimit: 16,
      });
      expect(second.id).toBe(first.id);
      // Keystone lists a project's limits only to tokens of that project; the returned limit is the record.
      expect([second.resource_name, second.resource_limit, second.region_id]).toEqual([
        'class:VCPU',
        16,
        liveEnv.OCX_OS_REGION,
      ]);
      // Values Keystone would refuse are refused before the call.
      await expect(
        limits.ensureProjectLimit({
          serviceId: compute,
          projectId: project.keystoneId,
          resourceName: 'class:VCPU',
          resourceLimit: -2,
        }),
      ).rejects.toMatchObject({ code: 'validation', issues: [{ path: 'resourceLimit' }] });
      await limits.deleteLimit(first.id);
      // Gone: ensuring again creates a new limit.
      const third = await limits.ensureProjectLimit({
        serviceId: compute,
        projectId: project.keystoneId,
        resourceName: 'class:VCPU',
        resourceLimit: 4,
      });
      expect(third.id).not.toBe(first.id);
      await limits.deleteLimit(third.id);
    } finally {
      await project.cleanup();
    }
  });

  itWithService(
    'glance',
    'shares an image with an exchange project in one call (owner credentials)',
    { timeout: 120_000 },
    async () => {
      const project = await liveProject(driver, 'live-share');
      const glance = driver.ext.glance!;
      const image = await glance.createImage({ name: `${project.project}-image`, visibility: 'private' });
      try {
        const shared = await driver.ext.shareImage({ from: driver, image: image.id, toProject: project.project });
        expect(shared).toMatchObject({
          image: image.id,
          memberProject: project.keystoneId,
          status: 'accepted',
          acceptedWith: 'owner-credentials',
        });
        expect((await glance.getImage(image.id))?.visibility).toBe('shared');
        expect(await glance.listMembers(image.id)).toEqual([
          expect.objectContaining({ member_id: project.keystoneId, status: 'accepted' }),
        ]);
        // The project sees the image in its own default list now.
        const seen = [];
        for await (const listed of project.scoped.ext.glance!.listImages({
          memberStatus: 'accepted',
          visibility: 'shared',
        }))
          seen.push(listed.id);
        expect(seen).toContain(image.id);
      } finally {
        await glance.deleteImage(image.id);
        await project.cleanup();
      }
    },
  );

  itWithService('cinder', 'transfers a volume to an exchange project in one call', { timeout: 180_000 }, async () => {
    const project = await liveProject(driver, 'live-transfer');
    const volume = await driver.ext.cinder!.createVolume({ size: 1, name: `${project.project}-volume` });
    try {
      await driver.ext.cinder!.waitForVolume(volume.id, 'available');
      const moved = await driver.ext.transferVolume({ from: driver, volume: volume.id, toProject: project.project });
      expect(moved).toEqual({ volume: volume.id, toProject: project.keystoneId, acceptedWith: 'owner-credentials' });
      const after = await driver.ext.cinder!.getVolume(volume.id);
      expect(after?.['os-vol-tenant-attr:tenant_id']).toBe(project.keystoneId);
    } finally {
      await project.cleanup();
      await driver.ext.cinder!.deleteVolume(volume.id).catch(() => undefined);
    }
  });
});
