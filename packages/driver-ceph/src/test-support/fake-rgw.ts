import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTestServer, type TestServer } from '@ocx/core/testing';

interface FakeQuota {
  enabled: boolean;
  max_size: number;
  max_objects: number;
}
interface FakeUser {
  display_name: string;
  suspended: 0 | 1;
  keys: Array<{ user: string; access_key: string; secret_key: string }>;
  swift_keys: Array<{ user: string; secret_key: string }>;
  subusers: Array<{ id: string; permissions: string }>;
  caps: Array<{ type: string; perm: string }>;
  user_quota: FakeQuota;
  bucket_quota: FakeQuota;
  size: number;
  objects: number;
}

/** One hourly usage bucket of the fake's usage log, as RGW reports it. */
export interface FakeUsageBucket {
  user: string;
  bucket: string;
  epoch: number;
  categories: Array<{
    category: string;
    bytes_sent: number;
    bytes_received: number;
    ops: number;
    successful_ops: number;
  }>;
}

const PERMISSIONS: Record<string, string> = {
  read: 'read',
  write: 'write',
  readwrite: 'read-write',
  full: 'full-control',
};
const unlimited = (): FakeQuota => ({ enabled: false, max_size: -1, max_objects: -1 });

/**
 * A small stateful stand-in for RGW's Admin Ops (users, keys, subusers, caps, quotas, buckets,
 * usage), answering in the shapes of the recorded Pacific responses in `__fixtures__`. It checks
 * that requests carry a SigV4 header but does not verify signatures: the live tests do that.
 * `loseNextResponse` applies a change and then drops the connection, as a crash after commit would.
 */
export interface FakeRgw {
  server: TestServer;
  url: string;
  users: Map<string, FakeUser>;
  buckets: Map<string, { owner: string }>;
  usage: FakeUsageBucket[];
  /** Apply the next matching request, then destroy the socket instead of answering. */
  loseNextResponse(method: string, flag?: string): void;
  close(): Promise<void>;
}

export async function createFakeRgw(): Promise<FakeRgw> {
  const users = new Map<string, FakeUser>();
  const buckets = new Map<string, { owner: string }>();
  const usage: FakeUsageBucket[] = [];
  const losses: Array<{ method: string; flag: string | undefined }> = [];
  let counter = 0;
  let request = 0;

  const send = (response: ServerResponse, status: number, body?: unknown) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    request += 1;
    response.writeHead(status, {
      'x-amz-request-id': `tx-fake-${request}`,
      ...(status >= 400 ? { 'content-type': 'application/json' } : {}),
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  const fail = (response: ServerResponse, status: number, code: string) =>
    send(response, status, { Code: code, Message: '', RequestId: `tx-fake-${request + 1}`, HostId: 'fake' });
  const newKey = (user: string) => {
    counter += 1;
    return {
      user,
      access_key: `FAKEACCESS${String(counter).padStart(6, '0')}`,
      secret_key: `fake-secret-${counter}-${'s'.repeat(20)}`,
    };
  };
  const view = (uid: string, user: FakeUser, stats: boolean) => ({
    tenant: '',
    user_id: uid,
    display_name: user.display_name,
    email: '',
    suspended: user.suspended,
    max_buckets: 1000,
    subusers: user.subusers,
    keys: user.keys,
    swift_keys: user.swift_keys,
    caps: user.caps,
    bucket_quota: user.bucket_quota,
    user_quota: user.user_quota,
    ...(stats
      ? { stats: { size: user.size, size_actual: Math.ceil(user.size / 4096) * 4096, num_objects: user.objects } }
      : {}),
  });
  const quotaParams = (query: URLSearchParams, quota: FakeQuota): FakeQuota => ({
    enabled: query.has('enabled') ? query.get('enabled') === 'true' : quota.enabled,
    max_size: query.has('max-size') ? Number(query.get('max-size')) : quota.max_size,
    max_objects: query.has('max-objects') ? Number(query.get('max-objects')) : quota.max_objects,
  });

  const userRoute = (method: string, query: URLSearchParams, response: ServerResponse) => {
    const uid = query.get('uid') ?? '';
    const user = users.get(uid);
    if (method === 'GET' && query.has('list'))
      return send(response, 200, { keys: [...users.keys()].sort(), truncated: false, count: users.size });
    if (method === 'PUT' && !query.has('quota') && !query.has('caps') && !query.has('key') && !query.has('subuser')) {
      if (user !== undefined) return fail(response, 409, 'UserAlreadyExists');
      const created: FakeUser = {
        display_name: query.get('display-name') ?? uid,
        suspended: 0,
        keys: query.get('generate-key') === 'false' ? [] : [newKey(uid)],
        swift_keys: [],
        subusers: [],
        caps: [],
        user_quota: unlimited(),
        bucket_quota: unlimited(),
        size: 0,
        objects: 0,
      };
      users.set(uid, created);
      return send(response, 200, view(uid, created, false));
    }
    if (user === undefined) return fail(response, 404, 'NoSuchUser');
    if (query.has('quota')) {
      const type = query.get('quota-type');
      if (method === 'GET')
        return send(
          response,
          200,
          type === null
            ? { bucket_quota: user.bucket_quota, user_quota: user.user_quota }
            : type === 'user'
              ? user.user_quota
              : user.bucket_quota,
        );
      if (type === 'user') user.user_quota = quotaParams(query, user.user_quota);
      else user.bucket_quota = quotaParams(query, user.bucket_quota);
      return send(response, 200);
    }
    if (query.has('subuser')) {
      const id = query.get('subuser')!;
      const existing = user.subusers.find((subuser) => subuser.id === id);
      if (method === 'DELETE') {
        if (existing === undefined) return fail(response, 404, 'NoSuchSubUser');
        user.subusers = user.subusers.filter((subuser) => subuser.id !== id);
        user.keys = user.keys.filter((key) => key.user !== id);
        return send(response, 200);
      }
      const permissions = PERMISSIONS[query.get('access') ?? 'read'] ?? 'read';
      if (existing !== undefined) existing.permissions = permissions;
      else {
        user.subusers.push({ id, permissions });
        // Pacific gives every new subuser a key of its own, whatever it is asked.
        user.keys.push(newKey(id));
      }
      return send(response, 200, user.subusers);
    }
    if (query.has('key')) {
      if (method === 'PUT') {
        user.keys.push(newKey(uid));
        return send(response, 200, user.keys);
      }
      if (query.get('key-type') === 'swift') {
        user.swift_keys = user.swift_keys.filter((key) => key.user !== query.get('subuser'));
        return send(response, 200);
      }
      const before = user.keys.length;
      user.keys = user.keys.filter((key) => key.access_key !== query.get('access-key'));
      return user.keys.length === before ? fail(response, 403, 'InvalidAccessKeyId') : send(response, 200);
    }
    if (query.has('caps')) return send(response, 200, user.caps);
    if (method === 'GET') return send(response, 200, view(uid, user, query.get('stats') === 'true'));
    if (method === 'POST') {
      if (query.has('suspended')) user.suspended = query.get('suspended') === 'true' ? 1 : 0;
      if (query.has('display-name')) user.display_name = query.get('display-name')!;
      return send(response, 200, view(uid, user, false));
    }
    if (method === 'DELETE') {
      users.delete(uid);
      for (const [name, bucket] of buckets) if (bucket.owner === uid) buckets.delete(name);
      return send(response, 200);
    }
    return fail(response, 405, 'MethodNotAllowed');
  };

  const bucketRoute = (method: string, query: URLSearchParams, response: ServerResponse) => {
    if (method === 'GET') {
      const uid = query.get('uid');
      return send(
        response,
        200,
        [...buckets]
          .filter(([, bucket]) => uid === null || bucket.owner === uid)
          .map(([name]) => name)
          .sort(),
      );
    }
    const name = query.get('bucket') ?? '';
    if (!buckets.has(name)) return fail(response, 404, 'NoSuchBucket');
    if (query.get('purge-objects') !== 'true') return fail(response, 409, 'BucketNotEmpty');
    buckets.delete(name);
    return send(response, 200);
  };

  const usageRoute = (query: URLSearchParams, response: ServerResponse) => {
    const epochOf = (text: string | null, fallback: number) =>
      text === null ? fallback : Date.parse(`${text.replace(' ', 'T')}Z`) / 1000;
    const start = epochOf(query.get('start'), 0);
    const end = epochOf(query.get('end'), Number.POSITIVE_INFINITY);
    const byUser = new Map<string, FakeUsageBucket[]>();
    for (const bucket of usage) {
      if (bucket.epoch < start || bucket.epoch >= end) continue;
      if (query.has('uid') && bucket.user !== query.get('uid')) continue;
      byUser.set(bucket.user, [...(byUser.get(bucket.user) ?? []), bucket]);
    }
    return send(response, 200, {
      entries: [...byUser].map(([user, list]) => ({
        user,
        buckets: list.map((bucket) => ({
          bucket: bucket.bucket,
          time: new Date(bucket.epoch * 1000).toISOString(),
          epoch: bucket.epoch,
          owner: user,
          categories: bucket.categories,
        })),
      })),
      summary: [],
    });
  };

  const server = await createTestServer({
    handler: (incoming: IncomingMessage, response: ServerResponse) => {
      if (!String(incoming.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '))
        return fail(response, 403, 'AccessDenied');
      const url = new URL(incoming.url ?? '/', 'http://fake');
      const method = incoming.method ?? 'GET';
      const loss = losses.findIndex(
        (candidate) =>
          candidate.method === method && (candidate.flag === undefined || url.searchParams.has(candidate.flag)),
      );
      const target = loss === -1 ? response : lose(response);
      if (loss !== -1) losses.splice(loss, 1);
      if (url.pathname === '/admin/user') return userRoute(method, url.searchParams, target);
      if (url.pathname === '/admin/bucket') return bucketRoute(method, url.searchParams, target);
      if (url.pathname === '/admin/usage') return usageRoute(url.searchParams, target);
      return fail(target, 404, 'NoSuchKey');
    },
  });

  return {
    server,
    url: server.url,
    users,
    buckets,
    usage,
    loseNextResponse: (method, flag) => losses.push({ method, flag }),
    close: () => server.close(),
  };
}

/** A response whose answer never arrives: the change is applied, then the connection is cut. */
function lose(response: ServerResponse): ServerResponse {
  return new Proxy(response, {
    get(target, property) {
      if (property === 'writeHead') return () => target;
      if (property === 'end') return () => target.socket?.destroy();
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
