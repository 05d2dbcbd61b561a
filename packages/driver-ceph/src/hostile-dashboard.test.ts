import { runHostileBackendSuite } from '@ocx/core/testing';
import { createCephDashboardClient } from './dashboard/dashboard-client.js';

const PASSWORD = 'hostile-dashboard-password-0042';
/** A JWT as the dashboard issues it (with `exp`): the token is a secret too. */
const TOKEN = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(
  JSON.stringify({ iss: 'ceph-dashboard', exp: 4102444800, username: 'ocx-admin' }),
).toString('base64url')}.hostile-dashboard-token-signature`;

const image = (name: string) => ({
  name,
  pool_name: 'rbd',
  namespace: null,
  id: `id-${name}`,
  size: 1073741824,
  disk_usage: 4096,
  features_name: ['fast-diff'],
});

const dashboardProbes = (dashboard: ReturnType<typeof createCephDashboardClient>) => ({
  listPools: { run: () => dashboard.listPools({ stats: true }) },
  getImage: { run: () => dashboard.getImage('rbd', 'vm-disk-1') },
  listImages: {
    run: async () => {
      const images: unknown[] = [];
      for await (const found of dashboard.listImages({ pool: 'rbd' })) images.push(found);
      return images;
    },
  },
});

// The dashboard login itself (`POST /api/auth` with the password) answered by a hostile server:
// every call logs in first, so each probe meets the hostile answer at the login.
runHostileBackendSuite({
  name: 'ceph dashboard login',
  probes: ['listPools', 'getImage', 'listImages'],
  connect: ({ url, timeoutMs, logger }) => {
    const dashboard = createCephDashboardClient({
      endpoint: url,
      username: 'ocx-admin',
      password: PASSWORD,
      timeoutMs,
      logger,
      pageSize: 2,
    });
    return { secrets: [PASSWORD], probes: dashboardProbes(dashboard), close: () => dashboard.close() };
  },
});

// An honest login, then hostile API calls: the password and the token are both at stake.
runHostileBackendSuite({
  name: 'ceph dashboard api',
  probes: ['listPools', 'getImage', 'listImages'],
  honest: (request, response) => {
    if (request.method !== 'POST' || new URL(request.url ?? '/', 'http://dashboard').pathname !== '/api/auth')
      return false;
    response.writeHead(201, { 'content-type': 'application/vnd.ceph.api.v1.0+json' });
    response.end(JSON.stringify({ token: TOKEN, username: 'ocx-admin', permissions: { pool: ['read'] } }));
    return true;
  },
  connect: ({ url, timeoutMs, logger }) => {
    const dashboard = createCephDashboardClient({
      endpoint: url,
      username: 'ocx-admin',
      password: PASSWORD,
      timeoutMs,
      logger,
      pageSize: 2,
    });
    return { secrets: [PASSWORD, TOKEN], probes: dashboardProbes(dashboard), close: () => dashboard.close() };
  },
  // The image listing pages by offset and X-Total-Count: a hostile dashboard claims many more
  // images than it has and answers every offset with the same page.
  listing: {
    probe: 'listImages',
    page: () => ({
      body: [{ pool_name: 'rbd', value: [image('vm-disk-1'), image('vm-disk-2')] }],
      headers: { 'x-total-count': '1000000000' },
    }),
  },
});
