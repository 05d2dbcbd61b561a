#!/usr/bin/env node
// Provisions the test cloud over the OpenStack REST APIs (idempotent: every step looks before it creates).
// The openstack CLI costs ~2.5 s per command in Python start-up; these calls take milliseconds.
//
//   node openstack-provision.mjs catalog   <config.json>   users, projects, roles, services, endpoints, limits
//   node openstack-provision.mjs image     <config.json>   a public raw image in Glance; prints its id
//   node openstack-provision.mjs flavor    <config.json>   flavor m1.tiny (id 1)
//   node openstack-provision.mjs compute   <config.json>   wait until placement lists the fake compute node
//   node openstack-provision.mjs k2k       <config.json>   Keystone-to-Keystone trust between IdP and SP
//
// config.json: { keystoneUrl, adminPassword, region, services: [{ name, type, url, user?, password? }],
//                demo: { project, user, password }, imageUrl?, computeUrl?, placementUrl?, computeHost? }
import { readFileSync } from 'node:fs';

const [command, configFile] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8'));
const keystone = `${config.keystoneUrl}/v3`;

async function call(method, url, { token, body, headers = {}, ok = [200, 201, 202, 204] } = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
      ...(token ? { 'x-auth-token': token } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!ok.includes(response.status)) {
    // Bodies of failed calls never echo passwords back, but keep the message short anyway.
    throw new Error(`${method} ${url} -> ${response.status}: ${text.slice(0, 300)}`);
  }
  return { status: response.status, headers: response.headers, json: text ? safeJson(text) : undefined };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function adminToken(base = keystone) {
  const { headers } = await call('POST', `${base}/auth/tokens?nocatalog`, {
    body: {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', domain: { id: 'default' }, password: config.adminPassword } },
        },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    },
  });
  return headers.get('x-subject-token');
}

async function findOrCreate(token, collection, key, filter, body, base = keystone) {
  const query = new URLSearchParams(filter).toString();
  const { json } = await call('GET', `${base}/${collection}?${query}`, { token });
  const found = json[collection][0];
  if (found) return found;
  const created = await call('POST', `${base}/${collection}`, { token, body: { [key]: body } });
  return created.json[key];
}

async function ensureUser(token, name, password, projectId) {
  const user = await findOrCreate(
    token,
    'users',
    'user',
    { name, domain_id: 'default' },
    { name, password, domain_id: 'default', default_project_id: projectId },
  );
  // Keep the password in step with the state dir's secrets if the user already existed, but only when it
  // differs: a password change revokes every token of the user, including those services hold and cache.
  const check = await call('POST', `${keystone}/auth/tokens?nocatalog`, {
    body: { auth: { identity: { methods: ['password'], password: { user: { id: user.id, password } } } } },
    ok: [201, 401],
  });
  if (check.status === 401) {
    await call('PATCH', `${keystone}/users/${user.id}`, { token, body: { user: { password } } });
  }
  return user;
}

async function grant(token, projectId, userId, roleId) {
  await call('PUT', `${keystone}/projects/${projectId}/users/${userId}/roles/${roleId}`, { token });
}

async function catalog() {
  const token = await adminToken();
  const region = config.region;
  const role = async (name) => findOrCreate(token, 'roles', 'role', { name }, { name });
  const [admin, member, reader, service, resellerAdmin] = await Promise.all(
    ['admin', 'member', 'reader', 'service', 'ResellerAdmin'].map(role),
  );
  const project = (name, description) =>
    findOrCreate(
      token,
      'projects',
      'project',
      { name, domain_id: 'default' },
      { name, description, domain_id: 'default' },
    );
  const serviceProject = await project('service', 'OpenStack service users');
  const demoProject = await project(config.demo.project, 'OCX demo project');
  const demoUser = await ensureUser(token, config.demo.user, config.demo.password, demoProject.id);
  await grant(token, demoProject.id, demoUser.id, member.id);
  await grant(token, demoProject.id, demoUser.id, reader.id);
  const adminUser = (await call('GET', `${keystone}/users?name=admin&domain_id=default`, { token })).json.users[0];
  const adminProject = (await call('GET', `${keystone}/projects?name=admin&domain_id=default`, { token })).json
    .projects[0];
  // The admin may act on Swift accounts of any project (account quotas need ResellerAdmin).
  await grant(token, adminProject.id, adminUser.id, resellerAdmin.id);
  await grant(token, demoProject.id, adminUser.id, admin.id);

  const serviceIds = {};
  for (const entry of config.services) {
    const svc = await findOrCreate(
      token,
      'services',
      'service',
      { type: entry.type },
      { name: entry.name, type: entry.type, enabled: true },
    );
    serviceIds[entry.type] = svc.id;
    const { json } = await call('GET', `${keystone}/endpoints?service_id=${svc.id}`, { token });
    for (const iface of ['public', 'internal', 'admin']) {
      const existing = json.endpoints.find((endpoint) => endpoint.interface === iface);
      if (existing && existing.url === entry.url) continue;
      if (existing) await call('DELETE', `${keystone}/endpoints/${existing.id}`, { token });
      await call('POST', `${keystone}/endpoints`, {
        token,
        body: { endpoint: { service_id: svc.id, interface: iface, url: entry.url, region_id: region, enabled: true } },
      });
    }
    if (entry.user) {
      const user = await ensureUser(token, entry.user, entry.password, serviceProject.id);
      await grant(token, serviceProject.id, user.id, admin.id);
      await grant(token, serviceProject.id, user.id, service.id);
    }
  }
  if (serviceIds.compute) await registeredLimits(token, serviceIds.compute, region);
  console.log(JSON.stringify({ demoProjectId: demoProject.id, adminProjectId: adminProject.id }));
}

// Unified limits: Keystone only stores them. Nova keeps its database quota driver (so os-quota-sets stays
// writable); these defaults exist so the SDK's unified-limits client has real data to read and override.
async function registeredLimits(token, serviceId, region) {
  const defaults = { servers: 10, 'class:VCPU': 20, 'class:MEMORY_MB': 51200, 'class:DISK_GB': 100 };
  const { json } = await call('GET', `${keystone}/registered_limits?service_id=${serviceId}`, { token });
  const missing = Object.entries(defaults).filter(
    ([name]) => !json.registered_limits.some((limit) => limit.resource_name === name),
  );
  if (missing.length === 0) return;
  await call('POST', `${keystone}/registered_limits`, {
    token,
    body: {
      registered_limits: missing.map(([resource_name, default_limit]) => ({
        service_id: serviceId,
        region_id: region,
        resource_name,
        default_limit,
      })),
    },
  });
}

async function image() {
  const token = await adminToken();
  const name = 'ocx-fake-image';
  const { json } = await call('GET', `${config.imageUrl}/v2/images?name=${name}`, { token });
  let found = json.images.find((candidate) => candidate.status === 'active');
  if (!found) {
    const created = await call('POST', `${config.imageUrl}/v2/images`, {
      token,
      body: { name, disk_format: 'raw', container_format: 'bare', visibility: 'public', min_disk: 0, min_ram: 0 },
    });
    await call('PUT', `${config.imageUrl}/v2/images/${created.json.id}/file`, {
      token,
      body: new Uint8Array(1024 * 1024),
      headers: { 'content-type': 'application/octet-stream' },
    });
    found = created.json;
  }
  console.log(found.id);
}

async function flavor() {
  const token = await adminToken();
  const existing = await call('GET', `${config.computeUrl}/flavors/1`, { token, ok: [200, 404] });
  if (existing.status === 404) {
    await call('POST', `${config.computeUrl}/flavors`, {
      token,
      body: { flavor: { name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1, id: '1', 'os-flavor-access:is_public': true } },
    });
  }
  console.log('m1.tiny');
}

async function compute() {
  const token = await adminToken();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { json } = await call('GET', `${config.placementUrl}/resource_providers?name=${config.computeHost}`, {
      token,
      headers: { 'openstack-api-version': 'placement 1.10' },
    });
    if (json.resource_providers.length > 0) {
      console.log(json.resource_providers[0].uuid);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`compute host ${config.computeHost} never registered in placement`);
}

// Keystone-to-Keystone: the SP Keystone trusts the IdP Keystone (identity provider + mapping + saml2 protocol),
// and the IdP Keystone knows the SP (service provider with its ECP and auth URLs).
async function k2k() {
  const { spKeystoneUrl, spIdpId, idpEntityId, spId, spEcpUrl, spAuthUrl } = config.k2k;
  const sp = `${spKeystoneUrl}/v3`;
  const spToken = await adminToken(sp);
  const spFind = (collection, key, filter, body) => findOrCreate(spToken, collection, key, filter, body, sp);
  const member = await spFind('roles', 'role', { name: 'member' }, { name: 'member' });
  const group = await spFind(
    'groups',
    'group',
    { name: 'k2k-users', domain_id: 'default' },
    {
      name: 'k2k-users',
      domain_id: 'default',
    },
  );
  const project = await spFind(
    'projects',
    'project',
    { name: 'k2k-demo', domain_id: 'default' },
    {
      name: 'k2k-demo',
      domain_id: 'default',
    },
  );
  await call('PUT', `${sp}/projects/${project.id}/groups/${group.id}/roles/${member.id}`, { token: spToken });
  const mapping = {
    mapping: {
      rules: [
        {
          local: [{ user: { name: '{0}' } }, { group: { id: group.id } }],
          remote: [{ type: 'openstack_user' }],
        },
      ],
    },
  };
  const federation = `${sp}/OS-FEDERATION`;
  const existing = await call('GET', `${federation}/mappings/ocx-k2k-mapping`, { token: spToken, ok: [200, 404] });
  await call(existing.status === 404 ? 'PUT' : 'PATCH', `${federation}/mappings/ocx-k2k-mapping`, {
    token: spToken,
    body: mapping,
  });
  const idp = await call('GET', `${federation}/identity_providers/${spIdpId}`, { token: spToken, ok: [200, 404] });
  if (idp.status === 404) {
    await call('PUT', `${federation}/identity_providers/${spIdpId}`, {
      token: spToken,
      body: { identity_provider: { remote_ids: [idpEntityId], enabled: true, description: 'the OCX IdP Keystone' } },
    });
  }
  const protocol = `${federation}/identity_providers/${spIdpId}/protocols/saml2`;
  const hasProtocol = await call('GET', protocol, { token: spToken, ok: [200, 404] });
  if (hasProtocol.status === 404) {
    await call('PUT', protocol, { token: spToken, body: { protocol: { mapping_id: 'ocx-k2k-mapping' } } });
  }
  const idpToken = await adminToken();
  const body = { service_provider: { auth_url: spAuthUrl, sp_url: spEcpUrl, enabled: true } };
  const registered = await call('GET', `${keystone}/OS-FEDERATION/service_providers/${spId}`, {
    token: idpToken,
    ok: [200, 404],
  });
  await call(registered.status === 404 ? 'PUT' : 'PATCH', `${keystone}/OS-FEDERATION/service_providers/${spId}`, {
    token: idpToken,
    body,
  });
  console.log(project.id);
}

const commands = { catalog, image, flavor, compute, k2k };
if (!commands[command]) {
  console.error(`usage: openstack-provision.mjs ${Object.keys(commands).join('|')} <config.json>`);
  process.exit(2);
}
commands[command]().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
