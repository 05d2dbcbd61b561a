/**
 * The loopback OpenStack the `openstack` bench collects from: Keystone (token + catalog, the
 * exchange's projects) and Nova (version document, `os-simple-tenant-usage` with 2.40 paging).
 * Response shapes are those of the real Zed services (see packages/driver-openstack/src/__fixtures__).
 * Servers are generated from their index page by page, so the server holds none of them in
 * memory and its own size does not depend on N. Controlled over IPC by index.mjs:
 * `{ start: { projects } }` → `{ ready: { url } }`; `{ reset: { servers } }` → `{ resetDone: { requests } }`.
 */
import { createServer } from 'node:http';

const HOUR = 3_600_000;
let servers = 0;
let requests = 0;
let projects = [];
let origin = '';

const projectId = (index) => `${index.toString(16).padStart(8, '0')}b7e54f0ca1b2c3d4e5f60718293a4b5c`.slice(0, 32);
const instanceId = (index) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
const nova = (ms) => `${new Date(ms).toISOString().slice(0, 23)}000`;

function send(response, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function serverUsage(index, start, end) {
  const vcpus = 1 + (index % 8);
  const memory = 512 * (1 + (index % 16));
  const started = start - HOUR + (index % 60) * 1000;
  const hours = (end - start) / HOUR;
  return {
    hours,
    flavor: `bench.f${index % 16}`,
    instance_id: instanceId(index),
    name: `bench-${index}`,
    tenant_id: projects[index % projects.length],
    memory_mb: memory,
    local_gb: 1,
    vcpus,
    started_at: nova(started),
    ended_at: null,
    state: 'active',
    uptime: Math.round((end - started) / 1000),
  };
}

function usagePage(url) {
  const start = Date.parse(`${url.searchParams.get('start')}Z`);
  const end = Date.parse(`${url.searchParams.get('end')}Z`);
  const limit = Number(url.searchParams.get('limit') ?? 1000);
  const marker = url.searchParams.get('marker');
  const from = marker === null ? 0 : Number.parseInt(marker.slice(-12), 16) + 1;
  const to = Math.min(servers, from + limit);
  const byTenant = new Map();
  for (let index = from; index < to; index += 1) {
    const usage = serverUsage(index, start, end);
    const list = byTenant.get(usage.tenant_id) ?? [];
    list.push(usage);
    byTenant.set(usage.tenant_id, list);
  }
  const tenantUsages = [...byTenant].map(([tenant, list]) => ({
    tenant_id: tenant,
    server_usages: list,
    total_local_gb_usage: list.reduce((sum, usage) => sum + usage.hours * usage.local_gb, 0),
    total_vcpus_usage: list.reduce((sum, usage) => sum + usage.hours * usage.vcpus, 0),
    total_memory_mb_usage: list.reduce((sum, usage) => sum + usage.hours * usage.memory_mb, 0),
    total_hours: list.reduce((sum, usage) => sum + usage.hours, 0),
    start: nova(start),
    stop: nova(end),
  }));
  const body = { tenant_usages: tenantUsages };
  if (to - from === limit && to <= servers) {
    const next = new URL(url.href);
    next.searchParams.set('marker', instanceId(to - 1));
    body.tenant_usages_links = [{ rel: 'next', href: `${origin}${next.pathname}${next.search}` }];
  }
  return body;
}

const server = createServer((request, response) => {
  requests += 1;
  const url = new URL(request.url, 'http://bench');
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    if (request.method === 'POST' && url.pathname === '/identity/v3/auth/tokens') {
      const endpoint = (type, path) => ({
        type,
        id: type,
        endpoints: [
          { id: type, interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: `${origin}${path}` },
        ],
      });
      return send(
        response,
        201,
        {
          token: {
            methods: ['password'],
            user: { id: 'bench-admin', name: 'admin', domain: { id: 'default', name: 'Default' } },
            project: { id: 'admin-project', name: 'admin', domain: { id: 'default', name: 'Default' } },
            roles: [{ id: 'r1', name: 'admin' }],
            expires_at: new Date(Date.now() + HOUR).toISOString(),
            issued_at: new Date().toISOString(),
            catalog: [endpoint('identity', '/identity/v3'), endpoint('compute', '/compute/v2.1')],
          },
        },
        { 'x-subject-token': 'gAAAAABbenchtoken' },
      );
    }
    if (request.headers['x-auth-token'] !== 'gAAAAABbenchtoken')
      return send(response, 401, { error: { code: 401, title: 'Unauthorized' } });
    if (url.pathname === '/identity/v3/projects') {
      return send(response, 200, {
        projects: projects.map((id, index) => ({
          id,
          name: `bench-project-${index}`,
          domain_id: 'default',
          enabled: true,
          description: '',
          tags: ['ocx', 'ocx-org:bench-org'],
          is_domain: false,
          parent_id: 'default',
          options: {},
          links: {},
        })),
        links: { next: null, self: `${origin}/identity/v3/projects`, previous: null },
      });
    }
    if (url.pathname === '/compute/v2.1/' || url.pathname === '/compute/v2.1') {
      return send(response, 200, {
        version: {
          id: 'v2.1',
          status: 'CURRENT',
          version: '2.93',
          min_version: '2.1',
          updated: '2013-07-23T11:33:21Z',
          links: [],
        },
      });
    }
    if (url.pathname === '/compute/v2.1/os-simple-tenant-usage') return send(response, 200, usagePage(url));
    send(response, 404, { itemNotFound: { code: 404, message: `no route for ${url.pathname}` } });
  });
});

process.on('message', (message) => {
  if (message.start) {
    projects = Array.from({ length: message.start.projects }, (_value, index) => projectId(index));
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${server.address().port}`;
      process.send({ ready: { url: origin } });
    });
  } else if (message.reset) {
    const previous = requests;
    servers = message.reset.servers;
    requests = 0;
    process.send({ resetDone: { requests: previous } });
  } else if (message.stop) {
    server.close(() => process.exit(0));
  }
});
