import { inspect } from 'node:util';
import { OcxError, Secret } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRecorded, replay } from '../test-support/recorded.js';
import { createRgwAdminClient, type RgwAdminClient } from './rgw-admin-client.js';

const { uid, cases } = loadRecorded('rgw-admin-ops.json');
const project = uid!;
const SECRET = 'replay-test-secret-key-0123456789';
const ACCESS = 'REPLAYTESTACCESSKEY1';

let server: TestServer;
let rgw: RgwAdminClient;
beforeAll(async () => {
  server = await createTestServer();
  rgw = createRgwAdminClient({
    endpoint: server.url,
    accessKey: ACCESS,
    secretKey: Secret.from(SECRET),
    region: 'default',
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
  });
});
afterEach(() => server.reset());
afterAll(async () => {
  await rgw.close();
  await server.close();
});

/** Serve one recorded case, run the call, and check the client sent what was recorded. */
async function run<T>(name: string, call: () => Promise<T>): Promise<T> {
  const recorded = cases[name]!;
  replay(server, recorded);
  try {
    return await call();
  } finally {
    const sent = server.requests.at(-1)!;
    expect(sent.method).toBe(recorded.request.method);
    expect(sent.path).toBe(recorded.request.path);
    expect(sent.query).toEqual(recorded.request.query);
  }
}

const failure = async (promise: Promise<unknown>): Promise<OcxError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(OcxError.is(error), `expected an OcxError, got ${String(error)}`).toBe(true);
  return error as OcxError;
};

describe('RGW Admin Ops client, against recorded Pacific responses', () => {
  it('signs every call with SigV4 (service s3, the region, an unsigned payload)', async () => {
    await run('get_user_stats', () => rgw.getUser(project, { stats: true, sync: true }));
    const headers = server.requests.at(-1)!.headers;
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=REPLAYTESTACCESSKEY1\/\d{8}\/default\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('reads a user with its stats, keys as Secrets', async () => {
    const user = await run('get_user_stats', () => rgw.getUser(project, { stats: true, sync: true }));
    expect(user).toMatchObject({
      uid: project,
      displayName: 'Fixture project (org fixture-org)',
      suspended: false,
      subusers: [{ id: `${project}:alice`, permissions: 'read-write' }],
      caps: [
        { type: 'buckets', perm: 'read' },
        { type: 'usage', perm: 'read' },
      ],
      userQuota: { enabled: true, maxSizeBytes: '10000', maxObjects: null },
      bucketQuota: { enabled: false, maxSizeBytes: null, maxObjects: null },
      stats: { sizeBytes: '4000', sizeActualBytes: '4096', objects: '1' },
    });
    expect(user.keys.map((key) => key.user)).toEqual([`${project}:alice`, project, project]);
    expect(inspect(user)).not.toContain('fixture-secret-0007');
    expect(user.keys[2]!.secretKey.reveal()).toBe('fixture-secret-0007');
  });

  it('creates a user, and a second create is a conflict (UserAlreadyExists)', async () => {
    const user = await run('create_user', () =>
      rgw.createUser({ uid: project, displayName: 'Fixture project (org fixture-org)', generateKey: true }),
    );
    expect(user.keys).toHaveLength(1);
    const error = await failure(
      run('create_user_exists', () => rgw.createUser({ uid: project, displayName: 'again' })),
    );
    expect(error).toMatchObject({
      code: 'conflict',
      status: 409,
      backendErrorType: 'UserAlreadyExists',
      retryable: false,
    });
    expect(error.requestId).toMatch(/^tx/);
  });

  it('lists users page by page with RGW markers', async () => {
    const recorded = cases.list_users!;
    const pages = [recorded.response.body, JSON.stringify({ keys: [project], truncated: false, count: 1 })];
    const markers: Array<string | undefined> = [];
    server.route('GET', '/admin/user', (request, response) => {
      markers.push(new URL(request.url!, 'http://x').searchParams.get('marker') ?? undefined);
      const body = pages.shift()!;
      response.writeHead(200, { 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
    const uids: string[] = [];
    for await (const listed of rgw.listUsers({ pageSize: 2 })) uids.push(listed);
    expect(uids).toEqual(['ocx-rgw-admin', 'ocx-tenant-1', project]);
    expect(markers).toEqual([undefined, JSON.parse(recorded.response.body).marker]);
  });

  it('adds caps, creates keys and subusers', async () => {
    expect(await run('add_caps', () => rgw.addCaps(project, 'usage=read;buckets=read'))).toHaveLength(2);
    const keys = await run('create_key', () => rgw.createKey(project));
    expect(keys.map((key) => key.accessKey)).toEqual(['FIXTUREACCESS0008', 'FIXTUREACCESS0006']);
    await run('create_subuser', () => rgw.createSubuser(project, 'alice', 'readwrite'));
  });

  it('sets a quota with exact query parameters, and reads quotas', async () => {
    await run('set_user_quota', () =>
      rgw.setQuota(project, 'user', { enabled: true, maxSizeBytes: '10000', maxObjects: null }),
    );
    const quotas = await run('get_quotas', () => rgw.getQuotas(project));
    expect(quotas.user).toEqual({ enabled: true, checkOnRaw: false, maxSizeBytes: '10000', maxObjects: null });
    expect(await run('get_user_quota', () => rgw.getQuota(project, 'user'))).toEqual(quotas.user);
  });

  it('reads buckets and their stats', async () => {
    expect(await run('list_buckets', () => rgw.listBuckets(project))).toEqual([`${project}-b`]);
    const bucket = await run('get_bucket_stats', () => rgw.getBucketStats(`${project}-b`));
    expect(bucket).toMatchObject({
      name: `${project}-b`,
      owner: project,
      usage: { 'rgw.main': { sizeBytes: '4000', objects: '1' } },
    });
  });

  it('reads the usage log per hour and category, and its summary', async () => {
    const usage = await run('show_usage', () => rgw.showUsage({ uid: project, showSummary: false }));
    expect(usage.entries[0]!.buckets[0]).toMatchObject({
      bucket: `${project}-b`,
      hourStart: '2026-11-21T10:00:00.000Z',
      categories: expect.arrayContaining([
        { category: 'put_obj', bytesSent: '252', bytesReceived: '4000', ops: '2', successfulOps: '1' },
      ]),
    });
    const summary = await run('show_usage_summary', () => rgw.showUsage({ uid: project, showEntries: false }));
    expect(summary.entries).toEqual([]);
    expect(summary.summary[0]!.user).toBe(project);
  });

  it('trims usage, and refuses to trim everyone without removeAll', async () => {
    await run('trim_usage', () => rgw.trimUsage({ uid: project }));
    const error = await failure(rgw.trimUsage({}));
    expect(error).toMatchObject({ code: 'validation', issues: [{ path: 'removeAll' }] });
  });

  it('maps RGW error codes to typed errors', async () => {
    expect(await failure(run('get_user_not_found', () => rgw.getUser(`${project}-missing`)))).toMatchObject({
      code: 'not-found',
      status: 404,
      backendErrorType: 'NoSuchUser',
      backendMessage: 'no such RGW user',
    });
    expect(await failure(run('remove_bucket_not_empty', () => rgw.removeBucket(`${project}-b`)))).toMatchObject({
      code: 'conflict',
      backendErrorType: 'BucketNotEmpty',
    });
    expect(await failure(run('access_denied', () => rgw.getUser(project)))).toMatchObject({
      code: 'auth',
      status: 403,
      backendErrorType: 'AccessDenied',
    });
  });

  it('says a signature mismatch is one, naming the likely causes, with no key in the error', async () => {
    const error = await failure(run('signature_mismatch', () => rgw.getUser(project)));
    expect(error).toMatchObject({
      code: 'auth',
      status: 403,
      backendErrorType: 'SignatureDoesNotMatch',
      retryable: false,
    });
    expect(error.message).toContain('signature did not match');
    expect(error.message).toMatch(/secret key is wrong.*clock/);
    const everything = `${error.message}\n${error.stack}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(ACCESS);
  });

  it('retries an idempotent read through a 503 and a reset, losing nothing', async () => {
    replay(server, cases.show_usage!);
    server.inject({ kind: 'status', status: 503, body: 'busy' }, { path: '/admin/usage' });
    server.inject({ kind: 'reset' }, { path: '/admin/usage' });
    const usage = await rgw.showUsage({ uid: project, showSummary: false });
    expect(usage.entries[0]!.buckets[0]!.categories).toHaveLength(3);
    expect(server.requests.filter((request) => request.path === '/admin/usage')).toHaveLength(3);
    // Every attempt was signed afresh.
    expect(server.requests.every((request) => typeof request.headers.authorization === 'string')).toBe(true);
  });

  it('a call that times out is sent again, and the answer is complete', async () => {
    const quick = createRgwAdminClient({
      endpoint: server.url,
      accessKey: ACCESS,
      secretKey: SECRET,
      region: 'default',
      timeoutMs: 200,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
    });
    replay(server, cases.show_usage!);
    server.inject({ kind: 'hang' }, { path: '/admin/usage' });
    const usage = await quick.showUsage({ uid: project, showSummary: false });
    await quick.close();
    expect(usage.entries[0]!.buckets[0]!.categories.map((category) => category.category)).toEqual([
      'create_bucket',
      'get_obj',
      'put_obj',
    ]);
    expect(server.requests.filter((request) => request.path === '/admin/usage')).toHaveLength(2);
  });

  it('never resends a key creation (a second key would be left behind): a reset is reported, once', async () => {
    replay(server, cases.create_key!);
    server.inject({ kind: 'reset' }, { path: '/admin/user' });
    const error = await failure(rgw.createKey(project));
    expect(error.code).toBe('network');
    expect(server.requests).toHaveLength(1);
  });

  it('never takes a truncated body for data: it reads the whole answer again, or fails', async () => {
    replay(server, cases.get_user_stats!);
    server.inject(
      { kind: 'truncate', status: 200, body: cases.get_user_stats!.response.body },
      { path: '/admin/user' },
    );
    expect((await rgw.getUser(project, { stats: true, sync: true })).stats?.sizeBytes).toBe('4000');
    server.inject(
      { kind: 'truncate', status: 200, body: cases.get_user_stats!.response.body, times: Number.POSITIVE_INFINITY },
      { path: '/admin/user' },
    );
    const error = await failure(rgw.getUser(project));
    expect(['protocol', 'network']).toContain(error.code);
    expect(`${error.message}${inspect(error)}`).not.toContain('fixture-secret');
  });
});
