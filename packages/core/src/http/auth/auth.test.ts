import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OcxError } from '../../errors/ocx-error.js';
import { ManualClock } from '../../runtime/clock.js';
import { REDACTED, redactText } from '../../secrets/redact.js';
import { Secret } from '../../secrets/secret.js';
import { createTestServer, sendJson, type TestServer } from '../../testing/index.js';
import { createHttpClient } from '../http-client.js';
import type { AuthRequest } from './auth-plugin.js';
import { basicAuth } from './basic-auth.js';
import { type BearerToken, bearerToken } from './bearer-token.js';
import { requestSigner } from './request-signer.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

const ok = () => server.route('*', /.*/, (_request, response) => sendJson(response, 200, { ok: true }));
const authHeaders = () => server.requests.map((request) => request.headers.authorization);

describe('basicAuth', () => {
  it('sends the RFC 7617 header and registers the password', async () => {
    ok();
    const client = createHttpClient({
      backend: 'hil',
      baseUrl: server.url,
      auth: basicAuth({ username: 'admin', password: 'hil-pass-1' }),
    });
    await client.get('/nodes');
    expect(authHeaders()).toEqual([`Basic ${Buffer.from('admin:hil-pass-1').toString('base64')}`]);
    expect(redactText('pw is hil-pass-1')).toBe(`pw is ${REDACTED}`);
    expect(redactText(Buffer.from('admin:hil-pass-1').toString('base64'))).toBe(REDACTED);
  });

  it('accepts a Secret and refuses bad options', async () => {
    ok();
    const client = createHttpClient({
      backend: 'hil',
      baseUrl: server.url,
      auth: basicAuth({ username: 'u', password: Secret.from('secret-pw-2') }),
    });
    await client.get('/');
    expect(authHeaders()[0]).toBe(`Basic ${Buffer.from('u:secret-pw-2').toString('base64')}`);
    expect(() => basicAuth({ username: '', password: 'x' })).toThrow(/username/);
  });
});

describe('bearerToken', () => {
  function tokenSource(tokens: string[], expiresInMs?: number, clock?: ManualClock) {
    let calls = 0;
    const getToken = async (): Promise<BearerToken> => {
      const token = tokens[Math.min(calls, tokens.length - 1)]!;
      calls += 1;
      return {
        token: Secret.from(token),
        ...(expiresInMs === undefined
          ? {}
          : { expiresAt: new Date((clock?.now().getTime() ?? Date.now()) + expiresInMs) }),
      };
    };
    return { getToken, calls: () => calls };
  }

  it('fetches once, caches, and sends Authorization: Bearer', async () => {
    ok();
    const source = tokenSource(['token-aaa-1']);
    const client = createHttpClient({
      backend: 'x',
      baseUrl: server.url,
      auth: bearerToken({ getToken: source.getToken }),
    });
    await client.get('/a');
    await client.get('/b');
    expect(source.calls()).toBe(1);
    expect(authHeaders()).toEqual(['Bearer token-aaa-1', 'Bearer token-aaa-1']);
  });

  it('sends the raw token in X-Auth-Token', async () => {
    ok();
    const source = tokenSource(['token-keystone-1']);
    const client = createHttpClient({
      backend: 'nova',
      baseUrl: server.url,
      auth: bearerToken({ getToken: source.getToken, header: 'X-Auth-Token' }),
    });
    await client.get('/servers');
    expect(server.requests[0]?.headers['x-auth-token']).toBe('token-keystone-1');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('refreshes refreshBeforeMs before expiry, registering the new token and forgetting the old', async () => {
    ok();
    const clock = new ManualClock();
    const source = tokenSource(['token-old-1', 'token-new-2'], 120_000, clock);
    const client = createHttpClient({
      backend: 'x',
      baseUrl: server.url,
      auth: bearerToken({ getToken: source.getToken, refreshBeforeMs: 60_000, clock }),
    });
    await client.get('/');
    clock.advance(59_000);
    await client.get('/');
    expect(source.calls()).toBe(1);
    clock.advance(1_000);
    await client.get('/');
    expect(source.calls()).toBe(2);
    expect(authHeaders()).toEqual(['Bearer token-old-1', 'Bearer token-old-1', 'Bearer token-new-2']);
    expect(redactText('token-new-2')).toBe(REDACTED);
    expect(redactText('token-old-1')).toBe('token-old-1');
  });

  it('shares one refresh among concurrent callers', async () => {
    ok();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const auth = bearerToken({
      getToken: async () => {
        calls += 1;
        await gate;
        return { token: 'token-shared-1' };
      },
    });
    const client = createHttpClient({ backend: 'x', baseUrl: server.url, auth });
    const pending = Array.from({ length: 5 }, () => client.get('/'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await Promise.all(pending);
    expect(calls).toBe(1);
    expect(new Set(authHeaders())).toEqual(new Set(['Bearer token-shared-1']));
  });

  it('on 401 refreshes once and resends; the call succeeds', async () => {
    server.route('GET', '/me', (request, response) =>
      request.headers.authorization === 'Bearer token-fresh-2'
        ? sendJson(response, 200, { user: 'u' })
        : sendJson(response, 401, { error: { message: 'token expired', code: 401 } }),
    );
    const source = tokenSource(['token-stale-1', 'token-fresh-2']);
    const client = createHttpClient({
      backend: 'x',
      baseUrl: server.url,
      auth: bearerToken({ getToken: source.getToken }),
    });
    const response = await client.get('/me');
    expect(response.data).toEqual({ user: 'u' });
    expect(response.attempts).toBe(2);
    expect(source.calls()).toBe(2);
  });

  it('a second 401 is an auth error (one refresh per call)', async () => {
    server.route('*', /.*/, (_request, response) => sendJson(response, 401, { message: 'no' }));
    const source = tokenSource(['token-bad-1', 'token-bad-2']);
    const client = createHttpClient({
      backend: 'x',
      baseUrl: server.url,
      auth: bearerToken({ getToken: source.getToken }),
    });
    const error = (await client.post('/x').catch((caught: unknown) => caught)) as OcxError;
    expect(error).toMatchObject({ code: 'auth', status: 401, attempts: 2 });
    expect(source.calls()).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('concurrent 401s share one refresh', async () => {
    server.route('GET', '/me', (request, response) =>
      request.headers.authorization === 'Bearer token-c-2' ? sendJson(response, 200, {}) : sendJson(response, 401),
    );
    const source = tokenSource(['token-c-1', 'token-c-2', 'token-c-3']);
    const client = createHttpClient({
      backend: 'x',
      baseUrl: server.url,
      auth: bearerToken({ getToken: source.getToken }),
    });
    await client.get('/me').catch(() => undefined); // one 401 + refresh: now holds token-c-2
    server.reset();
    server.route('GET', '/me', (request, response) =>
      request.headers.authorization === 'Bearer token-c-3' ? sendJson(response, 200, {}) : sendJson(response, 401),
    );
    const results = await Promise.all(Array.from({ length: 4 }, () => client.get('/me')));
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(source.calls()).toBe(3);
  });

  it('a getToken failure is an auth error without the secret', async () => {
    const auth = bearerToken({
      getToken: async () => {
        throw new Error('keystone said no to password=hunter2-pw');
      },
    });
    const client = createHttpClient({ backend: 'x', baseUrl: server.url, auth });
    const error = (await client.get('/').catch((caught: unknown) => caught)) as OcxError;
    expect(OcxError.is(error)).toBe(true);
    expect(error.code).toBe('auth');
    expect(error.message).not.toContain('hunter2-pw');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses bad options', () => {
    expect(() => bearerToken({ getToken: 'nope' as never })).toThrow(/getToken/);
    expect(() => bearerToken({ getToken: async () => ({ token: 'x' }), header: 'Cookie' as never })).toThrow(/header/);
  });
});

describe('requestSigner', () => {
  it('signs the final method, URL, headers and body, again on each retry', async () => {
    ok();
    server.inject({ kind: 'status', status: 503 });
    const seen: AuthRequest[] = [];
    const auth = requestSigner((request) => {
      seen.push({ ...request, headers: { ...request.headers } });
      return {
        Authorization: `AWS4-HMAC-SHA256 Credential=AK/x, Signature=sig${seen.length}`,
        'X-Amz-Date': '20260101T000000Z',
      };
    });
    const client = createHttpClient({
      backend: 'rgw',
      baseUrl: `${server.url}/admin`,
      auth,
      retry: { minDelayMs: 1, maxDelayMs: 2 },
    });
    await client.put('/user', { query: { uid: 'u1' }, json: { quota: 5 } });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      body: '{"quota":5}',
      headers: { 'content-type': 'application/json' },
    });
    expect(seen[0]?.url.href).toBe(`${server.url}/admin/user?uid=u1`);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      'AWS4-HMAC-SHA256 Credential=AK/x, Signature=sig1',
      'AWS4-HMAC-SHA256 Credential=AK/x, Signature=sig2',
    ]);
    expect(server.requests[1]?.headers['x-amz-date']).toBe('20260101T000000Z');
  });
});

describe('credentials and origins', () => {
  let other: TestServer;
  beforeAll(async () => {
    other = await createTestServer();
  });
  afterEach(() => other.reset());
  afterAll(() => other.close());

  const echoOther = () =>
    other.route('*', /.*/, (request, response, body) =>
      sendJson(response, 200, { method: request.method, body, path: request.url }),
    );
  const auth = () => basicAuth({ username: 'landlord-a', password: 'landlord-a-password' });

  it('follows a same-origin 307 of a POST only when the call asks for it', async () => {
    server.route('POST', '/old', (_request, response) => sendJson(response, 307, undefined, { location: '/new?x=1' }));
    server.route('POST', '/new', (request, response, body) =>
      sendJson(response, 201, { method: request.method, body }),
    );
    const client = createHttpClient({ backend: 'a', baseUrl: server.url, auth: auth() });
    const refused = (await client.post('/old', { json: { name: 'n1' } }).catch((error: unknown) => error)) as OcxError;
    expect(refused).toMatchObject({ code: 'http', status: 307 });
    expect(server.requests.map((request) => request.path)).toEqual(['/old']);
    server.requests.length = 0;
    const response = await client.post('/old', { json: { name: 'n1' }, followRedirects: true });
    expect(response.status).toBe(201);
    expect(response.data).toEqual({ method: 'POST', body: '{"name":"n1"}' });
    expect(response.url).toBe(`${server.url}/new?x=1`);
    expect(server.requests.map((request) => request.headers.authorization !== undefined)).toEqual([true, true]);
  });

  it('follows a 308 for PUT', async () => {
    server.route('PUT', '/old', (_request, response) =>
      sendJson(response, 308, undefined, { location: `${server.url}/new` }),
    );
    server.route('PUT', '/new', (request, response, body) => sendJson(response, 200, { method: request.method, body }));
    const client = createHttpClient({ backend: 'a', baseUrl: server.url });
    expect((await client.put('/old', { body: 'payload', followRedirects: true })).data).toEqual({
      method: 'PUT',
      body: 'payload',
    });
  });

  it('refuses a 307 to another origin and sends nothing there', async () => {
    echoOther();
    server.route('POST', '/upload', (_request, response) =>
      sendJson(response, 307, undefined, { location: `${other.url}/bucket` }),
    );
    const client = createHttpClient({ backend: 'a', baseUrl: server.url, auth: auth() });
    for (const followRedirects of [undefined, true]) {
      const error = (await client
        .post('/upload', { body: 'secret-body', followRedirects })
        .catch((caught: unknown) => caught)) as OcxError;
      expect(error).toMatchObject({ code: 'protocol', status: 307, fault: 'server' });
      expect(error.message).toContain(`from ${server.origin} to ${other.origin}, another origin`);
    }
    expect(other.requests).toEqual([]);
  });

  it('follows a 307 to an origin the call lists, without credentials or the client headers', async () => {
    echoOther();
    server.route('POST', '/upload', (_request, response) =>
      sendJson(response, 307, undefined, { location: `${other.url}/bucket` }),
    );
    const client = createHttpClient({
      backend: 'a',
      baseUrl: server.url,
      auth: auth(),
      headers: { 'X-Auth-Token': 'static-token-a', 'X-Trace': 'not-forwarded' },
    });
    const response = await client.post('/upload', {
      body: 'data',
      headers: { Cookie: 'session=abc', 'X-Api-Key': 'k' },
      allowOrigins: [other.url],
    });
    expect(response.data).toMatchObject({ method: 'POST', body: 'data' });
    expect(server.requests[0]?.headers.authorization).toMatch(/^Basic /);
    const forwarded = other.requests[0]!.headers;
    for (const name of ['authorization', 'x-auth-token', 'cookie', 'x-api-key', 'x-trace']) {
      expect(forwarded[name], name).toBeUndefined();
    }
  });

  it('refuses an absolute URL on another origin unless the call lists it, and then sends no credentials', async () => {
    echoOther();
    const client = createHttpClient({ backend: 'a', baseUrl: server.url, auth: auth() });
    const error = (await client.get(`${other.url}/somewhere`).catch((caught: unknown) => caught)) as OcxError;
    expect(error).toMatchObject({ code: 'validation', fault: 'client' });
    expect(error.message).toContain(other.origin);
    expect(other.requests).toEqual([]);
    await client.get(`${other.url}/somewhere`, { allowOrigins: [other.url] });
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('sends credentials to an allowed origin', async () => {
    echoOther();
    server.route('GET', '/go', (_request, response) =>
      sendJson(response, 307, undefined, { location: `${other.url}/there` }),
    );
    const client = createHttpClient({ backend: 'a', baseUrl: server.url, auth: auth(), allowedOrigins: [other.url] });
    await client.get('/go');
    expect(other.requests[0]?.headers.authorization).toMatch(/^Basic /);
  });

  it('does not follow redirects when told not to, and stops after 5 hops', async () => {
    server.route('GET', /^\/loop\/\d+$/, (request, response) => {
      const hop = Number(request.url!.split('/')[2]);
      sendJson(response, 307, undefined, { location: `/loop/${hop + 1}` });
    });
    const client = createHttpClient({ backend: 'a', baseUrl: server.url });
    const unfollowed = (await client
      .get('/loop/0', { followRedirects: false })
      .catch((error: unknown) => error)) as OcxError;
    expect(unfollowed).toMatchObject({ code: 'http', status: 307 });
    server.requests.length = 0;
    const looped = (await client.get('/loop/0').catch((error: unknown) => error)) as OcxError;
    expect(looped.code).toBe('protocol');
    expect(looped.message).toContain('more than 5');
    expect(server.requests).toHaveLength(6);
  });
});
