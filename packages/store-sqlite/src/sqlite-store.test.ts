import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@ocx/core';
import { expectOcxError } from '@ocx/core/testing';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { retain } from './keep-alive.js';
import { createSqliteStore } from './sqlite-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ocx-sqlite-store-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let counter = 0;
const freshPath = (): string => {
  counter += 1;
  return join(directory, `store-${counter}.db`);
};

const opened: Store[] = [];
function open(options: Parameters<typeof createSqliteStore>[0]): Store {
  const store = createSqliteStore(options);
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('createSqliteStore options', () => {
  it('refuses bad options with a validation error naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'path'],
      [{ path: '' }, 'path'],
      [{ path: ':memory:', readonly: true }, 'readonly'],
      [{ path: ':memory:', busyTimeoutMs: -1 }, 'busyTimeoutMs'],
      [{ path: ':memory:', synchronous: 'off' }, 'synchronous'],
      [{ path: ':memory:', pageSize: 0 }, 'pageSize'],
      [{ path: ':memory:', journal: 'delete' }, ''],
    ];
    for (const [options, field] of cases) {
      let caught: unknown;
      try {
        createSqliteStore(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(options)).toMatchObject({ code: 'validation' });
      expect((caught as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path)).toContain(field);
    }
  });

  it('a file in a missing directory fails as state, not as a crash', () => {
    expect(() => createSqliteStore({ path: join(directory, 'no', 'such', 'dir.db') })).toThrow(
      expect.objectContaining({ code: 'state', message: expect.stringContaining('directory does not exist') }),
    );
  });

  it('a file that is not a database fails as state', () => {
    const path = freshPath();
    writeFileSync(path, 'this is not a sqlite file, but it is long enough to have a header..........');
    expect(() => createSqliteStore({ path })).toThrow(
      expect.objectContaining({ code: 'state', backendErrorType: 'SQLITE_NOTADB' }),
    );
  });

  it('a file written by a newer schema is refused, untouched', () => {
    const path = freshPath();
    // Raw handles are retained and pragmas run with exec(), as the store does (see keep-alive: Node 24).
    const raw = retain(new Database(path));
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    const before = readFileSync(path);
    expect(() => createSqliteStore({ path })).toThrow(expect.objectContaining({ code: 'state' }));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('opens the file in WAL mode with the chosen synchronous level', () => {
    const path = freshPath();
    open({ path, synchronous: 'full' });
    const raw = retain(new Database(path, { readonly: true }));
    expect(retain(raw.prepare('PRAGMA journal_mode').pluck()).get()).toBe('wal');
    expect(retain(raw.prepare('PRAGMA user_version').pluck()).get()).toBe(1);
    raw.close();
  });
});

describe('SQLite store behaviour', () => {
  it('keeps everything across close and reopen; logs continue their sequence', async () => {
    const path = freshPath();
    const first = createSqliteStore({ path });
    await first.put('docs', 'a', { amount: '1.10' });
    await first.put('docs', 'a', { amount: '1.20' });
    await first.append('audit', [{ n: 1 }, { n: 2 }]);
    await first.close();
    const second = open({ path });
    expect(await second.get('docs', 'a')).toEqual({ key: 'a', value: { amount: '1.20' }, version: 2 });
    expect(await second.append('audit', [{ n: 3 }])).toEqual([3]);
  });

  it('lists in code-unit order, also for characters outside the BMP, and keeps distinct odd keys distinct', async () => {
    const store = open({ path: ':memory:', pageSize: 2 });
    // UTF-8 (and so TEXT COLLATE BINARY) would put '😀' after '\uFFFD' and merge the two lone surrogates into U+FFFD.
    const keys = ['\uFFFD', '😀', 'a', '\uD800', '\uDC00', 'source\u0000id', 'source\u0000', 'é', '\uE000'];
    for (const key of keys) await store.put('odd', key, { key });
    const listed = (await collect(store.list<{ key: string }>('odd'))).map((item) => item.key);
    expect(listed).toEqual([...keys].sort());
    expect(new Set(listed).size).toBe(keys.length);
    const withNul = (await collect(store.list('odd', { prefix: 'source\u0000' }))).map((item) => item.key);
    expect(withNul).toEqual(['source\u0000', 'source\u0000id']);
  });

  it('streams a listing in pages: a write made during the listing is seen, not blocked', async () => {
    const store = open({ path: freshPath(), pageSize: 3 });
    await store.insertMany(
      'stream',
      Array.from({ length: 10 }, (_, index) => ({ key: `k${index}`, value: index })),
    );
    const seen: string[] = [];
    for await (const item of store.list('stream')) {
      seen.push(item.key);
      // Holding one open cursor for the whole listing would make this write fail (connection busy).
      if (item.key === 'k1') await store.put('stream', 'k9z', 'late');
    }
    expect(seen).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k9z']);
    const partial: string[] = [];
    for await (const item of store.list('stream', { after: 'k2', limit: 4 })) partial.push(item.key);
    expect(partial).toEqual(['k3', 'k4', 'k5', 'k6']);
    expect((await collect(store.readLog('none', { after: 5 }))).length).toBe(0);
  });

  it('bad input is a validation error naming the field, and changes nothing', async () => {
    const store = open({ path: ':memory:' });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
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
      [store.insertMany('usage', [{ key: 'a', value: 1 }, null as never]), 'items.1'],
      [store.put('usage', 'a', undefined), 'value'],
      [store.put('usage', 'a', circular), 'value'],
      [store.put('usage', 'a', 1, { expectedVersion: -1 }), 'options.expectedVersion'],
      [store.put('bad\u0000name', 'a', 1), 'collection'],
      [store.put('\uD800', 'a', 1), 'collection'],
      [store.append('log', [{ ok: true }, () => 1]), 'entries.1'],
      [
        store.batch([
          { type: 'put', collection: 'usage', key: 'a', value: 1 },
          { type: 'append', log: '', entries: [] },
        ]),
        'operations.1.log',
      ],
      [
        store.batch([{ type: 'put', collection: 'usage', key: 'a', value: 1 }, { type: 'nope' } as never]),
        'operations.1.type',
      ],
      [collect(store.list('usage', { limit: 1.5 })), 'options.limit'],
      [collect(store.readLog('log', { after: -1 })), 'options.after'],
    ];
    for (const [promise, field] of failures) {
      const error = await expectOcxError(promise, ['validation']);
      expect(error.issues.map((issue) => issue.path)).toEqual([field]);
    }
    expect(await collect(store.list('usage'))).toEqual([]);
    expect(await collect(store.readLog('log'))).toEqual([]);
  });

  it('a read-only store reads and refuses every write as state; the file is unchanged', async () => {
    const path = freshPath();
    const writer = open({ path });
    await writer.put('docs', 'a', { v: 1 });
    await writer.close();
    const before = readFileSync(path);
    const reader = open({ path, readonly: true });
    expect((await reader.get('docs', 'a'))?.value).toEqual({ v: 1 });
    await expectOcxError(reader.put('docs', 'b', {}), ['state']);
    await expectOcxError(reader.insertMany('docs', [{ key: 'c', value: 1 }]), ['state']);
    await expectOcxError(reader.append('log', [1]), ['state']);
    await expectOcxError(reader.batch([{ type: 'delete', collection: 'docs', key: 'a' }]), ['state']);
    await expectOcxError(reader.delete('docs', 'a'), ['state']);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(() => createSqliteStore({ path: freshPath(), readonly: true })).toThrow(
      expect.objectContaining({ code: 'state' }),
    );
  });

  it('a closed store refuses every call as state', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.close();
    await store.close();
    await expectOcxError(store.get('docs', 'a'), ['state']);
    await expectOcxError(store.put('docs', 'a', 1), ['state']);
    await expectOcxError(collect(store.list('docs')), ['state']);
  });

  it('a listing interrupted by close fails as state instead of reading a closed connection', async () => {
    const store = createSqliteStore({ path: ':memory:', pageSize: 1 });
    await store.insertMany('docs', [
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
    ]);
    const iterator = store.list('docs')[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ key: 'a' });
    await store.close();
    await expectOcxError(iterator.next(), ['state']);
  });
});

describe('SQLite store shared by two connections', () => {
  it('appends from two stores on one file never share or skip a sequence', async () => {
    const path = freshPath();
    const one = open({ path });
    const two = open({ path });
    const sequences = (
      await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          (index % 2 === 0 ? one : two).append('shared', [{ index }, { index }]),
        ),
      )
    ).flat();
    expect([...sequences].sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, index) => index + 1));
  });

  it('a write blocked by another writer times out as a retryable error, changes nothing, and succeeds later', async () => {
    const path = freshPath();
    const store = open({ path, busyTimeoutMs: 50 });
    await store.insertMany('usage', [{ key: 'kept', value: 1 }]);
    const other = retain(new Database(path));
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = await expectOcxError(
        store.insertMany('usage', [
          { key: 'x', value: 1 },
          { key: 'y', value: 2 },
        ]),
        ['timeout'],
      );
      expect(error.retryable).toBe(true);
      expect(error.backendErrorType).toMatch(/^SQLITE_BUSY/);
      await expectOcxError(store.append('log', [1]), ['timeout']);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await collect(store.list('usage'))).map((item) => item.key)).toEqual(['kept']);
    expect(
      await store.insertMany('usage', [
        { key: 'x', value: 1 },
        { key: 'y', value: 2 },
      ]),
    ).toEqual({ inserted: ['x', 'y'], duplicates: [] });
    expect(await store.append('log', [1])).toEqual([1]);
  });
});
