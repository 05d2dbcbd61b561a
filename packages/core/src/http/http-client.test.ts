import { Readable } from 'node:stream';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import type { LogFields, Logger } from '../runtime/logger.js';
import { createTestServer, sendJson, type TestServer } from '../testing/index.js';
import { createHttpClient } from './http-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

const echo = () =>
  server.route('*', /.*/, (request, response, body) =>
    sendJson(response, 200, { method: request.method, url: request.url, body, headers: request.headers }),
  );

describe('createHttpClient options', () => {
  it('refuses bad options with a validation error naming the field', () => {
    const attempt = (options: unknown) => {
      try {
        createHttpClient(options as never);
      } catch (error) {
        return error as OcxError;
      }
      throw new Error('expected a validation error');
    };
    const badUrl = attempt({ backend: 'hil', baseUrl: 'not a url' });
    expect(badUrl.code).toBe('validation');
    expect(badUrl.message).toContain('baseUrl');
    expect(attempt({ backend: 'hil', baseUrl: 'ftp://x' }).issues[0]?.path).toBe('baseUrl');
    expect(attempt({ backend: '', baseUrl: 'http://x' }).issues[0]?.path).toBe('backend');
    expect(attempt({ backend: 'x', baseUrl: 'http://x', timeoutMs: -1 }).issues[0]?.path).toBe('timeoutMs');
    expect(attempt({ backend: 'x', baseUrl: 'http://x', retry: { retries: 'many' } }).issues[0]?.path).toBe(
      'retry.retries',
    );
    expect(
      attempt({ backend: 'x', baseUrl: 'http://x', retry: { minDelayMs: 10, maxDelayMs: 1 } }).issues[0]?.path,
    ).toBe('retry.minDelayMs');
    expect(attempt({ backend: 'x', baseUrl: 'http://x', auth: { name: 'nope' } }).issues[0]?.path).toBe('auth');
    expect(attempt({ backend: 'x', baseUrl: 'http://x', allowedOrigins: ['nope'] }).issues[0]?.path).toBe(
      'allowedOrigins.0',
    );
    expect(attempt({ backend: 'x', baseUrl: 'http://x', timeout: 5 }).message).toContain('timeout');
  });

  it('exposes backend and normalised base URL', () => {
    const client = createHttpClient({ backend: 'nova', baseUrl: 'http://nova.example/v2.1/' });
    expect(client.backend).toBe('nova');
    expect(client.baseUrl).toBe('http://nova.example/v2.1');
  });
});

describe('requests', () => {
  it('GETs JSON relative to a base URL with a path prefix, with query and headers', async () => {
    echo();
    const client = createHttpClient({
      backend: 'test',
      baseUrl: `${server.url}/v2.1/project`,
      headers: { 'X-Client': 'ocx' },
    });
    const response = await client.get('/servers', {
      query: { limit: 2, marker: undefined, name: 'a b', tag: ['x', 'y'], none: null },
      headers: { 'X-Call': '1' },
    });
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(1);
    expect(response.totalRetryDelayMs).toBe(0);
    expect(response.url).toBe(`${server.url}/v2.1/project/servers?limit=2&name=a%20b&tag=x&tag=y`);
    const data = response.data as { url: string; headers: Record<string, string> };
    expect(data.url).toBe('/v2.1/project/servers?limit=2&name=a%20b&tag=x&tag=y');
    expect(data.headers).toMatchObject({ 'x-client': 'ocx', 'x-call': '1', accept: 'application/json' });
  });

  it('keeps relative paths under the base URL', async () => {
    echo();
    const client = createHttpClient({ backend: 'test', baseUrl: `${server.url}/base` });
    const response = await client.get('//evil.example/x');
    expect((response.data as { url: string }).url).toBe('/base/evil.example/x');
  });

  it('sends JSON, form and raw bodies with their content types', async () => {
    echo();
    const client = createHttpClient({ backend: 'test', baseUrl: server.url });
    const json = await client.post('/j', { json: { a: [1, 2] } });
    expect(json.data).toMatchObject({
      method: 'POST',
      body: '{"a":[1,2]}',
      headers: { 'content-type': 'application/json' },
    });
    const form = await client.put('/f', { form: { user: 'a b', empty: undefined, n: 3 } });
    expect(form.data).toMatchObject({
      body: 'user=a%20b&n=3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const raw = await client.patch('/r', {
      body: Buffer.from('raw bytes'),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(raw.data).toMatchObject({
      method: 'PATCH',
      body: 'raw bytes',
      headers: { 'content-type': 'application/octet-stream' },
    });
    const deleted = await client.delete('/d');
    expect(deleted.data).toMatchObject({ method: 'DELETE' });
  });

  it('refuses a call with two bodies', async () => {
    const client = createHttpClient({ backend: 'test', baseUrl: server.url });
    await expect(client.post('/x', { json: {}, body: 'x' })).rejects.toMatchObject({ code: 'validation' });
  });

  it('reads every response type', async () => {
    server.route('GET', '/text', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('plain text');
    });
    server.route('GET', '/bytes', (_request, response) => response.end(Buffer.from([0, 1, 2, 255])));
    server.route('GET', '/empty', (_request, response) => sendJson(response, 204));
    server.route('HEAD', '/head', (_request, response) => {
      response.writeHead(200, { 'x-object-meta': 'yes', 'content-length': 5 });
      response.end();
    });
    server.route('GET', '/stream', (_request, response) => response.end('a'.repeat(100_000)));
    const client = createHttpClient({ backend: 'test', baseUrl: server.url });

    const text = await client.get('/text', { responseType: 'text' });
    expect(text.data).toBe('plain text');
    const bytes = await client.get('/bytes', { responseType: 'buffer' });
    expect([...bytes.data]).toEqual([0, 1, 2, 255]);
    expect((await client.get('/empty')).data).toBeUndefined();
    expect((await client.get('/text', { responseType: 'empty' })).data).toBeUndefined();
    const head = await client.head('/head');
    expect(head.headers['x-object-meta']).toBe('yes');
    expect(head.data).toBeUndefined();
    const stream = await client.get('/stream', { responseType: 'stream' });
    expect(stream.data).toBeInstanceOf(Readable);
    let length = 0;
    for await (const chunk of stream.data) length += (chunk as Buffer).length;
    expect(length).toBe(100_000);
  });

  it('validates JSON with a schema and types the data', async () => {
    server.route('GET', '/node', (_request, response) =>
      sendJson(response, 200, { name: 'n1', nics: [{ port: 'p1' }] }),
    );
    const client = createHttpClient({ backend: 'hil', baseUrl: server.url });
    const schema = z.object({ name: z.string(), nics: z.array(z.object({ port: z.string() })) });
    const { data } = await client.get('/node', { schema });
    const name: string = data.name;
    expect(name).toBe('n1');
    expect(data.nics[0]?.port).toBe('p1');
  });

  it('accepts statuses listed in expectedStatus', async () => {
    server.route('GET', '/gone', (_request, response) => sendJson(response, 404, { message: 'gone' }));
    const client = createHttpClient({ backend: 'test', baseUrl: server.url });
    const response = await client.get('/gone', { expectedStatus: [200, 404] });
    expect(response.status).toBe(404);
    expect(response.data).toEqual({ message: 'gone' });
  });

  it('reports the request id from the first known header', async () => {
    server.route('GET', '/id', (_request, response) =>
      sendJson(response, 200, {}, { 'x-compute-request-id': 'req-compute', 'x-openstack-request-id': 'req-openstack' }),
    );
    const client = createHttpClient({ backend: 'nova', baseUrl: server.url });
    expect((await client.get('/id')).requestId).toBe('req-openstack');
    const custom = createHttpClient({
      backend: 'nova',
      baseUrl: server.url,
      requestIdHeaders: ['X-Compute-Request-Id'],
    });
    expect((await custom.get('/id')).requestId).toBe('req-compute');
  });

  it('uses an injected dispatcher', async () => {
    echo();
    let dispatched = 0;
    const agent = new Agent();
    const counting = agent.compose((dispatch) => (options, handler) => {
      dispatched += 1;
      return dispatch(options, handler);
    });
    const client = createHttpClient({ backend: 'test', baseUrl: server.url, dispatcher: counting });
    await client.get('/x');
    expect(dispatched).toBe(1);
    await agent.close();
  });

  it('logs one debug line per attempt with method, path, status and ms, never headers, bodies or query', async () => {
    echo();
    const lines: Array<{ message: string; fields?: LogFields }> = [];
    const record = (message: string, fields?: LogFields) => lines.push({ message, fields });
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const client = createHttpClient({ backend: 'test', baseUrl: server.url, logger });
    await client.post('/things', {
      json: { hidden: 'body-text' },
      query: { filter: 'query-text' },
      headers: { 'x-h': 'header-text' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields).toMatchObject({
      backend: 'test',
      method: 'POST',
      path: '/things',
      status: 200,
      attempt: 1,
    });
    expect(typeof lines[0]?.fields?.ms).toBe('number');
    const text = JSON.stringify(lines);
    for (const hidden of ['body-text', 'query-text', 'header-text']) expect(text).not.toContain(hidden);
  });

  it('accepts an absolute URL on the same origin', async () => {
    echo();
    const client = createHttpClient({ backend: 'test', baseUrl: `${server.url}/v1` });
    const response = await client.get(`${server.url}/elsewhere?x=1`);
    expect((response.data as { url: string }).url).toBe('/elsewhere?x=1');
  });

  it('throws OcxError, recognisable with OcxError.is', async () => {
    server.route('GET', '/missing', (_request, response) => sendJson(response, 404, { message: 'no such thing' }));
    const client = createHttpClient({ backend: 'test', baseUrl: server.url });
    const error = await client.get('/missing').catch((caught: unknown) => caught);
    expect(OcxError.is(error)).toBe(true);
  });
});
