import { inspect } from 'node:util';
import { ManualClock, OcxError } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRecorded, replay } from '../test-support/recorded.js';
import { type CephDashboardClient, createCephDashboardClient } from './dashboard-client.js';

const { cases } = loadRecorded('ceph-dashboard.json');
const PASSWORD = 'dashboard-test-password-0042';
const page = JSON.parse(cases.list_images_page_1!.response.body) as Array<{
  pool_name: string;
  value: Array<Record<string, unknown>>;
}>;
const pool = page[0]!.pool_name;
const image = page[0]!.value[0]!;

let server: TestServer;
let clients: CephDashboardClient[];
let logins: number;
beforeEach(async () => {
  server = await createTestServer();
  clients = [];
  logins = 0;
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

/** A JWT whose payload carries `exp`, as the dashboard's does. */
const jwt = (exp: number) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: 'ceph-dashboard', exp, username: 'ocx-admin' })).toString('base64url')}.sig${logins}`;

function serveLogin(exp = 4_102_444_800): void {
  server.route('POST', '/api/auth', (_request, response) => {
    logins += 1;
    const body = cases.login!.response.body.replace('FIXTURE.JWT.TOKEN', jwt(exp));
    response.writeHead(201, { ...cases.login!.response.headers, 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
}

function client(options: { pageSize?: number; clock?: ManualClock; password?: string } = {}): CephDashboardClient {
  const made = createCephDashboardClient({
    endpoint: server.url,
    username: 'ocx-admin',
    password: options.password ?? PASSWORD,
    ...options,
  });
  clients.push(made);
  return made;
}

const failure = (promise: Promise<unknown>): Promise<OcxError> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => {
      expect(OcxError.is(error), String(error)).toBe(true);
      return error as OcxError;
    },
  );

describe('Ceph Dashboard client, against recorded Pacific responses', () => {
  it('logs in once with the versioned Accept header and sends the JWT as a bearer token', async () => {
    serveLogin();
    replay(server, cases.list_pools!);
    const dashboard = client();
    const pools = await dashboard.listPools({ stats: true });
    await dashboard.listPools({ stats: true });
    expect(logins).toBe(1);
    const [login, first] = server.requests;
    expect(JSON.parse(login!.body)).toEqual({ username: 'ocx-admin', password: PASSWORD });
    expect(login!.headers.accept).toBe('application/vnd.ceph.api.v1.0+json');
    expect(first!.headers.accept).toBe('application/vnd.ceph.api.v1.0+json');
    expect(first!.headers.authorization).toMatch(/^Bearer eyJ/);
    const rbd = pools.find((candidate) => candidate.name === pool);
    expect(rbd).toMatchObject({ applications: ['rbd'], stats: { storedBytes: expect.stringMatching(/^\d+$/) } });
  });

  it('pages images with explicit offset and limit until X-Total-Count is reached', async () => {
    serveLogin();
    const names = ['a', 'b', 'c', 'd', 'e'];
    server.route('GET', '/api/block/image', (request, response) => {
      const query = new URL(request.url!, 'http://x').searchParams;
      const offset = Number(query.get('offset'));
      const limit = Number(query.get('limit'));
      const body = JSON.stringify([
        { pool_name: pool, value: names.slice(offset, offset + limit).map((name) => ({ ...image, name })) },
      ]);
      response.writeHead(200, {
        'content-type': 'application/vnd.ceph.api.v2.0+json',
        'x-total-count': String(names.length),
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
    const listed: string[] = [];
    for await (const item of client({ pageSize: 2 }).listImages({ pool })) listed.push(item.name);
    expect(listed).toEqual(names);
    const pages = server.requests.filter((request) => request.path === '/api/block/image');
    expect(
      pages.map((request) => [request.query.offset, request.query.limit, request.query.pool_name, request.query.sort]),
    ).toEqual([
      ['0', '2', pool, '+name'],
      ['2', '2', pool, '+name'],
      ['4', '2', pool, '+name'],
    ]);
    expect(pages.every((request) => request.headers.accept === 'application/vnd.ceph.api.v2.0+json')).toBe(true);
  });

  it('reads a recorded image with its usage', async () => {
    serveLogin();
    const recorded = cases.get_image!;
    replay(server, recorded);
    const read = await client().getImage(pool, String(image.name));
    expect(server.requests.at(-1)?.path).toBe(recorded.request.path);
    expect(read).toMatchObject({
      pool,
      name: image.name,
      sizeBytes: String(image.size),
      diskUsageBytes: String(image.disk_usage),
      features: expect.arrayContaining(['fast-diff']),
    });
  });

  it('logs in again on a 401 and resends the call once', async () => {
    serveLogin();
    replay(server, cases.list_pools!);
    server.inject(
      {
        kind: 'status',
        status: 401,
        body: cases.unauthorized!.response.body,
        headers: { 'content-type': 'application/json' },
      },
      { path: '/api/pool' },
    );
    const dashboard = client();
    expect((await dashboard.listPools()).length).toBeGreaterThan(0);
    expect(logins).toBe(2);
  });

  it('logs in again before the JWT expires', async () => {
    const clock = new ManualClock('2026-11-21T10:00:00Z');
    serveLogin(Date.parse('2026-11-21T10:05:00Z') / 1000);
    replay(server, cases.list_pools!);
    const dashboard = client({ clock });
    await dashboard.listPools();
    clock.advance(3 * 60_000);
    await dashboard.listPools();
    expect(logins).toBe(1);
    clock.advance(60_000);
    await dashboard.listPools();
    expect(logins).toBe(2);
  });

  it('a refused login is auth, and the password is in no error', async () => {
    replay(server, cases.login_invalid!);
    const error = await failure(client().listPools());
    expect(error).toMatchObject({ code: 'auth', backendErrorType: 'invalid_credentials' });
    expect(`${error.message}${inspect(error, { depth: 8 })}${JSON.stringify(error)}`).not.toContain(PASSWORD);
  });

  it('maps a missing image to not-found and an unknown API version to a client fault', async () => {
    serveLogin();
    replay(server, cases.get_image_not_found!);
    const missing = await failure(client().getImage(pool, 'no-such-image'));
    expect(missing).toMatchObject({ code: 'not-found', status: 404, backendMessage: 'Image not found' });
    replay(server, cases.unknown_version!, '/api/pool');
    const version = await failure(client().listPools());
    expect(version).toMatchObject({ code: 'http', status: 415, fault: 'client' });
    expect(version.message).toContain('Incorrect version');
  });

  it('refuses bad options naming the field', () => {
    expect(() => createCephDashboardClient({ endpoint: 'ftp://x', username: 'a', password: 'b' })).toThrow(/endpoint/);
    expect(() =>
      createCephDashboardClient({ endpoint: server.url, username: 'a', password: 'b', ca: '/etc/ceph/ca.pem' }),
    ).toThrow(/ca/);
  });
});
