import { inspect } from 'node:util';
import type { Store } from '@ocx/core';
import { expectOcxError } from '@ocx/core/testing';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dropSchemas, postgresTestTarget, uniqueSchema } from './__fixtures__/postgres-test-target.js';
import { startTcpProxy, type TcpProxy } from './__fixtures__/tcp-proxy.js';
import { createPostgresStore } from './postgres-store.js';

/** Every way an error can be shown: none may contain the secret. */
function shown(error: unknown): string {
  return [
    String(error),
    (error as Error).message,
    JSON.stringify(error),
    inspect(error, { depth: 8 }),
    String((error as Error).stack),
  ].join('\n');
}

async function count(store: Store, collection: string): Promise<number> {
  let total = 0;
  for await (const _ of store.list(collection)) total += 1;
  return total;
}

const target = postgresTestTarget();

if (target.url === undefined) {
  describe('PostgreSQL store under faults', () => {
    it.skip(`skipped: ${target.skip}`, () => undefined);
  });
} else {
  const url = new URL(target.url);
  const password = decodeURIComponent(url.password);
  const schemas: string[] = [];
  const opened: Store[] = [];
  const proxies: TcpProxy[] = [];
  const open = (connectionString: string, options: { schema: string } & Record<string, unknown>): Store => {
    if (!schemas.includes(options.schema)) schemas.push(options.schema);
    const store = createPostgresStore({ connectionString, ...options });
    opened.push(store);
    return store;
  };
  /** The test server's URL, through a proxy that can cut the connection. */
  const throughProxy = async (): Promise<{ proxy: TcpProxy; proxied: string }> => {
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    proxies.push(proxy);
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    return { proxy, proxied: proxied.toString() };
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const proxy of proxies.splice(0)) await proxy.close();
  });
  afterAll(() => dropSchemas(url.toString(), schemas));

  describe('PostgreSQL store under faults', () => {
    it('a wrong password fails as auth, and no password shows in the error', async () => {
      const wrong = new URL(url);
      wrong.password = 'not-the-password-7Hq2';
      const store = open(wrong.toString(), { schema: uniqueSchema('ocx_auth') });
      const error = await expectOcxError(store.get('docs', 'a'), ['auth']);
      expect(error.backendErrorType).toBe('28P01');
      expect(shown(error)).not.toContain('not-the-password-7Hq2');
      expect(shown(error)).not.toContain(password);
    });

    it('a server that is not there fails as a retryable network error, and no password shows', async () => {
      const { proxy, proxied } = await throughProxy();
      await proxy.close();
      const store = open(proxied, { schema: uniqueSchema('ocx_down'), connectTimeoutMs: 2_000 });
      const error = await expectOcxError(store.insertMany('usage', [{ key: 'a', value: 1 }]), ['network']);
      expect(error.retryable).toBe(true);
      expect(error.backendErrorType).toBe('ECONNREFUSED');
      expect(shown(error)).not.toContain(password);
    });

    it('a connection reset in the middle of insertMany stores all or nothing; the retry completes it exactly', async () => {
      const schema = uniqueSchema('ocx_reset');
      const { proxy, proxied } = await throughProxy();
      const store = open(proxied, { schema });
      const direct = open(url.toString(), { schema });
      await store.get('usage', 'warm-up');
      const items = Array.from({ length: 20_000 }, (_, index) => ({
        key: `ocx://a/compute\u0000${index}`,
        value: { index, quantity: `${index}.25` },
      }));
      // The statement is megabytes long: cut it after the first 200 kB have gone out.
      proxy.cutAfter(proxy.bytesFromClients() + 200_000);
      const error = await expectOcxError(store.insertMany('usage', items), ['network']);
      expect(error.retryable, 'insertMany is idempotent, so a lost connection may be retried').toBe(true);
      expect(shown(error)).not.toContain(password);
      expect([0, items.length]).toContain(await count(direct, 'usage'));

      // The same store recovers (the pool drops the broken connection) and the retry loses and duplicates nothing.
      const retry = await store.insertMany('usage', items);
      expect(retry.inserted.length + retry.duplicates.length).toBe(items.length);
      expect(await count(direct, 'usage')).toBe(items.length);
      expect((await direct.get('usage', 'ocx://a/compute\u000012345'))?.value).toEqual({
        index: 12345,
        quantity: '12345.25',
      });
    });

    it('a connection reset in the middle of a batch applies none of it, and is not marked retryable', async () => {
      const schema = uniqueSchema('ocx_batch_reset');
      const { proxy, proxied } = await throughProxy();
      const store = open(proxied, { schema });
      const direct = open(url.toString(), { schema });
      await store.put('docs', 'existing', { v: 1 });
      const operations = Array.from({ length: 300 }, (_, index) => ({
        type: 'put' as const,
        collection: 'docs',
        key: `k${index}`,
        value: { index },
      }));
      // Each put is a round trip of a few hundred bytes: 20 kB in, the transaction is open and COMMIT not yet sent.
      proxy.cutAfter(proxy.bytesFromClients() + 20_000);
      const error = await expectOcxError(
        store.batch([...operations, { type: 'delete', collection: 'docs', key: 'existing' }]),
        ['network'],
      );
      expect(error.retryable, 'a write whose outcome may be unknown is not retryable').toBe(false);
      expect(shown(error)).not.toContain(password);
      expect(await collectKeys(direct, 'docs')).toEqual(['existing']);
      await store.batch(operations);
      expect(await count(direct, 'docs')).toBe(301);
    });

    it('a statement that exceeds statementTimeoutMs fails as a retryable timeout; the log keeps no gap', async () => {
      const schema = uniqueSchema('ocx_timeout');
      const store = open(url.toString(), { schema, statementTimeoutMs: 300 });
      expect(await store.append('locked', [{ n: 1 }])).toEqual([1]);
      const holder = new pg.Client({ connectionString: url.toString() });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT * FROM "${schema}".logs WHERE log = 'locked' FOR UPDATE`);
        const error = await expectOcxError(store.append('locked', [{ n: 2 }]), ['timeout']);
        expect(error.retryable).toBe(true);
        expect(error.backendErrorType).toBe('57014');
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
      expect(await store.append('locked', [{ n: 2 }])).toEqual([2]);
      expect((await collectEntries(store, 'locked')).map((entry) => entry.sequence)).toEqual([1, 2]);
    });
  });
}

async function collectKeys(store: Store, collection: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of store.list(collection)) keys.push(item.key);
  return keys;
}

async function collectEntries(store: Store, log: string): Promise<Array<{ sequence: number }>> {
  const entries: Array<{ sequence: number }> = [];
  for await (const entry of store.readLog(log)) entries.push(entry);
  return entries;
}
