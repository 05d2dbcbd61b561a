import { inspect } from 'node:util';
import { OcxError } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCephDashboardClient } from './dashboard/dashboard-client.js';
import { createRgwAdminClient } from './rgw/rgw-admin-client.js';

const ACCESS = 'TRUSTBOUNDARYACCESS01';
const SECRET = 'trust-boundary-secret-key-never-shown-01';
const PASSWORD = 'trust-boundary-dashboard-password';
const TOKEN = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 4102444800 })).toString('base64url')}.sig-tb`;

let rgw: TestServer;
let other: TestServer;
beforeAll(async () => {
  rgw = await createTestServer();
  other = await createTestServer();
});
afterEach(() => {
  rgw.reset();
  other.reset();
});
afterAll(async () => {
  await rgw.close();
  await other.close();
});

const admin = () =>
  createRgwAdminClient({
    endpoint: rgw.url,
    accessKey: ACCESS,
    secretKey: SECRET,
    region: 'default',
    retry: { retries: 0 },
  });

const failure = async (promise: Promise<unknown>): Promise<OcxError> => {
  try {
    await promise;
  } catch (error) {
    if (OcxError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  status: 200,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('RGW Admin Ops (SigV4) at a trust boundary', () => {
  for (const status of [301, 302, 307, 308]) {
    it(`a ${status} to another origin is a protocol error naming both origins, and nothing signed goes there`, async () => {
      rgw.route('*', '/admin/user', (_request, response) => {
        response.writeHead(status, { location: `${other.url}/admin/user?uid=x` }).end();
      });
      const client = admin();
      const error = await failure(client.getUser('ocx-genomics'));
      await client.close();
      expect(error.code).toBe('protocol');
      expect(error.message).toContain(rgw.origin);
      expect(error.message).toContain(other.origin);
      expect(other.requests).toEqual([]);
      // The request that did go out was signed; the error shows neither the key nor the signature.
      const signed = String(rgw.requests[0]?.headers.authorization);
      expect(signed).toMatch(/^AWS4-HMAC-SHA256 Credential=TRUSTBOUNDARYACCESS01\//);
      const signature = /Signature=([0-9a-f]+)/.exec(signed)?.[1];
      const shown = `${error.message}\n${inspect(error, { depth: 8 })}\n${JSON.stringify(error)}`;
      for (const secret of [SECRET, ACCESS, signature!]) expect(shown).not.toContain(secret);
    });
  }

  it('a user listing whose marker comes back again stops with a protocol error', async () => {
    rgw.route('GET', '/admin/user', (_request, response) => {
      const page = json({ keys: ['ocx-a'], truncated: true, marker: 'ocx-a' });
      response.writeHead(page.status, page.headers).end(page.body);
    });
    const client = admin();
    const uids: string[] = [];
    const error = await failure(
      (async () => {
        for await (const uid of client.listUsers()) uids.push(uid);
      })(),
    );
    await client.close();
    expect(error.code).toBe('protocol');
    expect(error.message).toMatch(/cursor it had returned before/);
    expect(rgw.requests.length).toBeLessThanOrEqual(2);
  });

  it('a usage answer without the entries it was asked for is an error, not an empty usage log', async () => {
    rgw.route('GET', '/admin/usage', (_request, response) => {
      const page = json({ summary: [] });
      response.writeHead(page.status, page.headers).end(page.body);
    });
    const client = admin();
    const error = await failure(client.showUsage({ uid: 'ocx-genomics', showSummary: false }));
    await client.close();
    expect(error.issues?.some((issue) => issue.path.includes('entries'))).toBe(true);
  });

  it('a summary-only usage answer is fine when only the summary was asked for', async () => {
    rgw.route('GET', '/admin/usage', (_request, response) => {
      const page = json({ summary: [] });
      response.writeHead(page.status, page.headers).end(page.body);
    });
    const client = admin();
    await expect(client.showUsage({ uid: 'ocx-genomics', showEntries: false })).resolves.toEqual({
      entries: [],
      summary: [],
    });
    await client.close();
  });
});

describe('Ceph dashboard at a trust boundary', () => {
  const dashboard = () =>
    createCephDashboardClient({ endpoint: rgw.url, username: 'ocx-admin', password: PASSWORD, pageSize: 2 });
  const login = () =>
    rgw.route('POST', '/api/auth', (_request, response) => {
      response
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: TOKEN, username: 'ocx-admin' }));
    });
  const image = (name: string) => ({ name, pool_name: 'rbd', namespace: null, id: name, size: 1024, disk_usage: 512 });

  it('a login redirected to another origin sends the password nowhere else', async () => {
    rgw.route('POST', '/api/auth', (_request, response) => {
      response.writeHead(307, { location: `${other.url}/api/auth` }).end();
    });
    const client = dashboard();
    const error = await failure(client.listPools());
    await client.close();
    expect(error.code).toBe('protocol');
    expect(error.message).toContain(other.origin);
    expect(other.requests).toEqual([]);
    expect(inspect(error, { depth: 8 })).not.toContain(PASSWORD);
  });

  it('an image listing that ignores the offset ends with a protocol error instead of 10,000 pages', async () => {
    login();
    rgw.route('GET', '/api/block/image', (_request, response) => {
      const page = json([{ pool_name: 'rbd', value: [image('a'), image('b')] }], { 'x-total-count': '1000000' });
      response.writeHead(page.status, page.headers).end(page.body);
    });
    const client = dashboard();
    const names: string[] = [];
    const error = await failure(
      (async () => {
        for await (const found of client.listImages()) names.push(found.name);
      })(),
    );
    await client.close();
    expect(error.code).toBe('protocol');
    expect(names).toEqual(['a', 'b']);
    expect(rgw.requests.filter((request) => request.path === '/api/block/image')).toHaveLength(2);
  });

  it('an image listed again on a later page (one inserted before it) is yielded once', async () => {
    login();
    const pages: Record<string, string[]> = { '0': ['a', 'b'], '2': ['b', 'c'], '4': ['d'] };
    rgw.route('GET', '/api/block/image', (request, response) => {
      const offset = new URL(request.url ?? '/', rgw.url).searchParams.get('offset') ?? '0';
      const page = json([{ pool_name: 'rbd', value: (pages[offset] ?? []).map(image) }], { 'x-total-count': '5' });
      response.writeHead(page.status, page.headers).end(page.body);
    });
    const client = dashboard();
    const names: string[] = [];
    for await (const found of client.listImages()) names.push(found.name);
    await client.close();
    expect(names).toEqual(['a', 'b', 'c', 'd']);
  });
});
