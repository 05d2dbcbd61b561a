import type { IncomingMessage, ServerResponse } from 'node:http';
import { OcxError, Secret } from '@ocx/core';
import { createTestServer, sendJson, type TestServer } from '@ocx/core/simulation';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeystoneSession } from '../keystone/session.js';
import { createNovaClient, type NovaClient } from '../nova/nova-client.js';
import { NOVA_MICROVERSIONS } from '../service-clients.js';
import { createServiceClient, type OpenStackServiceClient } from '../shared/service-client.js';
import { fixture } from '../test-support/replay.js';
import { type NovaInstanceActionRow, novaInstanceActionRows, parsePciAlias } from './nova-instance-actions.js';

// A Nova that answers like the real Zed one: server and action bodies are the recorded ones
// (src/__fixtures__/nova-*.json, from scripts/services' Nova 26.2.2 at 2.79), and the listing
// rules are Nova's — `deleted=true` lists only deleted servers, `changes-since` filters on
// `updated`, actions come newest first, pages by `limit` + `marker` with a `next` link.

type Json = Record<string, unknown>;
interface FakeAction {
  summary: Json;
  events: Json[];
}
interface FakeServer {
  body: Json;
  deleted: boolean;
  actions: FakeAction[];
}

const recordedDeleted = () =>
  (fixture('nova-servers-deleted').body as { servers: Json[] }).servers.map((server) => structuredClone(server));
const recordedEvents = (name: string) =>
  structuredClone((fixture(name).body as { instanceAction: { events: Json[] } }).instanceAction.events);
const novaTime = (iso: string) => `${iso.slice(0, 19)}.000000`;

const BASE = '/compute/v2.1';
let server: TestServer;
let service: OpenStackServiceClient;
let state: FakeServer[];
let inFlight = 0;
let maxMicroversion = '2.93';

afterEach(async () => {
  await service?.close();
  await server?.close();
});

/** A server from the recorded GPU-less one, with its own id, project, flavor and times. */
function makeServer(input: {
  id: string;
  project?: string;
  flavor?: Json;
  deleted?: boolean;
  terminatedAt?: string;
  updated?: string;
  created?: string;
}): Json {
  const template = recordedDeleted().find((candidate) => candidate.status === 'DELETED' && candidate.flavor)!;
  return {
    ...template,
    id: input.id,
    name: `vm-${input.id}`,
    tenant_id: input.project ?? 'project-a',
    status: input.deleted ? 'DELETED' : 'ACTIVE',
    created: input.created ?? '2026-10-01T00:00:00Z',
    updated: input.updated ?? '2026-11-15T00:00:00Z',
    'OS-SRV-USG:terminated_at': input.terminatedAt ?? null,
    flavor: input.flavor ?? {
      vcpus: 2,
      ram: 4096,
      disk: 1,
      ephemeral: 0,
      swap: 0,
      original_name: 'm1.small',
      extra_specs: {},
    },
  };
}

/** An action as Nova lists it (recorded shape) with its events (recorded success or error events). */
function action(name: string, at: string, result: 'success' | 'error' = 'success', message?: string): FakeAction {
  const events = recordedEvents(result === 'error' ? 'nova-instance-action-error' : 'nova-instance-action-success');
  return {
    summary: {
      action: name,
      instance_uuid: 'x',
      request_id: `req-${name}-${at}`,
      user_id: 'u',
      project_id: 'p',
      start_time: novaTime(at),
      message: message === undefined ? (result === 'error' ? 'Error' : null) : message,
      updated_at: novaTime(at),
    },
    events,
  };
}

function query(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? '/', 'http://fake').searchParams;
}

/** Page a list as Nova does: `limit` + `marker` (the last id), a `next` link while a page is full. */
function page<T>(request: IncomingMessage, list: T[], idOf: (item: T) => string, path: string) {
  const params = query(request);
  const limit = Number(params.get('limit') ?? 1000);
  const marker = params.get('marker');
  const from = marker === null ? 0 : list.findIndex((item) => idOf(item) === marker) + 1;
  const items = list.slice(from, from + limit);
  const nextParams = new URLSearchParams(params);
  if (items.length > 0) nextParams.set('marker', idOf(items.at(-1)!));
  nextParams.set('limit', String(limit));
  const links = items.length === limit ? [{ rel: 'next', href: `${server.url}${BASE}/${path}?${nextParams}` }] : [];
  return { items, links };
}

async function startNova(servers: FakeServer[], options: { timeoutMs?: number } = {}): Promise<NovaClient> {
  state = servers;
  server = await createTestServer();
  const route = (
    path: RegExp,
    handler: (request: IncomingMessage, response: ServerResponse, match: RegExpExecArray) => void,
  ) =>
    server.route('GET', path, (request, response) => {
      inFlight += 1;
      response.on('close', () => {
        inFlight -= 1;
      });
      handler(request, response, path.exec(new URL(request.url ?? '/', 'http://fake').pathname)!);
    });
  route(/^\/compute\/v2\.1\/?$/, (_request, response) =>
    sendJson(response, 200, {
      version: { id: 'v2.1', status: 'CURRENT', version: maxMicroversion, min_version: '2.1', links: [] },
    }),
  );
  route(/^\/compute\/v2\.1\/servers\/detail$/, (request, response) => {
    const params = query(request);
    const deleted = params.get('deleted') === 'true';
    const since = params.get('changes-since');
    const list = state.filter(
      (entry) =>
        entry.deleted === deleted && (since === null || Date.parse(String(entry.body.updated)) >= Date.parse(since)),
    );
    const { items, links } = page(request, list, (entry) => String(entry.body.id), 'servers/detail');
    sendJson(response, 200, {
      servers: items.map((entry) => entry.body),
      ...(links.length ? { servers_links: links } : {}),
    });
  });
  route(/^\/compute\/v2\.1\/servers\/([^/]+)\/os-instance-actions$/, (request, response, match) => {
    const entry = state.find((candidate) => candidate.body.id === match[1]);
    if (entry === undefined) return sendJson(response, 404, { itemNotFound: { code: 404, message: 'not found' } });
    const newestFirst = [...entry.actions].reverse();
    const { items, links } = page(
      request,
      newestFirst,
      (item) => String(item.summary.request_id),
      `servers/${match[1]}/os-instance-actions`,
    );
    sendJson(response, 200, { instanceActions: items.map((item) => item.summary), links });
  });
  route(/^\/compute\/v2\.1\/servers\/([^/]+)\/os-instance-actions\/([^/]+)$/, (_request, response, match) => {
    const entry = state.find((candidate) => candidate.body.id === match[1]);
    const found = entry?.actions.find((item) => item.summary.request_id === decodeURIComponent(match[2]!));
    if (found === undefined)
      return sendJson(response, 404, { itemNotFound: { code: 404, message: 'Action not found' } });
    sendJson(response, 200, { instanceAction: { ...found.summary, events: found.events } });
  });
  const session = createKeystoneSession({
    authUrl: `${server.url}/keystone`,
    http: {
      timeoutMs: options.timeoutMs ?? 2000,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5, statuses: [429, 500, 502, 503, 504] },
    },
    obtainToken: async () => ({
      token: Secret.from('test-token'),
      info: {
        userId: 'u',
        roles: [],
        methods: ['password'],
        expiresAt: new Date(Date.now() + 3_600_000),
        catalog: [],
        serviceProviders: [],
      },
    }),
  });
  service = createServiceClient(session, {
    backend: 'nova',
    type: 'compute',
    endpointOverride: `${server.url}${BASE}`,
    microversion: {
      headerType: 'compute',
      legacyHeader: 'X-OpenStack-Nova-API-Version',
      ...NOVA_MICROVERSIONS,
      versionDocument: () => '',
    },
  });
  return createNovaClient(service);
}

const PERIOD = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };

async function rows(nova: NovaClient, options: Partial<Parameters<typeof novaInstanceActionRows>[1]> = {}) {
  const out: NovaInstanceActionRow[] = [];
  for await (const row of novaInstanceActionRows(nova, { period: PERIOD, pageSize: 2, ...options })) out.push(row);
  return out;
}
const brief = (list: NovaInstanceActionRow[]) =>
  list.map((row) => `${row.instanceId} ${row.event}:${row.result} ${row.timestamp.toISOString().slice(0, 19)}`);

describe('nova usage from instance actions', () => {
  it('reads the recorded servers and actions of the real Nova: embedded flavor, PCI alias GPUs, a failed resize and a failed GPU boot', async () => {
    const [gpu, tiny] = recordedDeleted();
    const actionsOf = (name: string) =>
      (fixture(name).body as { instanceActions: Json[] }).instanceActions.map((summary) => summary);
    const tinyActions = actionsOf('nova-instance-actions-deleted')
      .reverse()
      .map((summary) => ({
        summary,
        events: recordedEvents(
          summary.message === 'Error' ? 'nova-instance-action-error' : 'nova-instance-action-success',
        ),
      }));
    const gpuActions = actionsOf('nova-instance-actions-gpu').map((summary) => ({
      summary,
      events: recordedEvents('nova-instance-action-gpu-create'),
    }));
    const nova = await startNova([
      { body: gpu!, deleted: true, actions: gpuActions },
      { body: tiny!, deleted: true, actions: tinyActions },
    ]);
    const start = '2026-12-06T00:00:00Z';
    const result = await rows(nova, { period: { start, end: '2026-12-07T00:00:00Z' } });
    const forTiny = result.filter((row) => row.instanceId === tiny!.id);
    expect(forTiny.map((row) => `${row.event}:${row.result}`)).toEqual([
      'create:success',
      'stop:success',
      'start:success',
      'resize:error', // NoValidHost: events cold_migrate and conductor_migrate_server ended in Error
      'delete:success',
    ]);
    expect(forTiny[0]).toEqual({
      project: tiny!.tenant_id,
      instanceId: tiny!.id,
      flavor: 'm1.tiny',
      vcpus: 1,
      ramMb: 512,
      gpus: 0,
      event: 'create',
      result: 'success',
      timestamp: new Date('2026-12-06T20:01:56Z'),
    });
    const forGpu = result.filter((row) => row.instanceId === gpu!.id);
    expect(forGpu).toEqual([
      {
        project: gpu!.tenant_id,
        instanceId: gpu!.id,
        flavor: 'rec-1796587316219-gpu.a100x2',
        vcpus: 4,
        ramMb: 16384,
        gpus: 2,
        gpuType: 'a100',
        event: 'create',
        result: 'error',
        timestamp: new Date('2026-12-06T20:02:14Z'),
      },
    ]);
    // The listing asked for deleted servers changed since the period start, with Nova's flags.
    const listings = server.requests.filter((request) => request.path === `${BASE}/servers/detail`);
    expect(listings.map((request) => request.query)).toEqual([
      { all_tenants: '1', limit: '2' },
      { all_tenants: '1', limit: '2', deleted: 'true', 'changes-since': '2026-12-06T00:00:00.000Z' },
      { all_tenants: '1', limit: '2', deleted: 'true', 'changes-since': '2026-12-06T00:00:00.000Z', marker: tiny!.id },
    ]);
    expect(listings[0]!.headers['openstack-api-version']).toBe('compute 2.79');
  });

  it('the state at the start comes from the last successful state-setting action before it; actions at or after the end do not count', async () => {
    const nova = await startNova([
      {
        body: makeServer({ id: 'long-lived' }),
        deleted: false,
        actions: [
          action('create', '2026-09-01T00:00:00Z'),
          action('stop', '2026-10-01T00:00:00Z'),
          action('reboot', '2026-10-15T00:00:00Z', 'error'), // after the stop: kept, it puts the instance in error
          action('lock', '2026-10-20T00:00:00Z'), // not a state action: kept, harmless
          action('start', '2026-11-10T00:00:00Z'),
          action('stop', '2026-11-30T23:59:59Z'),
          action('start', '2026-12-01T00:00:00Z'), // exactly the end: out
          action('delete', '2026-12-02T00:00:00Z'),
        ],
      },
    ]);
    expect(brief(await rows(nova))).toEqual([
      'long-lived stop:success 2026-10-01T00:00:00',
      'long-lived reboot:error 2026-10-15T00:00:00',
      'long-lived lock:success 2026-10-20T00:00:00',
      'long-lived start:success 2026-11-10T00:00:00',
      'long-lived stop:success 2026-11-30T23:59:59',
    ]);
    // The walk back stopped at that stop: the create's events were never asked for.
    expect(server.requests.some((request) => request.path.endsWith('req-create-2026-09-01T00:00:00Z'))).toBe(false);
  });

  it('a failed state action before the start does not fix the state: the walk goes on to the last successful one', async () => {
    const nova = await startNova([
      {
        body: makeServer({ id: 'x' }),
        deleted: false,
        actions: [
          action('create', '2026-10-01T00:00:00Z'),
          action('start', '2026-10-20T00:00:00Z', 'error'),
          action('stop', '2026-11-02T00:00:00Z'),
        ],
      },
    ]);
    expect(brief(await rows(nova))).toEqual([
      'x create:success 2026-10-01T00:00:00',
      'x start:error 2026-10-20T00:00:00',
      'x stop:success 2026-11-02T00:00:00',
    ]);
  });

  it('an error is read from the events even when the message does not say so, and from the message alone with checkEvents false', async () => {
    const silent = action('resize', '2026-11-05T00:00:00Z', 'error', '');
    const nova = await startNova([
      { body: makeServer({ id: 'e' }), deleted: false, actions: [action('create', '2026-11-02T00:00:00Z'), silent] },
    ]);
    expect(brief(await rows(nova))).toEqual([
      'e create:success 2026-11-02T00:00:00',
      'e resize:error 2026-11-05T00:00:00',
    ]);
    server.requests.length = 0;
    expect(brief(await rows(nova, { checkEvents: false }))).toEqual([
      'e create:success 2026-11-02T00:00:00',
      'e resize:success 2026-11-05T00:00:00',
    ]);
    expect(server.requests.filter((request) => /os-instance-actions\/req-/.test(request.path))).toHaveLength(0);
  });

  it('selects deleted servers changed since the start, skips those deleted before it and those created after the end; keeps one instance once', async () => {
    const deletedInside = makeServer({
      id: 'deleted-inside',
      deleted: true,
      terminatedAt: '2026-11-03T00:00:00.000000',
      updated: '2026-11-03T00:00:00Z',
    });
    const nova = await startNova([
      {
        body: deletedInside,
        deleted: true,
        actions: [action('create', '2026-10-30T00:00:00Z'), action('delete', '2026-11-03T00:00:00Z')],
      },
      {
        // Deleted before the period, but touched after its start: selected by the listing, then dropped.
        body: makeServer({
          id: 'deleted-before',
          deleted: true,
          terminatedAt: '2026-10-03T00:00:00.000000',
          updated: '2026-11-04T00:00:00Z',
        }),
        deleted: true,
        actions: [action('create', '2026-10-01T00:00:00Z'), action('delete', '2026-10-03T00:00:00Z')],
      },
      {
        // No terminated_at (as for a server that never launched), deleted before the start by its actions.
        body: makeServer({ id: 'deleted-by-action', deleted: true, updated: '2026-11-04T00:00:00Z' }),
        deleted: true,
        actions: [action('create', '2026-10-01T00:00:00Z', 'error'), action('delete', '2026-10-02T00:00:00Z')],
      },
      {
        body: makeServer({ id: 'deleted-long-ago', deleted: true, updated: '2026-01-01T00:00:00Z' }),
        deleted: true,
        actions: [action('create', '2025-12-01T00:00:00Z'), action('delete', '2026-01-01T00:00:00Z')],
      },
      {
        body: makeServer({ id: 'future', created: '2026-12-03T00:00:00Z' }),
        deleted: false,
        actions: [action('create', '2026-12-03T00:00:00Z')],
      },
      {
        body: makeServer({ id: 'other-project', project: 'project-b' }),
        deleted: false,
        actions: [action('create', '2026-11-05T00:00:00Z')],
      },
    ]);
    expect(brief(await rows(nova, { projects: ['project-a'] }))).toEqual([
      'deleted-inside create:success 2026-10-30T00:00:00',
      'deleted-inside delete:success 2026-11-03T00:00:00',
    ]);
    const touched = server.requests.filter((request) => request.path.includes('/servers/deleted-long-ago/'));
    expect(touched).toHaveLength(0);
    expect(server.requests.some((request) => request.path.includes('/servers/future/'))).toBe(false);
    // Deleted before the start by terminated_at: its actions are not even read; by its actions: read, then dropped.
    expect(server.requests.some((request) => request.path.includes('/servers/deleted-before/'))).toBe(false);
    expect(
      server.requests.some((request) => request.path === `${BASE}/servers/deleted-by-action/os-instance-actions`),
    ).toBe(true);
    // Without the project filter the other project's server is there too.
    expect((await rows(nova)).map((row) => row.project)).toContain('project-b');
  });

  it('actions of the same second keep the order Nova gives them (it stores whole seconds)', async () => {
    const nova = await startNova([
      {
        body: makeServer({ id: 's' }),
        deleted: false,
        actions: [
          action('create', '2026-11-02T10:00:00Z'),
          { ...action('stop', '2026-11-02T10:00:01Z') },
          { ...action('start', '2026-11-02T10:00:01Z') },
          { ...action('suspend', '2026-11-02T10:00:01Z') },
        ],
      },
    ]);
    expect((await rows(nova)).map((row) => row.event)).toEqual(['create', 'stop', 'start', 'suspend']);
  });

  it('pages through many servers and actions, in listing order', async () => {
    const servers: FakeServer[] = Array.from({ length: 7 }, (_, index) => ({
      body: makeServer({ id: `srv-${index}` }),
      deleted: false,
      actions: Array.from({ length: 5 }, (_, step) =>
        action(step % 2 === 0 ? 'start' : 'stop', `2026-11-0${step + 2}T00:00:00Z`),
      ),
    }));
    const nova = await startNova(servers);
    const result = await rows(nova, { concurrency: 3 });
    expect(result).toHaveLength(35);
    expect([...new Set(result.map((row) => row.instanceId))]).toEqual(servers.map((entry) => entry.body.id));
    // Five actions with `limit` 1000 fit one page; the servers took four pages of two.
    expect(server.requests.filter((request) => request.path === `${BASE}/servers/detail`).length).toBe(5);
  });

  it('parses PCI aliases: name:count, the same name twice adds up, anything else names the field', () => {
    expect(parsePciAlias('a100:2', 's')).toEqual({ type: 'a100', count: 2 });
    expect(parsePciAlias('a100-sxm4:4', 's')).toEqual({ type: 'a100-sxm4', count: 4 });
    expect(parsePciAlias(' V100 : 1 , V100:1', 's')).toEqual({ type: 'V100', count: 2 });
    expect(parsePciAlias(undefined, 's')).toBeUndefined();
    expect(parsePciAlias('', 's')).toBeUndefined();
    for (const [spec, message] of [
      ['a100', 'each alias must be name:count'],
      ['a100:0', 'a count must be a positive integer'],
      ['a100:x', 'each alias must be name:count'],
      ['a100:1,v100:1', 'more than one PCI alias; a row has one GPU type'],
    ] as const) {
      const error = (() => {
        try {
          parsePciAlias(spec, 'srv-1');
        } catch (caught) {
          return caught;
        }
      })();
      expect(OcxError.is(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'validation',
        backend: 'nova',
        issues: [{ path: 'flavor.extra_specs.pci_passthrough:alias', message }],
      });
      expect((error as OcxError).message).toContain('srv-1');
    }
  });
});

describe('nova usage from instance actions: bad data and refusals', () => {
  const expectValidation = async (
    nova: NovaClient,
    path: string,
    extra: Partial<Parameters<typeof novaInstanceActionRows>[1]> = {},
  ) => {
    const error = await rows(nova, extra).catch((caught: unknown) => caught);
    expect(OcxError.is(error)).toBe(true);
    expect((error as OcxError).code).toBe('validation');
    expect((error as OcxError).issues?.map((issue) => issue.path)).toContain(path);
    return error as OcxError;
  };

  it('a flavor without vCPUs, a project-less server, a flavor without extra specs: typed errors naming the field', async () => {
    const noVcpus = makeServer({ id: 'a' });
    delete (noVcpus.flavor as Json).vcpus;
    let nova = await startNova([
      { body: noVcpus, deleted: false, actions: [action('create', '2026-11-02T00:00:00Z')] },
    ]);
    const error = await expectValidation(nova, 'flavor.vcpus');
    expect(error.message).toMatch(/nova server a/);
    expect(error.message).toMatch(/stopped after 0 records of 0 resources/);
    await service.close();
    await server.close();

    const noProject = makeServer({ id: 'b' });
    delete noProject.tenant_id;
    nova = await startNova([{ body: noProject, deleted: false, actions: [] }]);
    await expectValidation(nova, 'tenant_id');
    await service.close();
    await server.close();

    const noSpecs = makeServer({ id: 'c' });
    delete (noSpecs.flavor as Json).extra_specs;
    nova = await startNova([{ body: noSpecs, deleted: false, actions: [] }]);
    const hidden = await expectValidation(nova, 'flavor.extra_specs');
    expect(hidden.message).toMatch(/cannot see flavor extra specs/);
  });

  it('an action with an unreadable time or without a name, and a malformed alias: typed errors', async () => {
    const bad = action('stop', '2026-11-02T00:00:00Z');
    bad.summary.start_time = 'yesterday';
    let nova = await startNova([{ body: makeServer({ id: 't' }), deleted: false, actions: [bad] }]);
    await expectValidation(nova, 'instanceActions.start_time');
    await service.close();
    await server.close();

    const nameless = action('stop', '2026-11-02T00:00:00Z');
    delete nameless.summary.action;
    nova = await startNova([{ body: makeServer({ id: 'n' }), deleted: false, actions: [nameless] }]);
    await expectValidation(nova, 'instanceActions.0.action');
    await service.close();
    await server.close();

    nova = await startNova([
      {
        body: makeServer({
          id: 'g',
          flavor: { vcpus: 8, ram: 1, original_name: 'gpu', extra_specs: { 'pci_passthrough:alias': 'a100' } },
        }),
        deleted: false,
        actions: [action('create', '2026-11-02T00:00:00Z')],
      },
    ]);
    await expectValidation(nova, 'flavor.extra_specs.pci_passthrough:alias');
  });

  it('bad options are refused before any request; an old Nova is a capability error', async () => {
    const nova = await startNova([]);
    const error = await rows(nova, { period: { start: PERIOD.end, end: PERIOD.start } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'validation', issues: [{ path: 'period.end' }] });
    const notADate = await rows(nova, { period: { start: 'soon', end: PERIOD.end } }).catch(
      (caught: unknown) => caught,
    );
    expect(notADate).toMatchObject({ code: 'validation', issues: [{ path: 'period.start' }] });
    expect(server.requests).toHaveLength(0);
    await service.close();
    await server.close();

    maxMicroversion = '2.46';
    try {
      const old = await startNova([]);
      const refused = await rows(old).catch((caught: unknown) => caught);
      expect(refused).toMatchObject({ code: 'capability', backend: 'nova' });
      expect((refused as OcxError).message).toMatch(/2\.47.*2\.46/);
    } finally {
      maxMicroversion = '2.93';
    }
  });
});

describe('nova usage from instance actions under faults', () => {
  const many = (count: number): FakeServer[] =>
    Array.from({ length: count }, (_, index) => ({
      body: makeServer({ id: `f-${index}` }),
      deleted: false,
      actions: [action('create', '2026-11-02T00:00:00Z'), action('stop', '2026-11-03T00:00:00Z')],
    }));

  it('a 5xx on a server page, an action list and an action detail is retried once and nothing is lost', async () => {
    const nova = await startNova(many(5));
    server.inject(
      { kind: 'status', status: 500, times: 1, body: { computeFault: { code: 500, message: 'deadlock' } } },
      { path: `${BASE}/servers/detail` },
    );
    server.inject({ kind: 'status', status: 503, times: 1, body: 'busy' }, { path: /os-instance-actions$/ });
    server.inject(
      { kind: 'status', status: 502, times: 1, body: 'bad gateway' },
      { path: /os-instance-actions\/req-/ },
    );
    expect(await rows(nova)).toHaveLength(10);
    expect(inFlight).toBe(0);
  });

  it('a connection reset and a timeout in the middle are retried, losing nothing', async () => {
    const nova = await startNova(many(5), { timeoutMs: 300 });
    // Let the first page through, then reset the next page and hang one action detail past the timeout.
    server.inject({ kind: 'reset', times: 1 }, { path: /os-instance-actions\/req-stop/ });
    server.inject({ kind: 'hang', times: 1 }, { path: /os-instance-actions\/req-create/ });
    const result = await rows(nova);
    expect(result).toHaveLength(10);
    expect(new Set(result.map((row) => row.instanceId)).size).toBe(5);
  });

  it('a 5xx that persists fails with how far it got, never a short listing, and leaves no request open', async () => {
    const nova = await startNova(many(40));
    const seen: NovaInstanceActionRow[] = [];
    let caught: unknown;
    try {
      for await (const row of novaInstanceActionRows(nova, { period: PERIOD, pageSize: 10 })) {
        if (seen.length === 0)
          server.inject(
            {
              kind: 'status',
              status: 500,
              times: 2,
              body: { computeFault: { code: 500, message: 'Unexpected API Error.' } },
            },
            { path: `${BASE}/servers/detail` },
          );
        seen.push(row);
      }
    } catch (error) {
      caught = error;
    }
    expect(OcxError.is(caught)).toBe(true);
    const error = caught as OcxError;
    expect(error).toMatchObject({ code: 'http', status: 500, attempts: 2, backendMessage: 'Unexpected API Error.' });
    // 32 servers (one batch) were complete before the next page failed.
    expect(seen).toHaveLength(64);
    expect(error.message).toMatch(/stopped after 64 records of 32 resources; the rest of the window is missing/);
    expect(inFlight).toBe(0);
  });

  it('a persistent failure of one action detail fails the run (nothing half-reported for that batch), typed', async () => {
    const nova = await startNova(many(3));
    server.inject(
      { kind: 'status', status: 500, times: 10, body: 'boom' },
      { path: /\/servers\/f-1\/os-instance-actions\/req-stop/ },
    );
    const seen: NovaInstanceActionRow[] = [];
    const error = await (async () => {
      for await (const row of novaInstanceActionRows(nova, { period: PERIOD })) seen.push(row);
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'http', status: 500 });
    expect(seen).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(inFlight).toBe(0);
  });

  it('a consumer that stops early or aborts leaves nothing running', async () => {
    const nova = await startNova(many(40));
    for await (const _row of novaInstanceActionRows(nova, { period: PERIOD, pageSize: 10 })) break;
    const requestsAfterBreak = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.length).toBe(requestsAfterBreak);
    expect(inFlight).toBe(0);

    const controller = new AbortController();
    controller.abort();
    const aborted = await rows(nova, { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(aborted).toMatchObject({ code: 'aborted' });
    expect(server.requests.length).toBe(requestsAfterBreak);
  });
});
