import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type TestServer } from '@ocx/core/simulation';
import { acceptedToken, type FakeServerUsage, type FakeState, queryOf } from './fake-state.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string, match: RegExpExecArray) => void;

const NOVA_DEFAULTS = {
  cores: 20,
  ram: 51200,
  instances: 10,
  key_pairs: 100,
  metadata_items: 128,
  server_groups: 10,
  server_group_members: 10,
};
const parseNova = (text: string): number => Date.parse(/Z$/.test(text) ? text : `${text}Z`);

/** Nova's hours for a server over [start, end): its launched time overlapping the window, as a float. */
function hoursOf(server: FakeServerUsage, start: number, end: number): number {
  const from = Math.max(parseNova(server.started_at), start);
  const to = Math.min(server.ended_at === null ? end : parseNova(server.ended_at), end);
  return Math.max(0, to - from) / 3_600_000;
}

/** Group one page of servers by project with that page's totals, as Nova 2.40 does. */
export function usagePage(servers: readonly FakeServerUsage[], start: number, end: number): unknown[] {
  const byTenant = new Map<string, FakeServerUsage[]>();
  for (const server of servers) byTenant.set(server.tenant_id, [...(byTenant.get(server.tenant_id) ?? []), server]);
  return [...byTenant].map(([tenant, list]) => {
    const lines = list.map((server) => ({ ...server, hours: hoursOf(server, start, end), uptime: 0 }));
    return {
      tenant_id: tenant,
      server_usages: lines,
      total_hours: lines.reduce((sum, line) => sum + line.hours, 0),
      total_vcpus_usage: lines.reduce((sum, line) => sum + line.hours * line.vcpus, 0),
      total_memory_mb_usage: lines.reduce((sum, line) => sum + line.hours * line.memory_mb, 0),
      total_local_gb_usage: lines.reduce((sum, line) => sum + line.hours * line.local_gb, 0),
      start: new Date(start).toISOString().slice(0, -1),
      stop: new Date(end).toISOString().slice(0, -1),
    };
  });
}

/** Register the fake Nova under `/compute/v2.1` (version document, usage with 2.40 paging, quotas, servers, actions). */
export function registerFakeNova(
  server: TestServer,
  state: FakeState,
  now: () => number,
  options: { maxMicroversion?: string } = {},
): void {
  const route = (method: string, path: RegExp, handler: Handler) =>
    server.route(method, path, (request, response, body) => {
      const token = request.headers['x-auth-token'];
      const pathname = new URL(request.url ?? '/', 'http://fake').pathname;
      state.log.push({ method, path: pathname, token: Array.isArray(token) ? token[0] : token });
      if (acceptedToken(state, request, now()) === undefined) return sendJson(response, 401, { error: 'Unauthorized' });
      handler(request, response, body, path.exec(pathname)!);
    });
  const base = `${server.url}/compute/v2.1`;

  route('GET', /^\/compute\/v2\.1\/?$/, (_request, response) =>
    sendJson(response, 200, {
      version: {
        id: 'v2.1',
        status: 'CURRENT',
        version: options.maxMicroversion ?? '2.93',
        min_version: '2.1',
        updated: '2013-07-23T11:33:21Z',
        links: [],
      },
    }),
  );

  route('GET', /^\/compute\/v2\.1\/os-simple-tenant-usage(?:\/([^/]+))?$/, (request, response, _body, match) => {
    const query = queryOf(request);
    const start = parseNova(query.get('start')!);
    const end = Math.min(parseNova(query.get('end')!), now());
    const limit = Number(query.get('limit') ?? 1000);
    const tenant = match[1];
    const all = state.serverUsages.filter(
      (usage) => (tenant === undefined || usage.tenant_id === tenant) && hoursOf(usage, start, end) > 0,
    );
    const from = query.has('marker') ? all.findIndex((usage) => usage.instance_id === query.get('marker')) + 1 : 0;
    const page = all.slice(from, from + limit);
    const next =
      page.length === limit
        ? [
            {
              rel: 'next',
              href: `${base}/os-simple-tenant-usage${tenant ? `/${tenant}` : ''}?detailed=1&end=${query.get('end')}&limit=${limit}&marker=${page.at(-1)!.instance_id}&start=${query.get('start')}`,
            },
          ]
        : undefined;
    const entries = usagePage(page, start, end);
    if (tenant !== undefined)
      return sendJson(response, 200, { tenant_usage: entries[0] ?? {}, ...(next ? { tenant_usage_links: next } : {}) });
    sendJson(response, 200, { tenant_usages: entries, ...(next ? { tenant_usages_links: next } : {}) });
  });

  const quotas = (project: string) => {
    let set = state.novaQuotas.get(project);
    if (set === undefined) {
      set = Object.fromEntries(
        Object.entries(NOVA_DEFAULTS).map(([key, limit]) => [key, { limit, in_use: 0, reserved: 0 }]),
      );
      state.novaQuotas.set(project, set);
    }
    return set;
  };
  route('GET', /^\/compute\/v2\.1\/os-quota-sets\/([^/]+)\/detail$/, (_request, response, _body, match) =>
    sendJson(response, 200, { quota_set: { id: match[1], ...quotas(match[1]!) } }),
  );
  route('PUT', /^\/compute\/v2\.1\/os-quota-sets\/([^/]+)$/, (_request, response, body, match) => {
    const set = quotas(match[1]!);
    for (const [key, value] of Object.entries(JSON.parse(body).quota_set as Record<string, number>)) {
      const current = set[key];
      if (current === undefined)
        return sendJson(response, 400, {
          badRequest: {
            code: 400,
            message: `Invalid input for field/attribute quota_set. Additional properties are not allowed ('${key}' was unexpected)`,
          },
        });
      if (value !== -1 && value < current.in_use + current.reserved) {
        return sendJson(response, 400, {
          badRequest: {
            code: 400,
            message: `Quota limit ${value} for ${key} must be greater than or equal to already used and reserved ${current.in_use + current.reserved}.`,
          },
        });
      }
      current.limit = value;
    }
    sendJson(response, 200, {
      quota_set: Object.fromEntries(Object.entries(set).map(([key, detail]) => [key, detail.limit])),
    });
  });

  route('GET', /^\/compute\/v2\.1\/servers\/detail$/, (request, response) => {
    const project = queryOf(request).get('project_id');
    const servers = state.serverUsages
      .filter((usage) => usage.ended_at === null && (project === null || usage.tenant_id === project))
      .map((usage) => ({
        id: usage.instance_id,
        name: usage.name,
        status: usage.state === 'stopped' ? 'SHUTOFF' : 'ACTIVE',
        tenant_id: usage.tenant_id,
      }));
    sendJson(response, 200, { servers });
  });
  route('GET', /^\/compute\/v2\.1\/servers\/((?!detail$)[^/]+)$/, (_request, response, _body, match) => {
    const usage = state.serverUsages.find(
      (candidate) => candidate.instance_id === match[1] && candidate.ended_at === null,
    );
    if (usage === undefined)
      return sendJson(response, 404, { itemNotFound: { code: 404, message: 'Instance could not be found.' } });
    sendJson(response, 200, {
      server: { id: usage.instance_id, name: usage.name, status: 'ACTIVE', tenant_id: usage.tenant_id },
    });
  });
  route('DELETE', /^\/compute\/v2\.1\/servers\/((?!detail$)[^/]+)$/, (_request, response, _body, match) => {
    const usage = state.serverUsages.find(
      (candidate) => candidate.instance_id === match[1] && candidate.ended_at === null,
    );
    if (usage === undefined)
      return sendJson(response, 404, { itemNotFound: { code: 404, message: 'Instance could not be found.' } });
    usage.ended_at = new Date(now()).toISOString().slice(0, -1);
    usage.state = 'terminated';
    sendJson(response, 204);
  });
  route('GET', /^\/compute\/v2\.1\/servers\/([^/]+)\/os-instance-actions$/, (request, response, _body, match) => {
    const since = queryOf(request).get('changes-since');
    const actions = (state.instanceActions.get(match[1]!) ?? [])
      .filter((action) => since === null || parseNova(action.start_time) >= Date.parse(since))
      .map((action) => ({ ...action, instance_uuid: match[1], user_id: 'admin-user', project_id: 'p', message: null }));
    sendJson(response, 200, { instanceActions: actions });
  });
}
