/**
 * Record real responses of the live OpenStack services into src/__fixtures__/, for the tests that
 * replay them (the fixture tests of the Cinder, Neutron, Glance, Swift and Keystone clients, the
 * fake cloud, the K2K assertion). Run after `bash scripts/services/openstack.sh start`:
 *
 *   cd packages/driver-openstack && npx tsx scripts/record-fixtures.ts
 *
 * Every call goes through `@ocx/core/http` with the driver's own Keystone session. Tokens never
 * reach a fixture (the `X-Subject-Token` header is not kept; bodies carry none), and the K2K
 * assertion's signature value is blanked.
 */
import { writeFileSync } from 'node:fs';
import { createHttpClient } from '@ocx/core/http';
import { createOpenStackDriver } from '../src/index.js';
import { liveDriverOptions, loadOpenStackEnv } from '../test/live/live-env-file.js';

const env = loadOpenStackEnv();
if (env.OCX_KEYSTONE_URL === undefined) {
  console.error('record-fixtures: no OpenStack env; run `bash scripts/services/openstack.sh start` first');
  process.exit(1);
}
const driver = createOpenStackDriver(liveDriverOptions(env));
const session = driver.ext.session;
const directory = new URL('../src/__fixtures__/', import.meta.url);
const KEPT_HEADERS = [
  'content-type',
  'x-openstack-request-id',
  'x-compute-request-id',
  'openstack-api-version',
  'x-account-bytes-used',
  'x-account-object-count',
  'x-account-container-count',
  'x-sp-url',
  'x-auth-url',
  'location',
];

async function record(
  name: string,
  base: string,
  call: { method: string; path: string; json?: unknown; headers?: Record<string, string> },
): Promise<unknown> {
  const client = session.serviceClient('recorder', base, call.headers);
  const response = await client.request({
    ...call,
    responseType: 'text',
    expectedStatus: [200, 201, 202, 204, 300, 400, 401, 404, 409],
  });
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([key]) => KEPT_HEADERS.includes(key)));
  const text = response.data as string;
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  writeFileSync(
    new URL(`${name}.json`, directory),
    `${JSON.stringify({ request: { method: call.method, path: call.path }, status: response.status, headers, body }, null, 2)}\n`,
  );
  console.log(`recorded ${name} (${response.status})`);
  return body;
}

const info = await session.current();
const admin = info.projectId!;
const keystone = session.authUrl;
const nova = await session.endpoint('compute');
const cinder = await session.endpoint('block-storage');
const neutron = (await session.endpoint('network')).replace(/\/v2\.0\/?$/, '');
const glance = (await session.endpoint('image')).replace(/\/v2\/?$/, '');
const swift = await session.endpoint('object-store');
const novaVersion = { 'OpenStack-API-Version': 'compute 2.79', 'X-OpenStack-Nova-API-Version': '2.79' };
const cinderVersion = { 'OpenStack-API-Version': 'volume 3.60' };

await record('keystone-projects', keystone, { method: 'GET', path: `projects?name=${env.OCX_OS_PROJECT}` });
await record('keystone-role-assignments', keystone, {
  method: 'GET',
  path: `role_assignments?scope.project.id=${admin}&include_names=true`,
});
await record('keystone-project-not-found', keystone, {
  method: 'GET',
  path: 'projects/0000000000000000000000000000dead',
});
await record('keystone-registered-limits', keystone, { method: 'GET', path: 'registered_limits' });
await record('keystone-limit-model', keystone, { method: 'GET', path: 'limits/model' });
const federation = driver.ext.federation;
await federation.ensureIdentityProvider('ocx-fixture-idp', {
  remoteIds: ['https://fixture.example/idp'],
  description: 'fixture',
});
await federation.ensureMapping('ocx-fixture-map', [
  {
    local: [{ user: { name: '{0}' } }, { projects: [{ name: '{0}', roles: [{ name: 'member' }] }] }],
    remote: [{ type: 'REMOTE_USER' }],
  },
]);
await federation.ensureProtocol('ocx-fixture-idp', 'openid', 'ocx-fixture-map');
await record('keystone-identity-provider', keystone, {
  method: 'GET',
  path: 'OS-FEDERATION/identity_providers/ocx-fixture-idp',
});
await record('keystone-mapping', keystone, { method: 'GET', path: 'OS-FEDERATION/mappings/ocx-fixture-map' });
await record('keystone-protocol', keystone, {
  method: 'GET',
  path: 'OS-FEDERATION/identity_providers/ocx-fixture-idp/protocols/openid',
});
await record('keystone-identity-provider-conflict', keystone, {
  method: 'PUT',
  path: 'OS-FEDERATION/identity_providers/ocx-fixture-idp',
  json: { identity_provider: { remote_ids: ['https://fixture.example/idp'] } },
});
await federation.deleteProtocol('ocx-fixture-idp', 'openid');
await federation.deleteMapping('ocx-fixture-map');
await federation.deleteIdentityProvider('ocx-fixture-idp');

if (env.OCX_K2K_SERVICE_PROVIDER_ID !== undefined) {
  const ecp = createHttpClient({ backend: 'recorder', baseUrl: keystone, auth: session.authPlugin });
  const response = await ecp.post('auth/OS-FEDERATION/saml2/ecp', {
    json: {
      auth: {
        identity: { methods: ['token'], token: { id: (await session.tokenText()).reveal() } },
        scope: { service_provider: { id: env.OCX_K2K_SERVICE_PROVIDER_ID } },
      },
    },
    responseType: 'text',
  });
  // The assertion is a short-lived bearer credential for the SP: its signature is blanked here.
  const blanked = response.data.replace(/<((?:\w+:)?SignatureValue)>[\s\S]*?<\/\1>/g, '<$1>BLANKED</$1>');
  writeFileSync(new URL('k2k-ecp-assertion.xml', directory), blanked);
  writeFileSync(
    new URL('k2k-ecp-headers.json', directory),
    `${JSON.stringify({ 'x-sp-url': response.headers['x-sp-url'], 'x-auth-url': response.headers['x-auth-url'] }, null, 2)}\n`,
  );
  console.log('recorded k2k-ecp-assertion.xml');
}

await record('nova-version', nova, { method: 'GET', path: '' });
await record('nova-tenant-usage-page', nova, {
  method: 'GET',
  path: `os-simple-tenant-usage?detailed=1&start=2026-01-01T00:00:00.000000&limit=1`,
  headers: novaVersion,
});
await record('nova-quota-detail', nova, { method: 'GET', path: `os-quota-sets/${admin}/detail`, headers: novaVersion });
await record('nova-server-not-found', nova, {
  method: 'GET',
  path: 'servers/00000000-0000-0000-0000-000000000000',
  headers: novaVersion,
});
await record('cinder-version', cinder.replace(/\/v3\/.*$/, '/'), { method: 'GET', path: '' });
await record('cinder-quota-usage', cinder, {
  method: 'GET',
  path: `os-quota-sets/${admin}?usage=True`,
  headers: cinderVersion,
});
await record('cinder-volume-summary', cinder, {
  method: 'GET',
  path: 'volumes/summary?all_tenants=1',
  headers: cinderVersion,
});
await record('cinder-volumes', cinder, {
  method: 'GET',
  path: 'volumes/detail?all_tenants=1&limit=2',
  headers: cinderVersion,
});
await record('neutron-quota-details', neutron, { method: 'GET', path: `v2.0/quotas/${admin}/details.json` });
await record('neutron-floatingips', neutron, { method: 'GET', path: 'v2.0/floatingips?limit=2' });
await record('neutron-not-found', neutron, {
  method: 'GET',
  path: 'v2.0/floatingips/00000000-0000-0000-0000-000000000000',
});
await record('glance-image', glance, { method: 'GET', path: `v2/images/${env.OCX_OS_IMAGE_ID}` });
// Members exist only on shared images: make one, share it with the demo project, record, remove it.
const shared = await driver.ext.glance!.createImage({ name: 'ocx-fixture-shared', visibility: 'shared' });
const demo = await driver.ext.identity.findProject(env.OCX_OS_DEMO_PROJECT ?? 'demo', 'default');
if (demo !== undefined) {
  await record('glance-add-member', glance, {
    method: 'POST',
    path: `v2/images/${shared.id}/members`,
    json: { member: demo.id },
  });
  await record('glance-add-member-conflict', glance, {
    method: 'POST',
    path: `v2/images/${shared.id}/members`,
    json: { member: demo.id },
  });
  await record('glance-image-members', glance, { method: 'GET', path: `v2/images/${shared.id}/members` });
}
await driver.ext.glance!.deleteImage(shared.id);
await record('glance-image-not-found', glance, {
  method: 'GET',
  path: 'v2/images/00000000-0000-0000-0000-000000000000',
});
await record('swift-account-head', swift, { method: 'HEAD', path: '' });
await record('swift-account-listing', swift, { method: 'GET', path: '?format=json' });
await driver.dispose();
