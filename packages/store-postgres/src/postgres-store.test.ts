import type { Store } from '@ocx/core';
import { expectOcxError } from '@ocx/core/testing';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dropSchemas, postgresTestTarget, uniqueSchema } from './__fixtures__/postgres-test-target.js';
import { createPostgresStore } from './postgres-store.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('createPostgresStore options', () => {
  it('refuses bad options with a validation error naming the field, without connecting', () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'connectionString'],
      [{ connectionString: '' }, 'connectionString'],
      [{ host: '127.0.0.1', port: 70_000 }, 'port'],
      [{ host: '127.0.0.1', schema: 'Bad-Name' }, 'schema'],
      [{ host: '127.0.0.1', schema: 'x; DROP TABLE y' }, 'schema'],
      [{ host: '127.0.0.1', max: 0 }, 'max'],
      [{ host: '127.0.0.1', pageSize: 0 }, 'pageSize'],
      [{ host: '127.0.0.1', ssl: { rejectUnauthorized: 'no' } }, 'ssl'],
      [{ host: '127.0.0.1', poolSize: 3 }, ''],
    ];
    for (const [options, field] of cases) {
      let caught: unknown;
      try {
        createPostgresStore(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(options)).toMatchObject({ code: 'validation' });
      const paths = (caught as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path);
      expect(
        paths.some((path) => path === field || path.startsWith(`${field}.`)),
        `${JSON.stringify(options)} → ${paths.join(', ')}`,
      ).toBe(true);
    }
  });
});

const target = postgresTestTarget();

if (target.url === undefined) {
  describe('PostgreSQL store behaviour', () => {
    it.skip(`skipped: ${target.skip}`, () => undefined);
  });
} else {
  const url = target.url;
  const schemas: string[] = [];
  const opened: Store[] = [];
  const open = (options: Partial<Parameters<typeof createPostgresStore>[0]> & { schema: string }): Store => {
    if (!schemas.includes(options.schema)) schemas.push(options.schema);
    const store = createPostgresStore({ connectionString: url, ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  afterAll(() => dropSchemas(url, schemas));

  describe('PostgreSQL store behaviour', () => {
    it('lists in code-unit order, also outside the BMP; keys may hold NUL and lone surrogates', async () => {
      const store = open({ schema: uniqueSchema('ocx_order'), pageSize: 2 });
      // text COLLATE "C" would put '😀' after '\uFFFD', refuse NUL, and merge the lone surrogates.
      const keys = ['\uFFFD', '😀', 'a', '\uD800', '\uDC00', 'source\u0000id', 'source\u0000', 'é', '\uE000'];
      for (const key of keys) await store.put('odd', key, { key });
      const listed = (await collect(store.list('odd'))).map((item) => item.key);
      expect(listed).toEqual([...keys].sort());
      expect((await collect(store.list('odd', { prefix: 'source\u0000' }))).map((item) => item.key)).toEqual([
        'source\u0000',
        'source\u0000id',
      ]);
      expect((await store.get('odd', '\uD800'))?.value).toEqual({ key: '\uD800' });
    });

    it('keeps values exactly as JSON wrote them (text, not jsonb)', async () => {
      const store = open({ schema: uniqueSchema('ocx_json') });
      const value = { z: 1, a: 'NUL \u0000 inside', big: 1.5e300, nested: { b: [1, 2], a: null } };
      await store.put('docs', 'exact', value);
      const read = await store.get<typeof value>('docs', 'exact');
      expect(JSON.stringify(read?.value)).toBe(JSON.stringify(value));
    });

    it('bad input is a validation error naming the field, and changes nothing', async () => {
      const store = open({ schema: uniqueSchema('ocx_input') });
      const failures: Array<[Promise<unknown>, string]> = [
        [
          store.insertMany<unknown>('usage', [
            { key: 'a', value: 1 },
            { key: 'b', value: 2 },
            { key: 'c', value: 10n },
          ]),
          'items.2.value',
        ],
        [
          store.insertMany('usage', [
            { key: 'a', value: 1 },
            { key: '', value: 2 },
          ]),
          'items.1.key',
        ],
        [store.put('usage', 'a', undefined), 'value'],
        [store.put('usage', 'a', 1, { expectedVersion: 1.5 }), 'options.expectedVersion'],
        [store.put('bad\u0000name', 'a', 1), 'collection'],
        [store.append('log', [{ ok: true }, Symbol('no')]), 'entries.1'],
        [
          store.batch([
            { type: 'put', collection: 'usage', key: 'a', value: 1 },
            { type: 'append', log: '\uDC00', entries: [] },
          ]),
          'operations.1.log',
        ],
        [collect(store.list('usage', { after: 5 as never })), 'options.after'],
        [collect(store.readLog('log', { limit: -1 })), 'options.limit'],
      ];
      for (const [promise, field] of failures) {
        const error = await expectOcxError(promise, ['validation']);
        expect(error.issues.map((issue) => issue.path)).toEqual([field]);
      }
      expect(await collect(store.list('usage'))).toEqual([]);
      expect(await collect(store.readLog('log'))).toEqual([]);
    });

    it('two stores (two pools, as two processes would) share one schema: no repeated or skipped sequence, one insert per key', async () => {
      const schema = uniqueSchema('ocx_shared');
      const one = open({ schema, max: 3 });
      const two = open({ schema, max: 3 });
      const sequences = (
        await Promise.all(
          Array.from({ length: 30 }, (_, index) =>
            (index % 2 === 0 ? one : two).append('shared', [{ index }, { index }]),
          ),
        )
      ).flat();
      expect([...sequences].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
      const items = Array.from({ length: 300 }, (_, index) => ({ key: `k${index}`, value: index }));
      const results = await Promise.all([
        one.insertMany('usage', items),
        two.insertMany('usage', [...items].reverse()),
        one.insertMany('usage', items),
      ]);
      expect(results.reduce((sum, result) => sum + result.inserted.length, 0)).toBe(300);
      expect((await collect(two.list('usage'))).length).toBe(300);
    });

    it('concurrent compare-and-set: exactly one writer wins each version', async () => {
      const store = open({ schema: uniqueSchema('ocx_cas'), max: 5 });
      await store.put('docs', 'counter', { n: 0 });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, n) => store.put('docs', 'counter', { n }, { expectedVersion: 1 })),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBe(1);
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'conflict' });
      expect((await store.get('docs', 'counter'))?.version).toBe(2);
    });

    it('createSchema: false refuses a schema that was never created, as state; works once it exists', async () => {
      const schema = uniqueSchema('ocx_nocreate');
      const strict = open({ schema, createSchema: false });
      await expectOcxError(strict.get('docs', 'a'), ['state']);
      await open({ schema }).put('docs', 'a', { v: 1 });
      expect((await strict.get('docs', 'a'))?.value).toEqual({ v: 1 });
    });

    it('a schema written by a newer version is refused as state, untouched', async () => {
      const schema = uniqueSchema('ocx_newer');
      await open({ schema }).put('docs', 'a', { v: 1 });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`INSERT INTO "${schema}".migrations (version) VALUES (99)`);
      } finally {
        await client.end();
      }
      const error = await expectOcxError(open({ schema }).get('docs', 'a'), ['state']);
      expect(error.message).toContain('99');
    });

    it('a closed store refuses every call as state', async () => {
      const store = createPostgresStore({ connectionString: url, schema: uniqueSchema('ocx_closed') });
      await store.close();
      await store.close();
      await expectOcxError(store.get('docs', 'a'), ['state']);
      await expectOcxError(store.insertMany('docs', [{ key: 'a', value: 1 }]), ['state']);
      await expectOcxError(collect(store.readLog('log')), ['state']);
    });
  });
}
