import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OcxError } from '../errors/ocx-error.js';
import { ManualClock } from '../runtime/clock.js';
import { createTestServer, sendJson, type TestServer } from '../testing/index.js';
import { createHttpClient } from './http-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

const ok = () => server.route('*', /.*/, (_request, response) => sendJson(response, 200, { ok: true }));
const fast = { minDelayMs: 1, maxDelayMs: 5 };
const client = (retry: object = fast) => createHttpClient({ backend: 'test', baseUrl: server.url, retry });
const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error('expected failure')),
    (error: OcxError) => error,
  );

describe('which calls are retried', () => {
  it('retries a GET on 503 and succeeds with attempts = 2', async () => {
    ok();
    server.inject({ kind: 'status', status: 503 });
    const response = await client().get('/x');
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(response.totalRetryDelayMs).toBeGreaterThanOrEqual(1);
    expect(server.requests).toHaveLength(2);
  });

  it.each([429, 502, 504])('retries %i', async (status) => {
    ok();
    server.inject({ kind: 'status', status });
    expect((await client().get('/x')).attempts).toBe(2);
  });

  it('never retries a POST or PATCH unless marked idempotent', async () => {
    ok();
    server.inject({ kind: 'status', status: 503, times: 2 });
    const post = await caught(client().post('/x', { json: {} }));
    expect(post).toMatchObject({ code: 'http', status: 503, attempts: 1 });
    const patch = await caught(client().patch('/x', { json: {} }));
    expect(patch.attempts).toBe(1);
    expect(server.requests).toHaveLength(2);

    server.inject({ kind: 'status', status: 503 });
    const idempotent = await client().post('/x', { json: { id: 'abc' }, idempotent: true });
    expect(idempotent.attempts).toBe(2);
    expect(server.requests.at(-1)?.body).toBe('{"id":"abc"}');
  });

  it('does not retry a GET marked idempotent: false', async () => {
    server.inject({ kind: 'status', status: 503 });
    expect((await caught(client().get('/x', { idempotent: false }))).attempts).toBe(1);
  });

  it('does not retry statuses outside the list, or client errors', async () => {
    server.inject({ kind: 'status', status: 500 });
    expect((await caught(client().get('/x'))).attempts).toBe(1);
    server.inject({ kind: 'status', status: 404 });
    expect((await caught(client().get('/x'))).attempts).toBe(1);
    ok();
    server.inject({ kind: 'status', status: 500 });
    expect((await client({ ...fast, statuses: [500] }).get('/x')).attempts).toBe(2);
  });

  it('retries connection resets, bodies cut mid-way and timeouts on idempotent calls', async () => {
    ok();
    server.inject({ kind: 'reset' });
    expect((await client().get('/x')).attempts).toBe(2);
    server.inject({ kind: 'truncate', body: '{"ok": true, "padding": "0123456789"}' });
    expect((await client().put('/x', { json: {} })).attempts).toBe(2);
    server.inject({ kind: 'hang' });
    expect((await client().delete('/x', { timeoutMs: 100 })).attempts).toBe(2);
  });

  it('does not retry a reset POST', async () => {
    server.inject({ kind: 'reset' });
    expect(await caught(client().post('/x'))).toMatchObject({ code: 'network', attempts: 1 });
  });

  it('stops after `retries` retries and records attempts and total delay', async () => {
    server.inject({ kind: 'status', status: 503, times: Number.POSITIVE_INFINITY });
    const error = await caught(client({ retries: 3, minDelayMs: 2, maxDelayMs: 4 }).get('/x'));
    expect(error).toMatchObject({ code: 'http', status: 503, attempts: 4, retryable: true });
    expect(error.totalRetryDelayMs).toBeGreaterThanOrEqual(6);
    expect(error.totalRetryDelayMs).toBeLessThanOrEqual(12);
    expect(server.requests).toHaveLength(4);
  });

  it('per call: retry: false disables, an object overrides', async () => {
    server.inject({ kind: 'status', status: 503, times: Number.POSITIVE_INFINITY });
    expect((await caught(client().get('/x', { retry: false }))).attempts).toBe(1);
    expect((await caught(client().get('/x', { retry: { retries: 4 } }))).attempts).toBe(5);
  });
});

describe('aborts', () => {
  it('never retries an aborted call', async () => {
    server.inject({ kind: 'hang', times: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await caught(client().get('/x', { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'aborted', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('an abort during the backoff sleep rejects at once', async () => {
    server.inject({ kind: 'status', status: 503, headers: { 'retry-after': '20' }, times: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await caught(client({ maxRetryAfterMs: 60_000 }).get('/x', { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'aborted', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('caps a Retry-After of an hour at maxRetryAfterMs', async () => {
    ok();
    server.inject({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    const started = Date.now();
    const response = await client({ ...fast, maxRetryAfterMs: 50 }).get('/x');
    expect(response.attempts).toBe(2);
    expect(response.totalRetryDelayMs).toBe(50);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('honours a short Retry-After in seconds', async () => {
    ok();
    server.inject({ kind: 'status', status: 503, headers: { 'retry-after': '0.2' } });
    const started = Date.now();
    const response = await client().get('/x');
    expect(response.totalRetryDelayMs).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('honours a Retry-After date against the client clock', async () => {
    ok();
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    server.inject({ kind: 'status', status: 503, headers: { 'retry-after': 'Sun, 01 Mar 2026 00:00:07 GMT' } });
    const pending = createHttpClient({ backend: 'test', baseUrl: server.url, clock, retry: fast }).get('/x');
    await until(() => server.requests.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests).toHaveLength(1);
    clock.advance(7000);
    const response = await pending;
    expect(response.totalRetryDelayMs).toBe(7000);
    expect(response.attempts).toBe(2);
  });
});

describe('backoff', () => {
  it('sleeps on the injected clock between min and max', async () => {
    ok();
    const clock = new ManualClock();
    server.inject({ kind: 'status', status: 503 });
    const pending = createHttpClient({
      backend: 'test',
      baseUrl: server.url,
      clock,
      retry: { minDelayMs: 1000, maxDelayMs: 2000 },
    }).get('/x');
    await until(() => server.requests.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    clock.advance(999);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests).toHaveLength(1);
    clock.advance(1001);
    const response = await pending;
    expect(response.totalRetryDelayMs).toBeGreaterThanOrEqual(1000);
    expect(response.totalRetryDelayMs).toBeLessThanOrEqual(2000);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
