import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareUtf8 } from './byte-order.js';
import { type LocalSwift, localSwifts } from './local-swifts.js';
import { createSwiftProxy, type SwiftProxy } from './swift-proxy.js';

// Live tests against two REAL Swift services (scripts/services/swift.sh, instances a and b). They read the env
// files the script writes under $OCX_STATE_DIR (default <repo>/.ocx-state/swift-*/env), or OCX_SWIFT_<NAME>_*
// variables. Outside CI, missing Swifts skip this file with the reason printed; with CI=true they fail it.

async function signIn(swift: LocalSwift): Promise<{ token: string; storageUrl: string }> {
  const response = await fetch(swift.authUrl, { headers: { 'x-auth-user': swift.user, 'x-auth-key': swift.key } });
  if (!response.ok) throw new Error(`tempauth of Swift ${swift.name} answered ${response.status}`);
  return { token: response.headers.get('x-auth-token')!, storageUrl: `${swift.url}/v1/${swift.account}` };
}

/** Is a Swift answering at all? (An env file may outlive a stopped service.) */
async function answers(swift: LocalSwift): Promise<boolean> {
  try {
    await signIn(swift);
    return true;
  } catch {
    return false;
  }
}

const swifts = localSwifts();
const running = (await Promise.all(swifts.map(async (swift) => ((await answers(swift)) ? swift : undefined)))).filter(
  (swift) => swift !== undefined,
);
const inCi = process.env.CI === 'true';
const reason =
  running.length >= 2
    ? ''
    : `needs two running Swift services, found ${running.length} (${swifts.map((swift) => swift.name).join(', ') || 'no env files'}): ` +
      'start them with `bash scripts/services/swift.sh start --instance a --port 8090` and `… --instance b --port 8091`';

if (running.length >= 2) {
  describe('the proxy over two real Swift services', liveTests);
} else if (inCi) {
  describe('the proxy over two real Swift services', () => {
    it('has two Swift services to run against in CI', () => {
      expect.fail(`${reason} (CI must run scripts/services/up.sh before the tests)`);
    });
  });
} else {
  console.warn(`swift-live.test.ts skipped: ${reason}`);
  describe.skip(`the proxy over two real Swift services — skipped: ${reason}`, liveTests);
}

function liveTests(): void {
  const [swiftA, swiftB] = running as [LocalSwift, LocalSwift];
  // A prefix of our own: other tests share these accounts.
  const prefix = `ocx-proxy-${randomBytes(4).toString('hex')}-`;
  const inA = ['apple', 'z', '😀', 'shared'].map((name) => prefix + name);
  const inB = ['é', 'Zebra', '\uFFFD', 'shared', 'Ａ'].map((name) => prefix + name);
  const sharedObjects = { a: ['dir/x', 'b.txt'], b: ['a.txt', 'b.txt', 'dir/y'] };
  let proxy: SwiftProxy;
  let sessions: Array<{ token: string; storageUrl: string }>;

  const call = (session: { token: string; storageUrl: string }, method: string, path: string, body?: string) =>
    fetch(`${session.storageUrl}${path}`, {
      method,
      headers: { 'x-auth-token': session.token },
      ...(body === undefined ? {} : { body }),
    });
  const path = (container: string, object?: string) =>
    `/${encodeURIComponent(container)}${object === undefined ? '' : `/${object.split('/').map(encodeURIComponent).join('/')}`}`;

  beforeAll(async () => {
    sessions = [await signIn(swiftA), await signIn(swiftB)];
    for (const [index, names] of [inA, inB].entries()) {
      for (const name of names) expect((await call(sessions[index]!, 'PUT', path(name))).status).toBeLessThan(300);
    }
    for (const [index, objects] of [sharedObjects.a, sharedObjects.b].entries()) {
      for (const object of objects) {
        expect(
          (
            await call(
              sessions[index]!,
              'PUT',
              path(`${prefix}shared`, object),
              `${object} in ${index === 0 ? 'a' : 'b'}`,
            )
          ).status,
        ).toBe(201);
      }
    }
    proxy = await createSwiftProxy({
      landlords: [swiftA, swiftB].map((swift, index) => ({
        id: index === 0 ? 'landlord-a' : 'landlord-b',
        storageUrl: `${swift.url}/v1/${swift.account}`,
        auth: { kind: 'tempauth' as const, authUrl: swift.authUrl, user: swift.user, key: swift.key },
      })),
    });
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    for (const [index, objects] of [sharedObjects.a, sharedObjects.b].entries()) {
      for (const object of objects) await call(sessions[index]!, 'DELETE', path(`${prefix}shared`, object));
    }
    for (const [index, names] of [inA, inB].entries())
      for (const name of names) await call(sessions[index]!, 'DELETE', path(name));
  }, 60_000);

  it('each real Swift lists in UTF-8 byte order, and the proxy merges both the same way', async () => {
    for (const [index, names] of [inA, inB].entries()) {
      const own = (await (
        await call(sessions[index]!, 'GET', `?format=json&prefix=${encodeURIComponent(prefix)}`)
      ).json()) as Array<{ name: string }>;
      expect(own.map((entry) => entry.name)).toEqual([...names].sort(compareUtf8));
    }
    const response = await fetch(`${proxy.storageUrl}?format=json&prefix=${encodeURIComponent(prefix)}`);
    expect(response.headers.get('x-ocx-partial')).toBeNull();
    const merged = (await response.json()) as Array<{ name: string; ocx_landlords: string[] }>;
    const expected = [...new Set([...inA, ...inB])].sort(compareUtf8);
    expect(merged.map((entry) => entry.name)).toEqual(expected);
    expect(expected.map((name) => name.slice(prefix.length))).toEqual([
      'Zebra',
      'apple',
      'shared',
      'z',
      'é',
      'Ａ',
      '\uFFFD',
      '😀',
    ]);
    expect(merged.find((entry) => entry.name === `${prefix}shared`)?.ocx_landlords).toEqual([
      'landlord-a',
      'landlord-b',
    ]);
  });

  it('resumes with markers across both Swifts at every page size', async () => {
    const expected = [...new Set([...inA, ...inB])].sort(compareUtf8);
    for (const limit of [1, 2, 3, 5]) {
      const seen: string[] = [];
      let marker: string | undefined;
      for (let page = 0; page < 20; page += 1) {
        const query = `?limit=${limit}&prefix=${encodeURIComponent(prefix)}${marker === undefined ? '' : `&marker=${encodeURIComponent(marker)}`}`;
        const response = await fetch(`${proxy.storageUrl}${query}`);
        const names = response.status === 204 ? [] : (await response.text()).split('\n').filter((line) => line !== '');
        seen.push(...names);
        if (names.length < limit) break;
        marker = names.at(-1);
      }
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
    const bounded = await (
      await fetch(
        `${proxy.storageUrl}?prefix=${encodeURIComponent(prefix)}&marker=${encodeURIComponent(`${prefix}apple`)}&end_marker=${encodeURIComponent(`${prefix}é`)}`,
      )
    ).text();
    expect(bounded).toBe(`${prefix}shared\n${prefix}z\n`);
  });

  it('merges the container both Swifts hold and sums its usage exactly', async () => {
    const response = await fetch(`${proxy.storageUrl}${path(`${prefix}shared`)}?format=json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-container-object-count')).toBe('5');
    const bytes = [
      ...sharedObjects.a.map((object) => `${object} in a`),
      ...sharedObjects.b.map((object) => `${object} in b`),
    ].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(response.headers.get('x-container-bytes-used')).toBe(String(bytes));
    const listing = (await response.json()) as Array<{ name: string; ocx_landlords: string[] }>;
    expect(listing.map((entry) => entry.name)).toEqual(['a.txt', 'b.txt', 'dir/x', 'dir/y']);
    expect(listing[1]?.ocx_landlords).toEqual(['landlord-a', 'landlord-b']);
    const directories = await (await fetch(`${proxy.storageUrl}${path(`${prefix}shared`)}?delimiter=/`)).text();
    expect(directories).toBe('a.txt\nb.txt\ndir/\n');
  });

  it('sums account usage exactly: the proxy HEAD equals the two Swifts’ HEADs added', async () => {
    const direct = async () => {
      const heads = await Promise.all(sessions.map((session) => call(session, 'HEAD', '')));
      return ['x-account-container-count', 'x-account-object-count', 'x-account-bytes-used'].map((name) =>
        heads.reduce((sum, head) => sum + BigInt(head.headers.get(name) ?? '0'), 0n).toString(),
      );
    };
    const before = await direct();
    const head = await fetch(proxy.storageUrl, { method: 'HEAD' });
    const after = await direct();
    const viaProxy = ['x-account-container-count', 'x-account-object-count', 'x-account-bytes-used'].map((name) =>
      head.headers.get(name),
    );
    // Other tests share these accounts: the proxy's sum must match the direct sum taken just before or after.
    expect([before, after]).toContainEqual(viaProxy);
    expect(BigInt(viaProxy[0]!)).toBeGreaterThanOrEqual(BigInt(inA.length + inB.length));
  });

  it('reports a third landlord that is down as partial and still answers from the real ones', async () => {
    const options = {
      landlords: [swiftA, swiftB].map((swift, index) => ({
        id: index === 0 ? 'landlord-a' : 'landlord-b',
        storageUrl: `${swift.url}/v1/${swift.account}`,
        auth: { kind: 'tempauth' as const, authUrl: swift.authUrl, user: swift.user, key: swift.key },
      })),
    };
    // Port 9 (discard) on loopback: nothing listens, so the connection is refused.
    const partial = await createSwiftProxy({
      landlords: [
        ...options.landlords,
        {
          id: 'landlord-c',
          storageUrl: 'http://127.0.0.1:9/v1/AUTH_test',
          auth: { kind: 'token', token: 'unused-token' },
        },
      ],
    });
    try {
      const response = await fetch(`${partial.storageUrl}?format=ocx&prefix=${encodeURIComponent(prefix)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ocx-partial')).toBe('landlord-c');
      const body = (await response.json()) as { items: Array<{ name: string }>; partial: boolean; landlords: string[] };
      expect(body.partial).toBe(true);
      expect(body.landlords).toEqual(['landlord-a', 'landlord-b']);
      expect(body.items).toHaveLength(new Set([...inA, ...inB]).size);
    } finally {
      await partial.close();
    }
  });
}
