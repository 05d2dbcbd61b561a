import { OcxError } from '@ocx/core';
import type { TestServer } from '@ocx/core/simulation';
import { afterEach, describe, expect, it } from 'vitest';
import { createCinderClient } from './cinder/cinder-client.js';
import { createGlanceClient } from './glance/glance-client.js';
import { createIdentityClient } from './keystone/create-identity-client.js';
import { createFederationClient } from './keystone/federation-client.js';
import { createLimitsClient } from './keystone/limits-client.js';
import { createNeutronClient } from './neutron/neutron-client.js';
import { createNovaClient } from './nova/nova-client.js';
import { CINDER_MICROVERSIONS, NOVA_MICROVERSIONS } from './service-clients.js';
import { decimalFromJsonNumber } from './shared/json-number.js';
import { createServiceClient } from './shared/service-client.js';
import { versionRoot } from './shared/service-paths.js';
import { createSwiftClient } from './swift/swift-client.js';
import { fixture, replayServer, staticSession } from './test-support/replay.js';

// Recorded from the real Zed services by scripts/record-fixtures.ts; replayed byte for byte.
let server: TestServer;
afterEach(() => server?.close());

const ADMIN = 'admin-project';

describe('clients against recorded responses of the real services', () => {
  it('cinder: version document (300), quota usage normalised, summary, volumes', async () => {
    server = await replayServer([
      { prefix: '/cinder', name: 'cinder-version' },
      { prefix: `/cinder/v3/${ADMIN}`, name: 'cinder-quota-usage' },
      { prefix: `/cinder/v3/${ADMIN}`, name: 'cinder-volume-summary' },
      { prefix: `/cinder/v3/${ADMIN}`, name: 'cinder-volumes' },
    ]);
    const project = fixture('cinder-quota-usage').request.path.split('/')[1]!.split('?')[0]!;
    const service = createServiceClient(staticSession(server.url), {
      backend: 'cinder',
      type: 'block-storage',
      endpointOverride: `${server.url}/cinder/v3/${ADMIN}`,
      microversion: {
        headerType: 'volume',
        ...CINDER_MICROVERSIONS,
        versionDocument: (endpoint) => versionRoot(endpoint, /^v3$/),
      },
    });
    const cinder = createCinderClient(service);
    expect(await cinder.microversion()).toBe('3.60');
    const quotas = await cinder.getQuotas(project);
    expect(quotas.gigabytes).toEqual({ limit: 1000, inUse: 0, reserved: 0 });
    expect(quotas.per_volume_gigabytes?.limit).toBe(-1);
    const summary = fixture('cinder-volume-summary').body as { 'volume-summary': { total_count: number } };
    expect((await cinder.volumeSummary({ allProjects: true })).totalCount).toBe(summary['volume-summary'].total_count);
    const volumes = [];
    for await (const volume of cinder.listVolumes({ allProjects: true, pageSize: 1000 })) volumes.push(volume);
    expect(volumes.length).toBe((fixture('cinder-volumes').body as { volumes: unknown[] }).volumes.length);
  });

  it("neutron: quota details `used` becomes inUse; a missing floating IP is not-found with Neutron's type", async () => {
    server = await replayServer([
      { prefix: '/neutron', name: 'neutron-quota-details' },
      { prefix: '/neutron', name: 'neutron-not-found' },
      { prefix: '/neutron', name: 'neutron-floatingips' },
    ]);
    const project = fixture('neutron-quota-details').request.path.split('/')[2]!;
    const neutron = createNeutronClient(
      createServiceClient(staticSession(server.url), {
        backend: 'neutron',
        type: 'network',
        endpointOverride: `${server.url}/neutron`,
      }),
    );
    expect((await neutron.getQuotas(project)).floatingip).toEqual({ limit: 50, inUse: 0, reserved: 0 });
    const error = await neutron.deleteFloatingIp('x').then(() => undefined);
    expect(error).toBeUndefined(); // a missing address is already deleted
    const addresses = [];
    for await (const address of neutron.listFloatingIps({ pageSize: 2 })) addresses.push(address);
    expect(addresses.length).toBe(
      (fixture('neutron-floatingips').body as { floatingips: unknown[] }).floatingips.length,
    );
  });

  it('glance: a duplicate member (409, an HTML page) reads as the existing membership', async () => {
    server = await replayServer([
      { prefix: '/glance', name: 'glance-add-member-conflict' },
      { prefix: '/glance', name: 'glance-image-members' },
      { prefix: '/glance', name: 'glance-image-not-found' },
    ]);
    const recorded = fixture('glance-image-members').body as {
      members: Array<{ image_id: string; member_id: string }>;
    };
    const glance = createGlanceClient(
      createServiceClient(staticSession(server.url), {
        backend: 'glance',
        type: 'image',
        endpointOverride: `${server.url}/glance`,
      }),
    );
    const member = await glance.addMember(recorded.members[0]!.image_id, recorded.members[0]!.member_id);
    expect(member).toMatchObject({ member_id: recorded.members[0]!.member_id, status: 'pending' });
    expect(await glance.getImage('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('nova: version document, a usage page with its next link, quota detail, itemNotFound', async () => {
    server = await replayServer([
      { prefix: '/nova/v2.1', name: 'nova-version' },
      { prefix: '/nova/v2.1', name: 'nova-quota-detail' },
      { prefix: '/nova/v2.1', name: 'nova-server-not-found' },
    ]);
    const nova = createNovaClient(
      createServiceClient(staticSession(server.url), {
        backend: 'nova',
        type: 'compute',
        endpointOverride: `${server.url}/nova/v2.1`,
        microversion: {
          headerType: 'compute',
          legacyHeader: 'X-OpenStack-Nova-API-Version',
          ...NOVA_MICROVERSIONS,
          versionDocument: () => '',
        },
      }),
    );
    expect(await nova.microversion()).toBe('2.79');
    const project = fixture('nova-quota-detail').request.path.split('/')[1]!;
    const quotas = await nova.getQuotas(project);
    expect(Object.keys(quotas).sort()).toEqual([
      'cores',
      'instances',
      'key_pairs',
      'metadata_items',
      'ram',
      'server_group_members',
      'server_groups',
    ]);
    expect(await nova.getServer('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('nova: a recorded usage page is read page by page, following the next link Nova gave', async () => {
    const recorded = fixture('nova-tenant-usage-page');
    const body = recorded.body as {
      tenant_usages: Array<{ tenant_id: string; server_usages: unknown[]; total_vcpus_usage: number }>;
      tenant_usages_links: Array<{ href: string }>;
    };
    server = await replayServer([{ prefix: '/nova/v2.1', name: 'nova-version' }]);
    let pages = 0;
    server.route('GET', '/nova/v2.1/os-simple-tenant-usage', (request, response) => {
      pages += 1;
      const last = new URL(request.url!, 'http://x').searchParams.has('marker');
      // The next link points at the recording's origin; the replay serves it from its own.
      const page = last
        ? { tenant_usages: [] }
        : {
            ...body,
            tenant_usages_links: [
              {
                rel: 'next',
                href: body.tenant_usages_links[0]!.href.replace(
                  'http://127.0.0.1:8774/v2.1',
                  `${server.url}/nova/v2.1`,
                ),
              },
            ],
          };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(page));
    });
    const nova = createNovaClient(
      createServiceClient(staticSession(server.url), {
        backend: 'nova',
        type: 'compute',
        endpointOverride: `${server.url}/nova/v2.1`,
        microversion: { headerType: 'compute', ...NOVA_MICROVERSIONS, versionDocument: () => '' },
      }),
    );
    const summary = await nova.usageSummary({
      start: '2026-01-01T00:00:00Z',
      end: '2026-12-01T00:00:00Z',
      pageSize: 1,
    });
    expect(pages).toBe(2);
    expect(summary.projects).toEqual([
      {
        projectId: body.tenant_usages[0]!.tenant_id,
        servers: 1,
        totals: expect.objectContaining({
          vcpuHours: decimalFromJsonNumber(body.tenant_usages[0]!.total_vcpus_usage).toString(),
        }),
      },
    ]);
  });

  it('keystone: projects, role assignments with names, federation objects, a 409 on PUT becomes PATCH', async () => {
    server = await replayServer([
      { prefix: '/keystone/v3', name: 'keystone-projects' },
      { prefix: '/keystone/v3', name: 'keystone-role-assignments' },
      { prefix: '/keystone/v3', name: 'keystone-project-not-found' },
      { prefix: '/keystone/v3', name: 'keystone-identity-provider' },
      { prefix: '/keystone/v3', name: 'keystone-identity-provider-conflict' },
      { prefix: '/keystone/v3', name: 'keystone-mapping' },
      { prefix: '/keystone/v3', name: 'keystone-protocol' },
      { prefix: '/keystone/v3', name: 'keystone-registered-limits' },
      { prefix: '/keystone/v3', name: 'keystone-limit-model' },
    ]);
    const session = staticSession(server.url);
    const identity = createIdentityClient(session.identity);
    const projects = await identity.listProjects({ name: 'admin' });
    expect(projects.truncated).toBe(false);
    expect(projects.items[0]?.name).toBe('admin');
    const assignments = await identity.listRoleAssignments({ projectId: projects.items[0]!.id, includeNames: true });
    expect(
      assignments.items.some((assignment) => assignment.role.name === 'admin' && assignment.user?.name === 'admin'),
    ).toBe(true);
    expect(await identity.getProject('0000000000000000000000000000dead')).toBeUndefined();

    const federation = createFederationClient(session.identity);
    expect((await federation.getIdentityProvider('ocx-fixture-idp'))?.remote_ids).toEqual([
      'https://fixture.example/idp',
    ]);
    expect((await federation.getMapping('ocx-fixture-map'))?.rules[0]?.remote).toEqual([{ type: 'REMOTE_USER' }]);
    let patched = false;
    server.route('PATCH', '/keystone/v3/OS-FEDERATION/identity_providers/ocx-fixture-idp', (_request, response) => {
      patched = true;
      const recorded = fixture('keystone-identity-provider');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(recorded.body));
    });
    await federation.ensureIdentityProvider('ocx-fixture-idp', { remoteIds: ['https://fixture.example/idp'] });
    expect(patched).toBe(true);

    const limits = createLimitsClient(session.identity);
    expect(await limits.model()).toBe('flat');
    expect((await limits.listRegisteredLimits()).map((limit) => limit.resource_name)).toContain('class:VCPU');
  });

  it('swift: account usage headers as exact integers, listing', async () => {
    server = await replayServer([
      { prefix: '/swift/v1/AUTH_x', name: 'swift-account-head' },
      { prefix: '/swift/v1/AUTH_x', name: 'swift-account-listing' },
    ]);
    const swift = createSwiftClient(
      createServiceClient(staticSession(server.url), {
        backend: 'swift',
        type: 'object-store',
        endpointOverride: `${server.url}/swift/v1/AUTH_x`,
      }),
    );
    const recorded = fixture('swift-account-head').headers;
    expect(await swift.headAccount()).toEqual({
      bytesUsed: recorded['x-account-bytes-used'],
      objectCount: recorded['x-account-object-count'],
      containerCount: recorded['x-account-container-count'],
    });
    const containers = [];
    for await (const container of swift.listContainers()) containers.push(container);
    expect(containers).toEqual(fixture('swift-account-listing').body ?? []);
  });

  it("errors keep the service's own type, message and request id", async () => {
    server = await replayServer([{ prefix: '/neutron', name: 'neutron-not-found' }]);
    const client = await createServiceClient(staticSession(server.url), {
      backend: 'neutron',
      type: 'network',
      endpointOverride: `${server.url}/neutron`,
    }).client();
    const error = await client
      .get('v2.0/floatingips/00000000-0000-0000-0000-000000000000')
      .catch((caught: unknown) => caught);
    expect(OcxError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'not-found',
      backendErrorType: 'FloatingIPNotFound',
      requestId: fixture('neutron-not-found').headers['x-openstack-request-id'],
    });
  });
});
