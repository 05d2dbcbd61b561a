import { Agent, Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, sendJson, type TestServer } from '../testing/index.js';
import { createHttpClient } from './http-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

/** A custom dispatcher that speaks only undici's older callback protocol, as third-party ones may. */
class CallbackOnlyDispatcher extends Dispatcher {
  readonly seen: Dispatcher.DispatchOptions[] = [];
  constructor(private readonly answer: { status: number; headers: string[]; chunks: string[] }) {
    super();
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.seen.push(options);
    setImmediate(() => {
      handler.onConnect?.(() => {});
      handler.onHeaders?.(
        this.answer.status,
        this.answer.headers.map((text) => Buffer.from(text)),
        () => {},
        'OK',
      );
      for (const chunk of this.answer.chunks) handler.onData?.(Buffer.from(chunk));
      handler.onComplete?.([]);
    });
    return true;
  }
}

describe('buffered exchanges', () => {
  it('work with a dispatcher that speaks only the callback protocol', async () => {
    const dispatcher = new CallbackOnlyDispatcher({
      status: 200,
      headers: ['content-type', 'application/json', 'x-request-id', 'req-9'],
      chunks: ['{"a":', '[1,2]}'],
    });
    const client = createHttpClient({ backend: 'custom', baseUrl: 'https://custom.example/api', dispatcher });
    const response = await client.get('/things', { query: { q: 'x y' } });
    expect(response.data).toEqual({ a: [1, 2] });
    expect(response.requestId).toBe('req-9');
    expect(dispatcher.seen[0]).toMatchObject({
      origin: 'https://custom.example',
      path: '/api/things?q=x%20y',
      method: 'GET',
    });
  });

  it('normalises paths that need it before sending', async () => {
    const dispatcher = new CallbackOnlyDispatcher({ status: 204, headers: [], chunks: [] });
    const client = createHttpClient({ backend: 'custom', baseUrl: 'https://custom.example/api/v1', dispatcher });
    await client.get('/../v2/a b');
    expect(dispatcher.seen[0]?.path).toBe('/api/v2/a%20b');
  });

  it('times out a request still queued for a connection, without waiting for one', async () => {
    server.route('GET', '/slow', () => {
      // never answers
    });
    server.route('GET', '/fast', (_request, response) => sendJson(response, 200, {}));
    const agent = new Agent({ connections: 1, pipelining: 1 });
    const client = createHttpClient({ backend: 'q', baseUrl: server.url, dispatcher: agent, retry: { retries: 0 } });
    const blocker = client.get('/slow', { timeoutMs: 600 }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const queued = await client.get('/fast', { timeoutMs: 100 }).catch((error: unknown) => error);
    expect(queued).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await blocker).toMatchObject({ code: 'timeout' });
    await agent.close();
  });

  it('discards the body of an empty response type and keeps big bodies whole', async () => {
    const big = 'z'.repeat(300_000);
    server.route('GET', '/big', (_request, response) => sendJson(response, 200, { big }));
    const client = createHttpClient({ backend: 'b', baseUrl: server.url });
    expect((await client.get('/big', { responseType: 'empty' })).data).toBeUndefined();
    expect(((await client.get('/big')).data as { big: string }).big).toHaveLength(300_000);
  });

  it('keeps only the first 64 KiB of a huge error page', async () => {
    server.route('GET', '/huge-error', (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('e'.repeat(1_000_000));
    });
    const client = createHttpClient({ backend: 'b', baseUrl: server.url, retry: { retries: 0 } });
    const error = await client.get('/huge-error').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'http', status: 500 });
    expect((error as { backendMessage: string }).backendMessage.length).toBeLessThan(2200);
  });

  it('a stream keeps honouring the caller abort until it is read', async () => {
    server.inject({ kind: 'slow-body', chunkDelayMs: 100, body: 'x'.repeat(1000), chunks: 10 });
    const controller = new AbortController();
    const client = createHttpClient({ backend: 'b', baseUrl: server.url });
    const response = await client.get('/stream', { responseType: 'stream', signal: controller.signal, timeoutMs: 50 });
    // The per-attempt timeout covers the wait for headers only; the caller's signal covers the rest.
    const read = (async () => {
      let length = 0;
      for await (const chunk of response.data) length += (chunk as Buffer).length;
      return length;
    })();
    setTimeout(() => controller.abort(), 250);
    await expect(read).rejects.toBeDefined();
  });

  it('refuses a base URL with a query or fragment', () => {
    expect(() => createHttpClient({ backend: 'b', baseUrl: 'https://x.example/api?token=1' })).toThrow(/baseUrl/);
  });
});
