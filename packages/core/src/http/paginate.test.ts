import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import { createTestServer, sendJson, type TestServer } from '../testing/index.js';
import { createHttpClient } from './http-client.js';
import { linkHeaderPages, nextLinkPages, parseLinkHeader } from './link-pages.js';
import { markerPages, pageNumberPages, paginate } from './paginate.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

const names = Array.from({ length: 23 }, (_, index) => `item-${String(index).padStart(2, '0')}`);
const client = () =>
  createHttpClient({
    backend: 'swift',
    baseUrl: `${server.url}/v1/AUTH_p`,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
  });

/** Swift-style marker listing over `names`. */
function serveMarkerListing(): void {
  server.route('GET', '/v1/AUTH_p/container', (request, response) => {
    const url = new URL(request.url!, 'http://x');
    const marker = url.searchParams.get('marker');
    const limit = Number(url.searchParams.get('limit'));
    const start = marker === null ? 0 : names.indexOf(marker) + 1;
    sendJson(
      response,
      200,
      names.slice(start, start + limit).map((name) => ({ name })),
    );
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const objectList = z.array(z.object({ name: z.string() }));
const swiftPages = (limit: number, signal?: AbortSignal) => {
  const swift = client();
  return markerPages({
    what: 'swift objects',
    limit,
    signal,
    fetchPage: async (marker, pageLimit, pageSignal) =>
      (
        await swift.get('/container', {
          query: { marker, limit: pageLimit, format: 'json' },
          schema: objectList,
          signal: pageSignal,
        })
      ).data,
    key: (object) => object.name,
  });
};

describe('markerPages', () => {
  it('lists every item, sending the last key as the next marker', async () => {
    serveMarkerListing();
    const items = await collect(swiftPages(10));
    expect(items.map((item) => item.name)).toEqual(names);
    expect(server.requests.map((request) => request.query.marker)).toEqual([undefined, 'item-09', 'item-19']);
  });

  it('stops on an empty page when the total is a multiple of the limit', async () => {
    serveMarkerListing();
    const items = await collect(swiftPages(23));
    expect(items).toHaveLength(23);
    expect(server.requests).toHaveLength(2);
  });

  it('fetches lazily: one page per page consumed', async () => {
    serveMarkerListing();
    const iterator = swiftPages(5)[Symbol.asyncIterator]();
    await iterator.next();
    expect(server.requests).toHaveLength(1);
    for (let index = 0; index < 5; index += 1) await iterator.next();
    expect(server.requests).toHaveLength(2);
    await iterator.return?.();
  });

  it('a page that fails after retries throws an error saying how far it got', async () => {
    serveMarkerListing();
    const items: string[] = [];
    const iterable = swiftPages(10);
    let error: unknown;
    try {
      for await (const item of iterable) {
        items.push(item.name);
        if (items.length === 10) server.inject({ kind: 'status', status: 503, times: Number.POSITIVE_INFINITY });
      }
    } catch (caught) {
      error = caught;
    }
    expect(items).toHaveLength(10);
    expect(OcxError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'http', status: 503, attempts: 2, backend: 'swift' });
    expect((error as OcxError).message).toContain('Listing swift objects failed on page 2 after 10 items from 1 pages');
  });

  it('stops with aborted when the signal aborts', async () => {
    serveMarkerListing();
    const controller = new AbortController();
    const items: unknown[] = [];
    const error = await (async () => {
      for await (const item of swiftPages(5, controller.signal)) {
        items.push(item);
        if (items.length === 7) controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(items.length).toBeLessThanOrEqual(10);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => markerPages({ limit: 0, key: String, fetchPage: async () => [] })).toThrow(/limit/);
  });
});

describe('linkHeaderPages', () => {
  it('follows rel="next" Link headers, resolving relative links', async () => {
    server.route('GET', '/v1/AUTH_p/events', (request, response) => {
      const page = Number(new URL(request.url!, 'http://x').searchParams.get('page') ?? '1');
      const links = [`</v1/AUTH_p/events?page=1>; rel="first"`];
      if (page < 3) links.push(`<events?page=${page + 1}>; rel="next"`);
      sendJson(response, 200, [page * 10, page * 10 + 1], { link: links.join(', ') });
    });
    const items = await collect(
      linkHeaderPages({
        client: client(),
        path: '/events',
        schema: z.array(z.number()),
        items: (page) => page,
        call: { query: { size: 2 } },
      }),
    );
    expect(items).toEqual([10, 11, 20, 21, 30, 31]);
    expect(server.requests.map((request) => request.query)).toEqual([{ size: '2' }, { page: '2' }, { page: '3' }]);
  });

  it('parses RFC 8288 headers with several links, rels and quoted commas', () => {
    const links = parseLinkHeader(
      '<https://a.example/p?x=1,2>; rel="next last"; title="a, b", <https://a.example/p0>;rel=prev',
    );
    expect(links).toEqual([
      { url: 'https://a.example/p?x=1,2', rel: ['next', 'last'], params: { rel: 'next last', title: 'a, b' } },
      { url: 'https://a.example/p0', rel: ['prev'], params: { rel: 'prev' } },
    ]);
    expect(parseLinkHeader(undefined)).toEqual([]);
  });
});

describe('nextLinkPages', () => {
  const serverPage = z.object({
    servers: z.array(z.object({ id: z.string() })),
    servers_links: z.array(z.object({ rel: z.string(), href: z.string() })).optional(),
  });

  it('follows OpenStack-style links in the body', async () => {
    server.route('GET', '/v1/AUTH_p/servers', (request, response) => {
      const marker = new URL(request.url!, 'http://x').searchParams.get('marker');
      if (marker === null) {
        sendJson(response, 200, {
          servers: [{ id: 'a' }, { id: 'b' }],
          servers_links: [{ rel: 'next', href: `${server.url}/v1/AUTH_p/servers?marker=b` }],
        });
      } else {
        sendJson(response, 200, { servers: [{ id: 'c' }] });
      }
    });
    const servers = await collect(
      nextLinkPages({
        client: client(),
        path: '/servers',
        schema: serverPage,
        items: (page) => page.servers,
        next: (page) => page.servers_links?.find((link) => link.rel === 'next')?.href,
      }),
    );
    expect(servers.map((item) => item.id)).toEqual(['a', 'b', 'c']);
  });

  it('follows Keystone-style links.next until null', async () => {
    server.route('GET', /\/v1\/AUTH_p\/projects/, (request, response) => {
      const page = Number(new URL(request.url!, 'http://x').searchParams.get('page') ?? '1');
      sendJson(response, 200, {
        projects: [`p${page}`],
        links: { next: page < 2 ? `/v1/AUTH_p/projects?page=${page + 1}` : null },
      });
    });
    const projects = await collect(
      nextLinkPages({
        client: client(),
        path: '/projects',
        schema: z.object({ projects: z.array(z.string()), links: z.object({ next: z.string().nullable() }) }),
        items: (page) => page.projects,
        next: (page) => page.links.next,
      }),
    );
    expect(projects).toEqual(['p1', 'p2']);
  });

  it('a next link that never changes is a protocol error, not an endless loop', async () => {
    server.route('GET', '/v1/AUTH_p/loop', (_request, response) =>
      sendJson(response, 200, { items: [1], next: `${server.url}/v1/AUTH_p/loop?again=1` }),
    );
    const error = await collect(
      nextLinkPages({
        client: client(),
        path: '/loop',
        schema: z.object({ items: z.array(z.number()), next: z.string() }),
        items: (page) => page.items,
        next: (page) => page.next,
      }),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'protocol' });
  });

  it('a wrong-shaped page fails with validation, saying how far it got', async () => {
    let calls = 0;
    server.route('GET', '/v1/AUTH_p/bad', (_request, response) => {
      calls += 1;
      sendJson(
        response,
        200,
        calls === 1
          ? { servers: [{ id: 'a' }], servers_links: [{ rel: 'next', href: 'bad?page=2' }] }
          : { servers: 'nope' },
      );
    });
    const error = (await collect(
      nextLinkPages({
        client: client(),
        path: '/bad',
        schema: serverPage,
        items: (page) => page.servers,
        next: (page) => page.servers_links?.[0]?.href,
      }),
    ).catch((caught: unknown) => caught)) as OcxError;
    expect(error.code).toBe('validation');
    expect(error.message).toContain('after 1 items from 1 pages');
  });
});

describe('pageNumberPages', () => {
  const pages: Record<number, string[]> = { 1: ['a', 'b'], 2: ['c', 'd'], 3: ['e'] };

  it('stops at an empty page', async () => {
    const asked: number[] = [];
    const items = await collect(
      pageNumberPages({
        fetchPage: async (page) => {
          asked.push(page);
          return { items: pages[page] ?? [] };
        },
      }),
    );
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(asked).toEqual([1, 2, 3, 4]);
  });

  it('stops once the total of items or pages is reached', async () => {
    const byItems: number[] = [];
    await collect(
      pageNumberPages({
        fetchPage: async (page) => {
          byItems.push(page);
          return { items: pages[page] ?? [], totalItems: 5 };
        },
      }),
    );
    expect(byItems).toEqual([1, 2, 3]);
    const byPages: number[] = [];
    const items = await collect(
      pageNumberPages({
        firstPage: 0,
        fetchPage: async (page) => {
          byPages.push(page);
          return { items: pages[page + 1] ?? [], totalPages: 2 };
        },
      }),
    );
    expect(byPages).toEqual([0, 1]);
    expect(items).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reports how far it got when a page throws something that is not an OcxError', async () => {
    const error = (await collect(
      pageNumberPages({
        what: 'users',
        fetchPage: async (page) => {
          if (page === 3) throw new Error('database exploded');
          return { items: pages[page] ?? [] };
        },
      }),
    ).catch((caught: unknown) => caught)) as OcxError;
    expect(OcxError.is(error)).toBe(true);
    expect(error.message).toBe('Listing users failed on page 3 after 4 items from 2 pages: database exploded');
  });
});

describe('paginate', () => {
  it('passes the cursor and signal to each page', async () => {
    const controller = new AbortController();
    const seen: Array<[number | undefined, AbortSignal | undefined]> = [];
    const items = await collect(
      paginate<string, number>({
        signal: controller.signal,
        fetchPage: async (cursor, signal) => {
          seen.push([cursor, signal]);
          return { items: [`page-${cursor ?? 0}`], next: (cursor ?? 0) < 2 ? (cursor ?? 0) + 1 : undefined };
        },
      }),
    );
    expect(items).toEqual(['page-0', 'page-1', 'page-2']);
    expect(seen.map(([cursor]) => cursor)).toEqual([undefined, 1, 2]);
    expect(seen.every(([, signal]) => signal === controller.signal)).toBe(true);
  });
});
