import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { describe, expect, it } from 'vitest';
import { rgwAdminRequest } from './rgw-admin-request.js';
import { loadServiceEnv, swiftInstances } from './service-env.js';

// Smoke tests of the real services that scripts/services/{openstack,ceph,swift}.sh start: each group runs when
// its env file (or OCX_* variables) is present. Outside CI a missing group is skipped with the reason below; in
// CI (CI=true) it fails, because CI starts them all with scripts/services/up.sh first.
const env = loadServiceEnv();
const inCi = process.env.CI === 'true';
const openstackUp = Boolean(env.OCX_KEYSTONE_URL && env.OCX_OS_PASSWORD);
const cephUp = Boolean(env.OCX_RGW_URL && env.OCX_RGW_SECRET_KEY);
const swifts = swiftInstances(env);
const notUp = (what: string, script: string) =>
  `${what} is not running here (no env file or OCX_* variables): start it with \`bash scripts/services/${script} start\``;

/** describe() that runs when `up`, fails in CI when not, and is skipped with `reason` otherwise. */
function servicesGroup(name: string, up: boolean, reason: string, body: () => void): void {
  if (up) {
    // Real services on two shared cores: a single Keystone call has taken 5 s under load.
    describe(name, { timeout: 60_000 }, body);
  } else if (inCi) {
    describe(name, () => {
      it('is running in CI', () => {
        expect.fail(`${reason} (CI must run scripts/services/up.sh before the tests)`);
      });
    });
  } else {
    describe.skip(`${name} — skipped: ${reason}`, body);
  }
}

async function poll<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${seconds}s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface CatalogEntry {
  type: string;
  endpoints: { interface: string; url: string }[];
}

async function keystoneToken(username: string, password: string, project: string) {
  const response = await fetch(`${env.OCX_KEYSTONE_URL}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: username, domain: { id: 'default' }, password } },
        },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { token: { project: { id: string }; catalog: CatalogEntry[] } };
  const token = response.headers.get('x-subject-token');
  expect(token).toBeTruthy();
  const publicUrl = (type: string) =>
    body.token.catalog.find((entry) => entry.type === type)?.endpoints.find((e) => e.interface === 'public')?.url;
  return { token: token!, projectId: body.token.project.id, catalog: body.token.catalog, publicUrl };
}

servicesGroup('OpenStack (openstack.sh)', openstackUp, notUp('OpenStack', 'openstack.sh'), () => {
  const services = (env.OCX_OS_SERVICES ?? '').split(',');
  /** `it` for a case that needs one service: skipped with the reason when it was not started. */
  const itWithService =
    (service: string) =>
    (name: string, body: () => Promise<void>, timeout?: number): void => {
      it(name, { timeout }, async (context) => {
        if (!services.includes(service)) {
          context.skip(
            `OpenStack was started without ${service}: bash scripts/services/openstack.sh start --services …,${service}`,
          );
          return;
        }
        await body();
      });
    };

  it('Keystone issues a project-scoped token whose catalog lists every started service', async () => {
    const admin = await keystoneToken(env.OCX_OS_USERNAME!, env.OCX_OS_PASSWORD!, env.OCX_OS_PROJECT!);
    const types = admin.catalog.map((entry) => entry.type);
    const expected = ['identity'];
    if (services.includes('swift')) expected.push('object-store');
    if (services.includes('glance')) expected.push('image');
    if (services.includes('nova')) expected.push('compute', 'placement', 'network');
    if (services.includes('cinder')) expected.push('volumev3');
    expect(types).toEqual(expect.arrayContaining(expected));
  });

  it('Keystone serves unified limits and lets a user create and use an application credential', async () => {
    const admin = await keystoneToken(env.OCX_OS_USERNAME!, env.OCX_OS_PASSWORD!, env.OCX_OS_PROJECT!);
    const model = await fetch(`${env.OCX_KEYSTONE_URL}/limits/model`, { headers: { 'x-auth-token': admin.token } });
    expect(model.status).toBe(200);
    expect(await model.json()).toMatchObject({ model: { name: 'flat' } });

    const demo = await keystoneToken(env.OCX_OS_DEMO_USERNAME!, env.OCX_OS_DEMO_PASSWORD!, env.OCX_OS_DEMO_PROJECT!);
    const userId = (
      (await (
        await fetch(`${env.OCX_KEYSTONE_URL}/auth/tokens`, {
          headers: { 'x-auth-token': demo.token, 'x-subject-token': demo.token },
        })
      ).json()) as { token: { user: { id: string } } }
    ).token.user.id;
    const created = await fetch(`${env.OCX_KEYSTONE_URL}/users/${userId}/application_credentials`, {
      method: 'POST',
      headers: { 'x-auth-token': demo.token, 'content-type': 'application/json' },
      body: JSON.stringify({ application_credential: { name: `smoke-${Date.now()}` } }),
    });
    expect(created.status).toBe(201);
    const credential = ((await created.json()) as { application_credential: { id: string; secret: string } })
      .application_credential;
    try {
      const auth = await fetch(`${env.OCX_KEYSTONE_URL}/auth/tokens?nocatalog`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          auth: {
            identity: {
              methods: ['application_credential'],
              application_credential: { id: credential.id, secret: credential.secret },
            },
          },
        }),
      });
      expect(auth.status).toBe(201);
      const body = (await auth.json()) as { token: { project: { id: string } } };
      expect(body.token.project.id).toBe(demo.projectId);
    } finally {
      await fetch(`${env.OCX_KEYSTONE_URL}/users/${userId}/application_credentials/${credential.id}`, {
        method: 'DELETE',
        headers: { 'x-auth-token': demo.token },
      });
    }
  });

  itWithService('k2k')(
    'Keystone-to-Keystone: an ECP assertion from this Keystone becomes a token of the SP Keystone',
    async () => {
      const admin = await keystoneToken(env.OCX_OS_USERNAME!, env.OCX_OS_PASSWORD!, env.OCX_OS_PROJECT!);
      const ecp = await fetch(`${env.OCX_KEYSTONE_URL}/auth/OS-FEDERATION/saml2/ecp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          auth: {
            identity: { methods: ['token'], token: { id: admin.token } },
            scope: { service_provider: { id: env.OCX_K2K_SERVICE_PROVIDER_ID } },
          },
        }),
      });
      expect(ecp.status).toBe(200);
      const spUrl = ecp.headers.get('x-sp-url')!;
      const authUrl = ecp.headers.get('x-auth-url')!;
      expect(authUrl.startsWith(env.OCX_KEYSTONE_SP_URL!)).toBe(true);
      // The SP's Shibboleth takes the assertion (PAOS) and answers with a session cookie and a redirect.
      const session = await fetch(spUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.paos+xml' },
        body: await ecp.text(),
        redirect: 'manual',
      });
      expect([302, 303]).toContain(session.status);
      const cookie = session.headers
        .getSetCookie()
        .map((line) => line.split(';')[0])
        .join('; ');
      expect(cookie).toMatch(/_shibsession_/);
      const unscoped = await fetch(authUrl, { headers: { cookie } });
      expect(unscoped.status).toBe(201);
      const token = unscoped.headers.get('x-subject-token')!;
      const body = (await unscoped.json()) as { token: { methods: string[]; user: { name: string } } };
      expect(body.token).toMatchObject({ methods: ['saml2'], user: { name: env.OCX_OS_USERNAME } });
      const projects = await fetch(`${env.OCX_KEYSTONE_SP_URL}/auth/projects`, { headers: { 'x-auth-token': token } });
      expect(projects.status).toBe(200);
      const { projects: list } = (await projects.json()) as { projects: { name: string }[] };
      expect(list.map((project) => project.name)).toContain(env.OCX_K2K_SP_PROJECT);
    },
    60_000,
  );

  itWithService('swift')('Swift (keystoneauth) answers HEAD on the project account', async () => {
    const admin = await keystoneToken(env.OCX_OS_USERNAME!, env.OCX_OS_PASSWORD!, env.OCX_OS_PROJECT!);
    const storageUrl = admin.publicUrl('object-store');
    expect(storageUrl).toBe(`${env.OCX_SWIFT_URL}/v1/AUTH_${admin.projectId}`);
    const response = await fetch(storageUrl!, { method: 'HEAD', headers: { 'x-auth-token': admin.token } });
    expect([200, 204]).toContain(response.status);
    expect(response.headers.get('x-account-bytes-used')).toMatch(/^\d+$/);
    const anonymous = await fetch(storageUrl!, { method: 'HEAD' });
    expect(anonymous.status).toBe(401);
  });

  itWithService('glance')('Glance lists the public test image as active', async () => {
    const demo = await keystoneToken(env.OCX_OS_DEMO_USERNAME!, env.OCX_OS_DEMO_PASSWORD!, env.OCX_OS_DEMO_PROJECT!);
    const response = await fetch(`${env.OCX_GLANCE_URL}/v2/images?visibility=public`, {
      headers: { 'x-auth-token': demo.token },
    });
    expect(response.status).toBe(200);
    const { images } = (await response.json()) as { images: { id: string; status: string }[] };
    expect(images).toContainEqual(expect.objectContaining({ id: env.OCX_OS_IMAGE_ID, status: 'active' }));
  });

  itWithService('nova')(
    'Nova boots a fake server, reports it in os-simple-tenant-usage, and deletes it',
    async () => {
      const demo = await keystoneToken(env.OCX_OS_DEMO_USERNAME!, env.OCX_OS_DEMO_PASSWORD!, env.OCX_OS_DEMO_PROJECT!);
      const headers = { 'x-auth-token': demo.token, 'openstack-api-version': 'compute 2.79' };
      const start = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
      const created = await fetch(`${env.OCX_NOVA_URL}/servers`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          server: { name: `smoke-${Date.now()}`, imageRef: env.OCX_OS_IMAGE_ID, flavorRef: '1', networks: 'none' },
        }),
      });
      expect(created.status).toBe(202);
      const serverId = ((await created.json()) as { server: { id: string } }).server.id;
      try {
        const status = await poll('server ACTIVE', 120, async () => {
          const response = await fetch(`${env.OCX_NOVA_URL}/servers/${serverId}`, { headers });
          const { server } = (await response.json()) as { server: { status: string } };
          return server.status === 'ACTIVE' || server.status === 'ERROR' ? server.status : undefined;
        });
        expect(status).toBe('ACTIVE');
        // The usage API lists a new server a fraction of a second after it turns ACTIVE.
        const usage = await poll('server in tenant usage', 30, async () => {
          const response = await fetch(`${env.OCX_NOVA_URL}/os-simple-tenant-usage/${demo.projectId}?start=${start}`, {
            headers,
          });
          expect(response.status).toBe(200);
          const body = (await response.json()) as {
            tenant_usage: { server_usages?: { instance_id: string; vcpus: number; memory_mb: number }[] };
          };
          return body.tenant_usage.server_usages?.find((entry) => entry.instance_id === serverId);
        });
        expect(usage).toMatchObject({ vcpus: 1, memory_mb: 512 });
      } finally {
        const deleted = await fetch(`${env.OCX_NOVA_URL}/servers/${serverId}`, { method: 'DELETE', headers });
        expect(deleted.status).toBe(204);
      }
      await poll('server deleted', 60, async () => {
        const response = await fetch(`${env.OCX_NOVA_URL}/servers/${serverId}`, { headers });
        return response.status === 404 ? true : undefined;
      });
    },
    240_000,
  );

  itWithService('neutron')('Neutron (real neutron-server) lists networks and project quotas', async () => {
    const admin = await keystoneToken(env.OCX_OS_USERNAME!, env.OCX_OS_PASSWORD!, env.OCX_OS_PROJECT!);
    const networks = await fetch(`${env.OCX_NEUTRON_URL}/v2.0/networks`, {
      headers: { 'x-auth-token': admin.token },
    });
    expect(networks.status).toBe(200);
    const quotas = await fetch(`${env.OCX_NEUTRON_URL}/v2.0/quotas/${admin.projectId}/details.json`, {
      headers: { 'x-auth-token': admin.token },
    });
    expect(quotas.status).toBe(200);
    const body = (await quotas.json()) as { quota: { network: { limit: number; used: number } } };
    expect(body.quota.network).toMatchObject({ limit: expect.any(Number), used: expect.any(Number) });
  });

  itWithService('cinder')('Cinder reports quota usage and the volume summary', async () => {
    const demo = await keystoneToken(env.OCX_OS_DEMO_USERNAME!, env.OCX_OS_DEMO_PASSWORD!, env.OCX_OS_DEMO_PROJECT!);
    const headers = { 'x-auth-token': demo.token, 'openstack-api-version': 'volume 3.12' };
    const base = `${env.OCX_CINDER_URL}/${demo.projectId}`;
    const quotas = await fetch(`${base}/os-quota-sets/${demo.projectId}?usage=True`, { headers });
    expect(quotas.status).toBe(200);
    const { quota_set } = (await quotas.json()) as { quota_set: { volumes: { limit: number; in_use: number } } };
    expect(quota_set.volumes).toMatchObject({ limit: expect.any(Number), in_use: expect.any(Number) });
    const summary = await fetch(`${base}/volumes/summary`, { headers });
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ 'volume-summary': { total_count: expect.any(Number) } });
  });
});

/** GET/POST over HTTPS, trusting only the dashboard's own self-signed certificate. */
function dashboardRequest(method: string, path: string, headers: Record<string, string>, body?: string) {
  const url = new URL(path, env.OCX_CEPH_DASHBOARD_URL);
  const ca = readFileSync(env.OCX_CEPH_DASHBOARD_CA_FILE!);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca, timeout: 15_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`dashboard ${method} ${path} timed out`)));
    req.end(body);
  });
}

servicesGroup('Ceph (ceph.sh)', cephUp, notUp('Ceph', 'ceph.sh'), () => {
  const admin = () => ({ accessKeyId: env.OCX_RGW_ACCESS_KEY!, secretAccessKey: env.OCX_RGW_SECRET_KEY! });

  it('RGW Admin Ops: GET /admin/user signed with SigV4 returns the tenant user', async () => {
    const response = await rgwAdminRequest(env.OCX_RGW_URL!, admin(), 'GET', '/admin/user', {
      uid: env.OCX_RGW_TENANT_UID!,
    });
    expect(response.status).toBe(200);
    const user = (await response.json()) as { user_id: string; keys: { access_key: string }[] };
    expect(user.user_id).toBe(env.OCX_RGW_TENANT_UID);
    expect(user.keys.map((key) => key.access_key)).toContain(env.OCX_RGW_TENANT_ACCESS_KEY);
  });

  it('RGW Admin Ops refuses a user without admin caps (403) and a bad signature', async () => {
    const tenant = { accessKeyId: env.OCX_RGW_TENANT_ACCESS_KEY!, secretAccessKey: env.OCX_RGW_TENANT_SECRET_KEY! };
    const denied = await rgwAdminRequest(env.OCX_RGW_URL!, tenant, 'GET', '/admin/user', {
      uid: env.OCX_RGW_ADMIN_UID!,
    });
    expect(denied.status).toBe(403);
    const forged = { ...admin(), secretAccessKey: `${env.OCX_RGW_SECRET_KEY}x` };
    const badSignature = await rgwAdminRequest(env.OCX_RGW_URL!, forged, 'GET', '/admin/user', { uid: 'x' });
    expect(badSignature.status).toBe(403);
  });

  it('the dashboard logs in over HTTPS and lists the RBD image', async () => {
    const login = await dashboardRequest(
      'POST',
      '/api/auth',
      { 'content-type': 'application/json', accept: 'application/vnd.ceph.api.v1.0+json' },
      JSON.stringify({ username: env.OCX_CEPH_DASHBOARD_USERNAME, password: env.OCX_CEPH_DASHBOARD_PASSWORD }),
    );
    expect(login.status).toBe(201);
    const { token } = JSON.parse(login.body) as { token: string };
    const images = await dashboardRequest('GET', `/api/block/image?pool_name=${env.OCX_CEPH_RBD_POOL}`, {
      authorization: `Bearer ${token}`,
      accept: 'application/vnd.ceph.api.v2.0+json',
    });
    expect(images.status).toBe(200);
    const pools = JSON.parse(images.body) as { pool_name: string; value: { name: string; size: number }[] }[];
    const image = pools.flatMap((pool) => pool.value).find((entry) => entry.name === env.OCX_CEPH_RBD_IMAGE);
    expect(image?.size).toBe(64 * 1024 * 1024);
  });
});

servicesGroup(
  'independent tempauth Swifts (swift.sh)',
  swifts.length >= 2,
  notUp('Two swift.sh instances are', 'swift.sh --instance a --port 8090'),
  () => {
    it.each(swifts)('Swift instance %s authenticates with tempauth and serves its own account', async (name) => {
      const auth = await fetch(env[`OCX_SWIFT_${name}_AUTH_URL`]!, {
        headers: { 'x-auth-user': env[`OCX_SWIFT_${name}_USER`]!, 'x-auth-key': env[`OCX_SWIFT_${name}_KEY`]! },
      });
      expect(auth.status).toBe(200);
      const storageUrl = auth.headers.get('x-storage-url');
      expect(storageUrl).toBe(`${env[`OCX_SWIFT_${name}_URL`]}/v1/${env[`OCX_SWIFT_${name}_ACCOUNT`]}`);
      const head = await fetch(storageUrl!, {
        method: 'HEAD',
        headers: { 'x-auth-token': auth.headers.get('x-auth-token')! },
      });
      expect([200, 204]).toContain(head.status);
    });

    it('the instances are independent: a container made in one is absent from the others', async () => {
      const sessions = await Promise.all(
        swifts.map(async (name) => {
          const auth = await fetch(env[`OCX_SWIFT_${name}_AUTH_URL`]!, {
            headers: { 'x-auth-user': env[`OCX_SWIFT_${name}_USER`]!, 'x-auth-key': env[`OCX_SWIFT_${name}_KEY`]! },
          });
          return { url: auth.headers.get('x-storage-url')!, token: auth.headers.get('x-auth-token')! };
        }),
      );
      const container = `smoke-${Date.now()}`;
      const [first, ...others] = sessions;
      const put = await fetch(`${first!.url}/${container}`, {
        method: 'PUT',
        headers: { 'x-auth-token': first!.token },
      });
      expect(put.status).toBe(201);
      try {
        for (const other of others) {
          const head = await fetch(`${other.url}/${container}`, {
            method: 'HEAD',
            headers: { 'x-auth-token': other.token },
          });
          expect(head.status).toBe(404);
        }
      } finally {
        await fetch(`${first!.url}/${container}`, { method: 'DELETE', headers: { 'x-auth-token': first!.token } });
      }
    });
  },
);
