import { expect } from 'vitest';
import type { Store } from '../../store/store.js';
import { defineConformanceSuite, expectOcxError, uniqueName } from './harness.js';

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  name?: string;
  /** Make a fresh, empty store (or one whose collections won't collide with unique names). */
  setup: () => Store | Promise<Store>;
  teardown?: (store: Store) => void | Promise<void>;
  timeoutMs?: number;
}

interface Context {
  store: Store;
  collection: string;
  log: string;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/**
 * The Store conformance suite: documents with versions and compare-and-set, ordered listing,
 * idempotent inserts, append-only logs and all-or-nothing batches.
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  defineConformanceSuite<Context>(
    `Store conformance${options.name === undefined ? '' : ` — ${options.name}`}`,
    {
      timeoutMs: options.timeoutMs,
      setup: async () => ({ store: await options.setup(), collection: uniqueName('col'), log: uniqueName('log') }),
      teardown: async (context) => {
        await options.teardown?.(context.store);
      },
    },
    (add) => {
      add('a missing document reads as undefined', async ({ store, collection }) => {
        expect(await store.get(collection, 'missing')).toBeUndefined();
      });

      add('put then get returns the JSON value, version 1', async ({ store, collection }) => {
        const value = { name: 'Zoë — ünïcode ✓', amount: '12.50', nested: { list: [1, 'two', null, true] } };
        const written = await store.put(collection, 'a', value);
        expect(written.version).toBe(1);
        expect(await store.get(collection, 'a')).toEqual({ key: 'a', value, version: 1 });
      });

      add(
        'values are copies: changing what was written or read changes nothing stored',
        async ({ store, collection }) => {
          const value = { count: 1 };
          await store.put(collection, 'copy', value);
          value.count = 2;
          const read = await store.get<{ count: number }>(collection, 'copy');
          expect(read?.value.count).toBe(1);
          if (read !== undefined) read.value.count = 3;
          expect((await store.get<{ count: number }>(collection, 'copy'))?.value.count).toBe(1);
        },
      );

      add('each put increments the version', async ({ store, collection }) => {
        expect((await store.put(collection, 'a', { step: 2 })).version).toBe(2);
        expect((await store.get(collection, 'a'))?.version).toBe(2);
      });

      add('expectedVersion guards writes (compare-and-set); 0 means must not exist', async ({ store, collection }) => {
        await expectOcxError(store.put(collection, 'a', { stale: true }, { expectedVersion: 1 }), ['conflict']);
        expect((await store.get(collection, 'a'))?.value).toEqual({ step: 2 });
        expect((await store.put(collection, 'a', { step: 3 }, { expectedVersion: 2 })).version).toBe(3);
        await expectOcxError(store.put(collection, 'a', {}, { expectedVersion: 0 }), ['conflict']);
        expect((await store.put(collection, 'fresh', { ok: true }, { expectedVersion: 0 })).version).toBe(1);
      });

      add('delete removes; deleting again reports false', async ({ store, collection }) => {
        expect(await store.delete(collection, 'fresh')).toBe(true);
        expect(await store.get(collection, 'fresh')).toBeUndefined();
        expect(await store.delete(collection, 'fresh')).toBe(false);
      });

      add('lists in key order, with prefix, after and limit', async ({ store }) => {
        const collection = uniqueName('list');
        for (const key of ['b/2', 'a/1', 'b/1', 'c/1', 'b/10']) await store.put(collection, key, { key });
        const keys = async (options?: Parameters<Store['list']>[1]) =>
          (await collect(store.list(collection, options))).map((item) => item.key);
        expect(await keys()).toEqual(['a/1', 'b/1', 'b/10', 'b/2', 'c/1']);
        expect(await keys({ prefix: 'b/' })).toEqual(['b/1', 'b/10', 'b/2']);
        expect(await keys({ after: 'b/1' })).toEqual(['b/10', 'b/2', 'c/1']);
        expect(await keys({ prefix: 'b/', after: 'b/1', limit: 1 })).toEqual(['b/10']);
        expect(await keys({ limit: 2 })).toEqual(['a/1', 'b/1']);
      });

      add('an empty collection lists nothing', async ({ store }) => {
        expect(await collect(store.list(uniqueName('empty')))).toEqual([]);
      });

      add('insertMany inserts absent keys only and never overwrites', async ({ store }) => {
        const collection = uniqueName('usage');
        const first = await store.insertMany(collection, [
          { key: 'x', value: { q: '1' } },
          { key: 'y', value: { q: '2' } },
        ]);
        expect(first).toEqual({ inserted: ['x', 'y'], duplicates: [] });
        const second = await store.insertMany(collection, [
          { key: 'y', value: { q: 'changed' } },
          { key: 'z', value: { q: '3' } },
          { key: 'z', value: { q: 'again' } },
        ]);
        expect(second).toEqual({ inserted: ['z'], duplicates: ['y', 'z'] });
        expect((await store.get(collection, 'y'))?.value).toEqual({ q: '2' });
        expect((await store.get(collection, 'z'))?.value).toEqual({ q: '3' });
      });

      add('concurrent insertMany of the same keys stores each key once', async ({ store }) => {
        const collection = uniqueName('race');
        const items = Array.from({ length: 50 }, (_, index) => ({
          key: `k${String(index).padStart(3, '0')}`,
          value: { index },
        }));
        const results = await Promise.all([
          store.insertMany(collection, items),
          store.insertMany(collection, items),
          store.insertMany(collection, items),
        ]);
        expect(results.reduce((sum, result) => sum + result.inserted.length, 0)).toBe(50);
        expect((await collect(store.list(collection))).length).toBe(50);
      });

      add('append numbers entries from 1 without gaps; readLog resumes after a sequence', async ({ store, log }) => {
        expect(await store.append(log, [{ n: 1 }, { n: 2 }])).toEqual([1, 2]);
        expect(await store.append(log, [{ n: 3 }])).toEqual([3]);
        expect(await collect(store.readLog(log))).toEqual([
          { sequence: 1, entry: { n: 1 } },
          { sequence: 2, entry: { n: 2 } },
          { sequence: 3, entry: { n: 3 } },
        ]);
        expect((await collect(store.readLog(log, { after: 1, limit: 1 }))).map((item) => item.sequence)).toEqual([2]);
        expect(await collect(store.readLog(uniqueName('nolog')))).toEqual([]);
      });

      add('concurrent appends never share a sequence', async ({ store }) => {
        const log = uniqueName('concurrent');
        const sequences = (
          await Promise.all(Array.from({ length: 20 }, (_, index) => store.append(log, [{ index }])))
        ).flat();
        expect(new Set(sequences).size).toBe(20);
        expect([...sequences].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      });

      add('batch applies all writes together', async ({ store }) => {
        const collection = uniqueName('batch');
        const log = uniqueName('batch-log');
        await store.batch([
          { type: 'put', collection, key: 'a', value: { v: 1 } },
          { type: 'put', collection, key: 'b', value: { v: 2 }, expectedVersion: 0 },
          { type: 'append', log, entries: [{ e: 1 }] },
        ]);
        expect((await store.get(collection, 'a'))?.value).toEqual({ v: 1 });
        expect((await collect(store.readLog(log))).length).toBe(1);
      });

      add('a batch with one failing write applies none of them', async ({ store }) => {
        const collection = uniqueName('atomic');
        const log = uniqueName('atomic-log');
        await store.put(collection, 'existing', { v: 1 });
        await expectOcxError(
          store.batch([
            { type: 'put', collection, key: 'new', value: { v: 1 } },
            { type: 'append', log, entries: [{ e: 1 }] },
            { type: 'delete', collection, key: 'existing' },
            { type: 'put', collection, key: 'existing', value: { v: 2 }, expectedVersion: 7 },
          ]),
          ['conflict'],
        );
        expect(await store.get(collection, 'new')).toBeUndefined();
        expect((await store.get(collection, 'existing'))?.value).toEqual({ v: 1 });
        expect(await collect(store.readLog(log))).toEqual([]);
      });

      add('empty names are refused as validation', async ({ store }) => {
        await expectOcxError(store.put('', 'k', {}), ['validation']);
        await expectOcxError(store.get('c', ''), ['validation']);
      });
    },
  );
}
