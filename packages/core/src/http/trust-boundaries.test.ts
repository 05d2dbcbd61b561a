import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OcxError } from '../errors/ocx-error.js';
import { REDACTED, redactText, SECRET_HEADERS, SECRET_QUERY_PARAMETERS } from '../secrets/redact.js';
import { createTestServer, sendJson, type TestServer } from '../testing/index.js';
import { basicAuth } from './auth/basic-auth.js';
import { createHttpClient } from './http-client.js';
import { linkHeaderPages, nextLinkPages } from './link-pages.js';
import { paginate } from './paginate.js';

let server: TestServer;
let other: TestServer;
beforeAll(async () => {
  server = await createTestServer();
  other = await createTestServer();
});
afterEach(() => {
  server.reset();
  other.reset();
});
afterAll(async () => {
  await server.close();
  await other.close();
});

const PASSWORD = 'trust-boundary-password';
const client = (options: { maxResponseBytes?: number } = {}) =>
  createHttpClient({
    backend: 'landlord-a',
    baseUrl: server.url,
    auth: basicAuth({ username: 'a', password: PASSWORD }),
    headers: { 'X-Landlord-Secret': 'custom-header-secret' },
    retry: { retries: 0 },
    ...options,
  });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as OcxError,
  );

describe('redirects to another origin', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      it(`${status} of a ${method} is a protocol error naming both origins; nothing reaches the other origin`, async () => {
        server.route('*', '/start', (_request, response) =>
          sendJson(response, status, undefined, { location: `${other.url}/stolen?token=x` }),
        );
        const body = method === 'GET' || method === 'HEAD' ? undefined : `{"password":"${PASSWORD}"}`;
        for (const followRedirects of [undefined, true]) {
          const error = await failure(client().request({ method, path: '/start', body, followRedirects }));
          expect(error).toMatchObject({ code: 'protocol', fault: 'server', status, retryable: false });
          expect(error.message).toContain(server.origin);
          expect(error.message).toContain(other.origin);
          expect(error.message).not.toContain('token=x');
        }
        expect(other.requests).toEqual([]);
      });
    }
  }

  it('a downgrade to http on the same host, or another port, is another origin', async () => {
    const httpsSameHost = server.url.replace('http://', 'https://');
    for (const location of [
      httpsSameHost,
      `http://127.0.0.1:${server.port + 1}/x`,
      `http://localhost:${server.port}/x`,
    ]) {
      server.route('GET', '/hop', (_request, response) => sendJson(response, 302, undefined, { location }));
      const error = await failure(client().get('/hop'));
      expect(error.code).toBe('protocol');
      expect(error.message).toContain('another origin');
    }
  });

  it('a chain that leaves the origin on its second hop is refused at that hop', async () => {
    server.route('GET', '/one', (_request, response) => sendJson(response, 302, undefined, { location: '/two' }));
    server.route('GET', '/two', (_request, response) =>
      sendJson(response, 307, undefined, { location: `${other.url}/three` }),
    );
    const error = await failure(client().get('/one'));
    expect(error).toMatchObject({ code: 'protocol', status: 307 });
    expect(server.requests.map((request) => request.path)).toEqual(['/one', '/two']);
    expect(other.requests).toEqual([]);
  });

  it('a listed origin gets the call without credentials or the client headers', async () => {
    other.route('*', /.*/, (request, response, body) => sendJson(response, 200, { body, method: request.method }));
    server.route('PUT', '/obm', (_request, response) =>
      sendJson(response, 307, undefined, { location: `${other.url}/power?token=t` }),
    );
    const response = await client().put('/obm', { json: { force: true }, allowOrigins: [other.url] });
    expect(response.data).toEqual({ body: '{"force":true}', method: 'PUT' });
    const sent = other.requests[0]!.headers;
    expect(
      Object.keys(sent)
        .filter((name) => !['host', 'connection', 'content-length'].includes(name))
        .sort(),
    ).toEqual(['accept', 'content-type']);
  });

  it('same-origin redirects of GET are followed with credentials', async () => {
    server.route('GET', '/a', (_request, response) => sendJson(response, 303, undefined, { location: '/b' }));
    server.route('GET', '/b', (request, response) => sendJson(response, 200, { auth: request.headers.authorization }));
    const response = await client().get('/a');
    expect(response.data).toEqual({ auth: expect.stringMatching(/^Basic /) });
  });
});

describe('next links', () => {
  const pageSchema = z.object({ items: z.array(z.number()), next: z.string().optional() });

  it('a next link in the body to another origin ends the listing; nothing is sent there', async () => {
    server.route('GET', '/items', (_request, response) =>
      sendJson(response, 200, { items: [1], next: `${other.url}/items?page=2` }),
    );
    const listing = nextLinkPages({
      client: client(),
      path: '/items',
      schema: pageSchema,
      items: (page) => page.items,
      next: (page) => page.next,
    });
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const item of listing) seen.push(item);
      })(),
    );
    // The page that hands out the foreign link is itself suspect: none of its items are yielded.
    expect(seen).toEqual([]);
    expect(error).toMatchObject({ code: 'protocol', fault: 'server' });
    expect(error.message).toContain(`on ${server.origin} links its next page to ${other.origin}`);
    expect(other.requests).toEqual([]);
  });

  it('a Link header to another origin ends the listing; an allow-listed one is followed without credentials', async () => {
    server.route('GET', '/events', (_request, response) =>
      sendJson(response, 200, [1], { link: `<${other.url}/events?page=2>; rel="next"` }),
    );
    other.route('GET', '/events', (_request, response) => sendJson(response, 200, [2]));
    const list = (allowOrigins?: string[]) =>
      linkHeaderPages({
        client: client(),
        path: '/events',
        schema: z.array(z.number()),
        items: (page) => page,
        allowOrigins,
      });
    const drain = async (allowOrigins?: string[]) => {
      const items: number[] = [];
      for await (const item of list(allowOrigins)) items.push(item);
      return items;
    };
    expect((await failure(drain())).message).toContain('another origin');
    expect(other.requests).toEqual([]);
    expect(await drain([other.url])).toEqual([1, 2]);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(other.requests[0]!.headers['x-landlord-secret']).toBeUndefined();
  });

  it('a link handed out twice (A → B → A) stops the listing after a finite number of requests', async () => {
    server.route('GET', '/a', (_request, response) => sendJson(response, 200, { items: [1], next: '/b' }));
    server.route('GET', '/b', (_request, response) => sendJson(response, 200, { items: [2], next: '/a' }));
    const listing = nextLinkPages({
      client: client(),
      path: '/a',
      schema: pageSchema,
      items: (page) => page.items,
      next: (page) => page.next,
    });
    const error = await failure(
      (async () => {
        for await (const _ of listing);
      })(),
    );
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('returned before');
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('more pages than maxPages is a protocol error, and maxPages is validated', async () => {
    let fetched = 0;
    const endless = paginate<number, number>({
      what: 'endless',
      maxPages: 5,
      fetchPage: async (cursor) => {
        fetched += 1;
        return { items: [cursor ?? 0], next: (cursor ?? 0) + 1 };
      },
    });
    const error = await failure(
      (async () => {
        for await (const _ of endless);
      })(),
    );
    expect(error.message).toContain('more than 5 pages');
    expect(fetched).toBe(5);
    const invalid = paginate({ maxPages: 0, fetchPage: async () => ({ items: [], next: undefined }) });
    expect((await failure(invalid.next())).code).toBe('validation');
  });
});

describe('response body limits', () => {
  it('a declared content-length over the cap fails at once and closes the connection', async () => {
    server.route('GET', '/big', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) });
      response.write('[');
      // Never finishes: only closing the socket ends it.
    });
    const error = await failure(client({ maxResponseBytes: 1024 }).get('/big'));
    expect(error).toMatchObject({ code: 'protocol', status: 200, retryable: false });
    expect(error.message).toContain('exceeds 1024 bytes (maxResponseBytes)');
  });

  it('an endless chunked body fails once past the cap, with memory bounded', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    let closed = false;
    server.route('GET', '/endless', (request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      request.socket.on('close', () => {
        closed = true;
      });
      const pump = () => {
        while (!closed && response.write(chunk)) written += chunk.length;
        if (!closed) response.once('drain', pump);
      };
      pump();
    });
    const cap = 8 * 1024 * 1024;
    const before = process.memoryUsage().rss;
    const error = await failure(client({ maxResponseBytes: cap }).get('/endless'));
    expect(error.message).toContain(`exceeds ${cap} bytes`);
    await expect.poll(() => closed).toBe(true);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('a gzip bomb is refused once its output passes the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    server.route('GET', '/bomb', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(bomb);
    });
    const error = await failure(client({ maxResponseBytes: 4 * 1024 * 1024 }).get('/bomb'));
    expect(error).toMatchObject({ code: 'protocol', status: 200 });
    expect(error.message).toContain('exceeds 4194304 bytes');
  });

  it('gzip, deflate and br bodies within the cap are decoded; corrupt or unknown encodings are protocol errors', async () => {
    const json = Buffer.from(JSON.stringify({ ok: true }));
    server.route('GET', '/gzip', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(json));
    });
    server.route('GET', '/corrupt', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(Buffer.from('not gzip at all'));
    });
    server.route('GET', '/zstd', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' });
      response.end(json);
    });
    expect((await client().get('/gzip')).data).toEqual({ ok: true });
    expect((await failure(client().get('/corrupt'))).message).toContain('could not be decoded');
    expect((await failure(client().get('/zstd'))).message).toContain('"zstd"');
  });

  it('a per-call cap overrides the client, and a bad one is a validation error naming the option', async () => {
    server.route('GET', '/kb', (_request, response) => sendJson(response, 200, 'x'.repeat(2048)));
    await failure(client({ maxResponseBytes: 1024 }).get('/kb'));
    expect((await client({ maxResponseBytes: 1024 }).get('/kb', { maxResponseBytes: 4096 })).data).toHaveLength(2048);
    const bad = await failure(client().get('/kb', { maxResponseBytes: -1 }));
    expect(bad).toMatchObject({ code: 'validation' });
    expect(bad.message).toContain('maxResponseBytes');
    expect(server.requests.filter((request) => request.path === '/kb')).toHaveLength(2);
    expect(() => createHttpClient({ backend: 'x', baseUrl: server.url, maxResponseBytes: 1.5 })).toThrow(
      /maxResponseBytes/,
    );
  });

  it('a streamed body is not capped: the caller reads it at its own pace', async () => {
    server.route('GET', '/download', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(Buffer.alloc(3 * 1024));
    });
    const response = await client({ maxResponseBytes: 1024 }).get('/download', { responseType: 'stream' });
    let size = 0;
    for await (const chunk of response.data) size += (chunk as Buffer).length;
    expect(size).toBe(3 * 1024);
  });
});

describe('redaction of query parameters and headers', () => {
  it('every listed query parameter is redacted in a URL, in any case', () => {
    for (const name of SECRET_QUERY_PARAMETERS) {
      for (const spelled of [name, name.toUpperCase()]) {
        const text = redactText(`GET https://rgw.example/bucket/o?prefix=a&${spelled}=s3cr3t-value&limit=5 failed`);
        expect(text, spelled).not.toContain('s3cr3t-value');
        expect(text).toContain(`${spelled}=${REDACTED}`);
        expect(text).toContain('prefix=a');
        expect(text).toContain('limit=5');
      }
    }
  });

  it('signed-URL conventions are covered: SigV4, Swift TempURL, SAS', () => {
    const text = redactText(
      'https://s3.example/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=abc123 ' +
        'https://swift.example/v1/AUTH_a/c/o?temp_url_sig=def456&temp_url_expires=1 ' +
        'https://blob.example/c?sv=2020&sig=ghi789',
    );
    for (const secret of ['AKIA%2F2026', 'abc123', 'def456', 'ghi789']) expect(text).not.toContain(secret);
    expect(text).toContain('temp_url_expires=1');
  });

  it('every listed header is redacted in a header line or a JSON dump of headers', () => {
    for (const name of SECRET_HEADERS) {
      expect(redactText(`${name}: hdr-secret-1`), name).not.toContain('hdr-secret-1');
      expect(redactText(JSON.stringify({ [name]: 'hdr-secret-2' })), name).not.toContain('hdr-secret-2');
    }
    expect(redactText('content-type: application/json')).toBe('content-type: application/json');
  });
});
