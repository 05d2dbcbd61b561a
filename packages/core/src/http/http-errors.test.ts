import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import { createTestServer, sendJson, type TestServer } from '../testing/index.js';
import { createHttpClient } from './http-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

const client = () => createHttpClient({ backend: 'hil', baseUrl: server.url, retry: { retries: 0 } });

async function failure(promise: Promise<unknown>): Promise<OcxError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(OcxError.is(error)).toBe(true);
  return error as OcxError;
}

describe('status errors', () => {
  it.each([
    [401, 'auth', 'client', false],
    [403, 'auth', 'client', false],
    [404, 'not-found', 'client', false],
    [409, 'conflict', 'client', false],
    [400, 'http', 'client', false],
    [422, 'http', 'client', false],
    [429, 'http', 'client', true],
    [500, 'http', 'server', true],
    [503, 'http', 'server', true],
  ] as const)('maps %i to %s', async (status, code, fault, retryable) => {
    server.inject({ kind: 'status', status, body: { type: 'SomeError', msg: `status ${status}` } });
    const error = await failure(client().get('/nodes/n1', { operation: 'show_node' }));
    expect(error).toMatchObject({
      code,
      fault,
      retryable,
      status,
      backend: 'hil',
      operation: 'show_node',
      attempts: 1,
      backendErrorType: 'SomeError',
      backendMessage: `status ${status}`,
    });
    expect(error.message).toContain(`hil: show_node failed: HTTP ${status}`);
  });

  it('names the method and path when there is no operation, without the query', async () => {
    server.inject({ kind: 'status', status: 404 });
    const error = await failure(client().get('/nodes/n1', { query: { q: 'hidden' } }));
    expect(error.message).toBe('hil: GET /nodes/n1 failed: HTTP 404 Not Found');
  });

  it('lets a driver parse its own error format, falling back to the default for the rest', async () => {
    server.inject({
      kind: 'status',
      status: 400,
      body: { code: 400, status: 'Bad Request', results: { detail: 'agent id invalid' } },
      headers: { 'x-request-id': 'req-1' },
    });
    const keylime = createHttpClient({
      backend: 'keylime',
      baseUrl: server.url,
      errorParser: ({ bodyText }) => ({
        message: (JSON.parse(bodyText) as { results: { detail: string } }).results.detail,
      }),
    });
    const error = await failure(keylime.post('/agents/x'));
    expect(error).toMatchObject({
      backendErrorType: 'Bad Request',
      backendMessage: 'agent id invalid',
      requestId: 'req-1',
    });
  });

  it('survives a throwing error parser', async () => {
    server.inject({ kind: 'status', status: 500, body: 'oops' });
    const broken = createHttpClient({
      backend: 'x',
      baseUrl: server.url,
      retry: { retries: 0 },
      errorParser: () => {
        throw new Error('parser bug');
      },
    });
    const error = await failure(broken.get('/x'));
    expect(error).toMatchObject({ code: 'http', status: 500, backendMessage: 'oops' });
  });

  it('reduces a proxy HTML 502 to its title', async () => {
    const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>${'<p>filler</p>'.repeat(500)}<hr><center>nginx/1.25</center></body></html>`;
    server.inject({ kind: 'status', status: 502, body: html, headers: { 'content-type': 'text/html' } });
    const error = await failure(client().get('/x'));
    expect(error).toMatchObject({ code: 'http', status: 502, retryable: true, backendMessage: '502 Bad Gateway' });
    expect(error.message).not.toContain('<');
    expect(error.message.length).toBeLessThan(200);
  });

  it('handles an empty error body and a plain-text one, capped at 2 KB', async () => {
    server.inject({ kind: 'status', status: 500 });
    const empty = await failure(client().get('/x'));
    expect(empty).toMatchObject({ code: 'http', status: 500, backendMessage: undefined });
    server.inject({ kind: 'status', status: 400, body: `first line\n${'y'.repeat(10_000)}` });
    const long = await failure(client().get('/x'));
    expect(long.backendMessage?.length).toBeLessThan(2200);
    expect(long.backendMessage).toContain('more characters');
    expect(long.message.length).toBeLessThan(500);
  });

  it('does not crash on a malformed JSON error body', async () => {
    server.inject({
      kind: 'status',
      status: 409,
      body: '{"type": "Conflict',
      headers: { 'content-type': 'application/json' },
    });
    const error = await failure(client().get('/x'));
    expect(error.code).toBe('conflict');
    expect(error.backendMessage).toContain('malformed JSON');
  });

  it('follows a same-origin 301 of a GET, and reports one of a POST it cannot follow', async () => {
    server.route('*', '/moved', (_request, response) => sendJson(response, 301, undefined, { location: '/new' }));
    server.route('GET', '/new', (_request, response) => sendJson(response, 200, { moved: true }));
    expect((await client().get('/moved')).data).toEqual({ moved: true });
    const error = await failure(client().post('/moved', { json: {} }));
    expect(error).toMatchObject({ code: 'http', status: 301, retryable: false });
    expect(server.requests.filter((request) => request.method === 'GET' && request.path === '/new')).toHaveLength(1);
    const unfollowed = await failure(client().get('/moved', { followRedirects: false }));
    expect(unfollowed).toMatchObject({ code: 'http', status: 301 });
  });
});

describe('bad requests', () => {
  it('an unparseable URL or unserialisable body is a client validation error, never a bare TypeError', async () => {
    const badUrl = await failure(client().get('http://[not-a-host/x'));
    expect(badUrl).toMatchObject({ code: 'validation', fault: 'client', backend: 'hil' });
    const badJson = await failure(client().post('/x', { json: { big: 1n } }));
    expect(badJson).toMatchObject({ code: 'validation', fault: 'client' });
  });

  it('a redirect to a URL that is not http(s) is a protocol error', async () => {
    server.route('GET', '/odd', (_request, response) =>
      sendJson(response, 307, undefined, { location: 'ftp://files.example/x' }),
    );
    const error = await failure(client().get('/odd'));
    expect(error).toMatchObject({ code: 'protocol', status: 307 });
  });
});

describe('malformed responses', () => {
  it('truncated JSON on a 2xx is a protocol error', async () => {
    server.route('GET', '/cut', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"nodes": ["n1", "n2"');
    });
    const error = await failure(client().get('/cut', { operation: 'list_nodes' }));
    expect(error).toMatchObject({ code: 'protocol', fault: 'server', status: 200, operation: 'list_nodes' });
    expect(error.message).toContain('not valid JSON');
    expect(error.message).not.toContain('"n1"');
  });

  it('an HTML page where JSON was expected is a protocol error naming its title', async () => {
    server.route('GET', '/login', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><head><title>Sign in</title></head><body>form</body></html>');
    });
    const error = await failure(client().get('/login'));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('HTML page ("Sign in")');
  });

  it('JSON of the wrong shape is a validation error with fault server, naming backend, operation and field', async () => {
    server.route('GET', '/node', (_request, response) => sendJson(response, 200, { name: 'n1', nics: [{ port: 7 }] }));
    const schema = z.object({ name: z.string(), nics: z.array(z.object({ port: z.string() })) });
    const error = await failure(client().get('/node', { schema, operation: 'show_node' }));
    expect(error).toMatchObject({
      code: 'validation',
      fault: 'server',
      backend: 'hil',
      operation: 'show_node',
      attempts: 1,
    });
    expect(error.issues[0]?.path).toBe('nics.0.port');
    expect(error.message).toContain('hil show_node');
    expect(error.message).toContain('nics.0.port');
  });

  it('an empty 2xx body with a schema is a validation error', async () => {
    server.route('GET', '/nothing', (_request, response) => sendJson(response, 200));
    const error = await failure(client().get('/nothing', { schema: z.object({ id: z.string() }) }));
    expect(error.code).toBe('validation');
  });

  it('a connection closed mid-body is a network error', async () => {
    server.inject({
      kind: 'truncate',
      body: JSON.stringify({ nodes: Array.from({ length: 50 }, (_, index) => `node-${index}`) }),
    });
    const error = await failure(client().get('/nodes'));
    expect(error).toMatchObject({ code: 'network', retryable: true });
  });

  it('a reset before any answer is a network error', async () => {
    server.inject({ kind: 'reset' });
    const error = await failure(client().get('/nodes'));
    expect(error).toMatchObject({ code: 'network', retryable: true });
  });

  it('a refused connection is a network error', async () => {
    const closed = await createTestServer();
    const url = closed.url;
    await closed.close();
    const error = await failure(createHttpClient({ backend: 'x', baseUrl: url, retry: { retries: 0 } }).get('/'));
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('an error status whose body breaks off still reports the status', async () => {
    server.inject({ kind: 'truncate', status: 503, body: JSON.stringify({ message: 'x'.repeat(200) }) });
    const error = await failure(client().get('/x'));
    expect(error).toMatchObject({ code: 'http', status: 503 });
  });
});

describe('timeouts and aborts', () => {
  it('a server that never answers times out with code timeout', async () => {
    server.inject({ kind: 'hang' });
    const started = Date.now();
    const error = await failure(client().get('/x', { timeoutMs: 150 }));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(error.message).toContain('150 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a body that trickles past the deadline times out', async () => {
    server.inject({ kind: 'slow-body', chunkDelayMs: 200, body: '{"a":"bcdefghijklmnop"}', chunks: 5 });
    const error = await failure(client().get('/x', { timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
  });

  it('a caller abort gives code aborted', async () => {
    server.inject({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(client().get('/x', { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'aborted', retryable: false });
  });

  it('an already aborted signal never sends', async () => {
    const error = await failure(client().get('/x', { signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(server.requests).toHaveLength(0);
  });
});
