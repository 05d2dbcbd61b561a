import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificates, type TestCertificates } from './test-certificates.js';
import { createTestServer, sendJson, type TestServer } from './test-server.js';

let server: TestServer;

afterEach(async () => {
  await server?.close();
});

async function get(path: string, init: Parameters<typeof request>[1] = {}) {
  const response = await request(`${server.url}${path}`, init);
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe('createTestServer', () => {
  it('listens on 127.0.0.1 and a free port', async () => {
    server = await createTestServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.origin).toBe(server.url);
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers routes, the fallback handler, then a JSON 404', async () => {
    server = await createTestServer({ handler: (_request, response) => sendJson(response, 200, { from: 'fallback' }) });
    server.route('GET', '/items', (_request, response) => sendJson(response, 200, ['a']));
    server.route('*', /^\/any\//, (request, response) => sendJson(response, 200, { method: request.method }));
    expect((await get('/items')).text).toBe('["a"]');
    expect(JSON.parse((await get('/any/x', { method: 'DELETE' })).text)).toEqual({ method: 'DELETE' });
    expect(JSON.parse((await get('/other')).text)).toEqual({ from: 'fallback' });
    server.reset();
    // Routes are gone; the fallback stays.
    expect(JSON.parse((await get('/items')).text)).toEqual({ from: 'fallback' });
  });

  it('lets a later route override an earlier one', async () => {
    server = await createTestServer();
    server.route('GET', '/x', (_request, response) => sendJson(response, 200, 1));
    server.route('GET', '/x', (_request, response) => sendJson(response, 200, 2));
    expect((await get('/x')).text).toBe('2');
  });

  it('answers 404 without routes or handler, and 500 when a handler throws', async () => {
    server = await createTestServer();
    expect((await get('/nothing')).status).toBe(404);
    server.route('GET', '/boom', () => {
      throw new Error('broken handler');
    });
    const answer = await get('/boom');
    expect(answer.status).toBe(500);
    expect(answer.text).toContain('broken handler');
  });

  it('records method, path, query, headers and body', async () => {
    server = await createTestServer();
    server.route('POST', '/things', (_request, response) => sendJson(response, 201));
    await get('/things?a=1&b=two&a=3', { method: 'POST', body: '{"x":1}', headers: { 'x-test': 'yes' } });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/things',
      query: { a: '1', b: 'two' },
      body: '{"x":1}',
      headers: expect.objectContaining({ 'x-test': 'yes' }),
    });
  });
});

describe('faults', () => {
  it('status: answers instead of the route, `times` times, for matching requests only', async () => {
    server = await createTestServer();
    server.route('*', /.*/, (_request, response) => sendJson(response, 200, 'ok'));
    server.inject(
      { kind: 'status', status: 503, body: { error: 'busy' }, headers: { 'retry-after': '1' }, times: 2 },
      { method: 'GET', path: '/a' },
    );
    expect((await get('/b')).status).toBe(200);
    expect((await get('/a', { method: 'PUT' })).status).toBe(200);
    const first = await get('/a');
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect(JSON.parse(first.text)).toEqual({ error: 'busy' });
    expect((await get('/a')).status).toBe(503);
    expect((await get('/a')).status).toBe(200);
  });

  it('status with Infinity applies until cleared; a path pattern matches', async () => {
    server = await createTestServer();
    server.route('GET', /.*/, (_request, response) => sendJson(response, 200, 'ok'));
    server.inject(
      { kind: 'status', status: 500, body: 'plain failure', times: Number.POSITIVE_INFINITY },
      { path: /^\/v\d/ },
    );
    for (let index = 0; index < 3; index += 1) expect((await get('/v2/x')).status).toBe(500);
    expect((await get('/v2/x')).text).toBe('plain failure');
    server.clearFaults();
    expect((await get('/v2/x')).status).toBe(200);
  });

  it('latency delays and then answers normally', async () => {
    server = await createTestServer();
    server.route('GET', '/slow', (_request, response) => sendJson(response, 200, 'late'));
    server.inject({ kind: 'latency', ms: 150 });
    const started = Date.now();
    expect((await get('/slow')).text).toBe('"late"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('reset destroys the socket without an answer', async () => {
    server = await createTestServer();
    server.inject({ kind: 'reset' });
    await expect(get('/x')).rejects.toMatchObject({ code: expect.stringMatching(/UND_ERR_SOCKET|ECONNRESET/) });
    expect(server.requests).toHaveLength(1);
  });

  it('truncate sends part of the declared body and closes', async () => {
    server = await createTestServer();
    server.inject({ kind: 'truncate', body: JSON.stringify({ long: 'x'.repeat(100) }) });
    await expect(get('/x')).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('slow-body trickles the body in chunks', async () => {
    server = await createTestServer();
    server.inject({ kind: 'slow-body', chunkDelayMs: 40, body: '{"slow":true}', chunks: 4 });
    const started = Date.now();
    expect(JSON.parse((await get('/x')).text)).toEqual({ slow: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('hang never answers, and close() does not wait for it', async () => {
    server = await createTestServer();
    server.inject({ kind: 'hang' });
    const pending = get('/x').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.sockets.size).toBe(1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('close() cancels pending latency and slow-body timers', async () => {
    server = await createTestServer();
    server.inject({ kind: 'slow-body', chunkDelayMs: 10_000, body: '0123456789' });
    const pending = get('/x').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('TLS', () => {
  let certificates: TestCertificates;
  beforeAll(async () => {
    certificates = await createTestCertificates();
  });

  it('serves HTTPS and records the client certificate subject', async () => {
    const { Agent } = await import('undici');
    server = await createTestServer({ tls: { ...certificates.server, ca: certificates.ca.cert, requestCert: true } });
    server.route('GET', '/who', (_request, response) => sendJson(response, 200, 'hello'));
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const dispatcher = new Agent({ connect: { ca: certificates.ca.cert, ...certificates.client } });
    const answer = await get('/who', { dispatcher });
    expect(answer.text).toBe('"hello"');
    expect(server.requests[0]?.clientCertificateSubject).toBe('client');
    await dispatcher.close();
  });
});
