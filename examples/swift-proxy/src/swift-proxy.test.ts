import { OcxError } from '@ocx/core';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compareUtf8 } from './byte-order.js';
import { createFakeSwift, type FakeAccount, type FakeSwift } from './fake-swift.js';
import { createSwiftProxy, type SwiftProxy } from './swift-proxy.js';

let a: FakeSwift;
let b: FakeSwift;
let proxy: SwiftProxy;

const landlordsOf = (timeoutMs = 2_000) => ({
  timeoutMs,
  retries: 1,
  landlords: [a, b].map((swift, index) => ({
    id: index === 0 ? 'landlord-a' : 'landlord-b',
    storageUrl: swift.storageUrl,
    auth: { kind: 'tempauth' as const, authUrl: swift.authUrl, user: swift.user, key: swift.key },
  })),
});

function containers(...names: string[]): FakeAccount {
  return Object.fromEntries(names.map((name) => [name, { [`${name}-object`]: { bytes: name.length * 10 } }]));
}

beforeAll(async () => {
  a = await createFakeSwift();
  b = await createFakeSwift();
  proxy = await createSwiftProxy(landlordsOf());
});
afterAll(async () => {
  await proxy.close();
  await a.close();
  await b.close();
});
afterEach(() => {
  a.server.clearFaults();
  b.server.clearFaults();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${proxy.storageUrl}${path}`, init);

describe('account listing', () => {
  it('merges both landlords in UTF-8 byte order, once per name', async () => {
    a.account = containers('z', 'apple', '😀', 'Ａ');
    b.account = containers('é', 'Zebra', '\uFFFD', 'apple');
    const response = await get('?format=json');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ocx-partial')).toBeNull();
    const listing = (await response.json()) as Array<{
      name: string;
      count: number;
      bytes: number;
      ocx_landlords: string[];
    }>;
    expect(listing.map((entry) => entry.name)).toEqual(['Zebra', 'apple', 'z', 'é', 'Ａ', '\uFFFD', '😀']);
    expect(listing.find((entry) => entry.name === 'apple')).toMatchObject({
      count: 2,
      bytes: 100,
      ocx_landlords: ['landlord-a', 'landlord-b'],
    });

    const plain = await get('');
    expect(plain.headers.get('content-type')).toContain('text/plain');
    expect(await plain.text()).toBe('Zebra\napple\nz\né\nＡ\n\uFFFD\n😀\n');
  });

  it('pages with limit and marker across landlords, and honours prefix and end_marker', async () => {
    a.account = containers('b1', 'b3', 'c1');
    b.account = containers('b2', 'b4', 'c2');
    const page1 = await (await get('?limit=2&prefix=b')).text();
    expect(page1).toBe('b1\nb2\n');
    const page2 = await (await get('?limit=2&prefix=b&marker=b2')).text();
    expect(page2).toBe('b3\nb4\n');
    const page3 = await get('?limit=2&prefix=b&marker=b4');
    expect(page3.status).toBe(204);
    expect(await (await get('?end_marker=c1&marker=b2')).text()).toBe('b3\nb4\n');
  });

  it('pages through any two listings, at any limit, to exactly their sorted union', async () => {
    const alphabet = fc.constantFrom('a', 'z', 'Z', 'é', 'ß', 'Ａ', '\uFFFD', '😀', '中', '-', '.');
    const names = fc.uniqueArray(fc.string({ unit: alphabet, minLength: 1, maxLength: 3 }), { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(names, names, fc.integer({ min: 1, max: 7 }), async (namesA, namesB, limit) => {
        a.account = containers(...namesA);
        b.account = containers(...namesB);
        const seen: string[] = [];
        let marker = '';
        for (let page = 0; page < 30; page += 1) {
          const response = await get(
            `?format=json&limit=${limit}${marker === '' ? '' : `&marker=${encodeURIComponent(marker)}`}`,
          );
          const entries = (await response.json()) as Array<{ name: string }>;
          expect(entries.length).toBeLessThanOrEqual(limit);
          seen.push(...entries.map((entry) => entry.name));
          if (entries.length < limit) break;
          marker = entries.at(-1)!.name;
        }
        expect(seen).toEqual([...new Set([...namesA, ...namesB])].sort(compareUtf8));
      }),
      { numRuns: 40 },
    );
  });

  it('sums account usage exactly on HEAD and GET', async () => {
    a.account = { one: { x: { bytes: 1000 }, y: { bytes: 24 } }, two: {} };
    b.account = { one: { x: { bytes: 5 } } };
    for (const method of ['HEAD', 'GET']) {
      const response = await get('', { method });
      expect(response.headers.get('x-account-bytes-used')).toBe('1029');
      expect(response.headers.get('x-account-object-count')).toBe('3');
      expect(response.headers.get('x-account-container-count')).toBe('3');
      expect(response.headers.get('x-ocx-landlords')).toBe('landlord-a,landlord-b');
    }
  });
});

describe('container listing', () => {
  it('merges a container that exists in both landlords and sums its usage', async () => {
    a.account = {
      shared: { 'b.txt': { bytes: 1, lastModified: '2026-11-02T00:00:00.000000' }, 'dir/x': { bytes: 2 } },
      'only-a': {},
    };
    b.account = {
      shared: {
        'a.txt': { bytes: 3 },
        'b.txt': { bytes: 4, lastModified: '2026-11-03T00:00:00.000000' },
        'dir/y': { bytes: 5 },
      },
    };
    const response = await get('/shared?format=json');
    expect(response.headers.get('x-container-object-count')).toBe('5');
    expect(response.headers.get('x-container-bytes-used')).toBe('15');
    const listing = (await response.json()) as Array<{ name: string; bytes: number; ocx_landlords: string[] }>;
    expect(listing.map((entry) => entry.name)).toEqual(['a.txt', 'b.txt', 'dir/x', 'dir/y']);
    // The copy modified last wins; both holders are named.
    expect(listing[1]).toMatchObject({ bytes: 4, ocx_landlords: ['landlord-a', 'landlord-b'] });
    expect(await (await get('/shared?delimiter=/')).text()).toBe('a.txt\nb.txt\ndir/\n');
    expect((await get('/only-a', { method: 'HEAD' })).headers.get('x-ocx-landlords')).toBe('landlord-a');
    expect((await get('/nowhere')).status).toBe(404);
  });
});

describe('a landlord that is down', () => {
  beforeAll(() => {
    a.account = containers('alpha', 'gamma');
    b.account = containers('beta');
  });

  it('is reported as partial on 5xx, in the header and in the ocx envelope', async () => {
    b.server.inject({ kind: 'status', status: 503, body: 'down for maintenance', times: Number.POSITIVE_INFINITY });
    const response = await get('?format=ocx');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ocx-partial')).toBe('landlord-b');
    const body = (await response.json()) as {
      items: Array<{ name: string }>;
      partial: boolean;
      unavailable: Array<{ landlord: string; reason: string }>;
    };
    expect(body.items.map((item) => item.name)).toEqual(['alpha', 'gamma']);
    expect(body.partial).toBe(true);
    expect(body.unavailable).toEqual([{ landlord: 'landlord-b', reason: expect.stringMatching(/503/) }]);
    const head = await get('', { method: 'HEAD' });
    expect(head.status).toBe(204);
    expect(head.headers.get('x-ocx-partial')).toBe('landlord-b');
    expect(head.headers.get('x-account-container-count')).toBe('2');
  });

  it('loses nothing when a retry succeeds', async () => {
    b.server.inject({ kind: 'status', status: 503, times: 1 }, { path: /^\/v1\// });
    const response = await get('');
    expect(response.headers.get('x-ocx-partial')).toBeNull();
    expect(await response.text()).toBe('alpha\nbeta\ngamma\n');
  });

  it('is reported as partial on a reset and on a timeout', async () => {
    b.server.inject({ kind: 'reset', times: Number.POSITIVE_INFINITY }, { path: /^\/v1\// });
    expect((await get('')).headers.get('x-ocx-partial')).toBe('landlord-b');
    b.server.clearFaults();
    const slow = await createSwiftProxy({ ...landlordsOf(200), retries: 0 });
    try {
      b.server.inject({ kind: 'hang', times: Number.POSITIVE_INFINITY }, { path: /^\/v1\// });
      const started = Date.now();
      const response = await fetch(`${slow.storageUrl}?format=ocx`);
      const body = (await response.json()) as { unavailable: Array<{ landlord: string; reason: string }> };
      expect(body.unavailable).toEqual([{ landlord: 'landlord-b', reason: expect.stringMatching(/^timeout/) }]);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await slow.close();
    }
  });

  it('is reported as partial when it refuses connections, and all down is 503', async () => {
    const closed = await createFakeSwift();
    const storageUrl = closed.storageUrl;
    await closed.close();
    const options = landlordsOf();
    const mixed = await createSwiftProxy({
      ...options,
      landlords: [options.landlords[0]!, { ...options.landlords[1]!, storageUrl }],
    });
    const dead = await createSwiftProxy({ ...options, landlords: [{ ...options.landlords[1]!, storageUrl }] });
    try {
      const response = await fetch(`${mixed.storageUrl}?format=ocx`);
      const body = (await response.json()) as { unavailable: Array<{ landlord: string; reason: string }> };
      expect(response.headers.get('x-ocx-partial')).toBe('landlord-b');
      expect(body.unavailable[0]?.reason).toMatch(/^network/);
      const all = await fetch(dead.storageUrl);
      expect(all.status).toBe(503);
      expect(all.headers.get('x-ocx-partial')).toBe('landlord-b');
      expect(await all.text()).toMatch(/No landlord could answer/);
    } finally {
      await mixed.close();
      await dead.close();
    }
  });

  it('makes a container it may hold unknowable: 503 rather than 404', async () => {
    b.server.inject({ kind: 'status', status: 500, times: Number.POSITIVE_INFINITY }, { path: /^\/v1\// });
    expect((await get('/beta')).status).toBe(503);
  });
});

describe('credentials', () => {
  it('sends each landlord only its own token and never forwards the client token or leaks keys', async () => {
    const guarded = await createSwiftProxy({ ...landlordsOf(), clientToken: 'client-s3cret-token' });
    try {
      a.server.reset();
      b.server.reset();
      expect((await fetch(guarded.storageUrl)).status).toBe(401);
      expect((await fetch(guarded.storageUrl, { headers: { 'x-auth-token': 'wrong' } })).status).toBe(401);
      const response = await fetch(`${guarded.storageUrl}?format=json`, {
        headers: { 'x-auth-token': 'client-s3cret-token' },
      });
      expect(response.status).toBe(200);
      const storageRequests = (swift: FakeSwift) =>
        swift.server.requests.filter((request) => request.path.startsWith('/v1/'));
      for (const [own, other] of [
        [a, b],
        [b, a],
      ] as const) {
        expect(storageRequests(own).length).toBeGreaterThan(0);
        for (const request of storageRequests(own)) {
          expect(own.tokens.has(String(request.headers['x-auth-token']))).toBe(true);
          expect(other.tokens.has(String(request.headers['x-auth-token']))).toBe(false);
        }
        for (const request of own.server.requests) {
          expect(JSON.stringify(request)).not.toContain('client-s3cret-token');
          expect(JSON.stringify(request)).not.toContain(other.key);
        }
      }
      // A landlord that refuses its key: the reason names the failure, not the key.
      b.server.inject({ kind: 'status', status: 401, times: Number.POSITIVE_INFINITY });
      const denied = await fetch(`${guarded.storageUrl}?format=ocx&limit=1`, {
        headers: { 'x-auth-token': 'client-s3cret-token' },
      });
      const text = await denied.text();
      expect(text).toMatch(/landlord-b/);
      expect(text).not.toContain(b.key);
    } finally {
      await guarded.close();
    }
  });
});

describe('bad requests and options', () => {
  it('answers 400 naming the bad parameter, and 405/404/501 outside the merged account', async () => {
    const badLimit = await get('?limit=many');
    expect(badLimit.status).toBe(400);
    expect(await badLimit.text()).toMatch(/limit: must be a whole number/);
    expect(await (await get('?limit=10001')).text()).toMatch(/limit: must be at most 10000/);
    expect(await (await get('?reverse=true')).text()).toMatch(/reverse/);
    expect((await get('', { method: 'PUT' })).status).toBe(405);
    expect((await fetch(`${proxy.url}/v1/AUTH_other`)).status).toBe(404);
    expect((await get('/c/object.txt')).status).toBe(501);
  });

  it('refuses bad options with the field path', async () => {
    const fieldOf = async (options: unknown) => {
      try {
        await createSwiftProxy(options as never);
      } catch (error) {
        expect(OcxError.is(error)).toBe(true);
        return (error as OcxError).issues?.[0]?.path;
      }
      return 'accepted';
    };
    expect(await fieldOf({ landlords: [] })).toBe('landlords');
    const one = landlordsOf().landlords[0]!;
    expect(await fieldOf({ landlords: [one, one] })).toBe('landlords');
    expect(await fieldOf({ landlords: [{ ...one, storageUrl: 'http://127.0.0.1:1/nope' }] })).toBe(
      'landlords.0.storageUrl',
    );
    expect(
      await fieldOf({ landlords: [{ ...one, auth: { kind: 'tempauth', authUrl: one.auth.authUrl, user: 'u' } }] }),
    ).toBe('landlords.0.auth.key');
  });
});
