import {
  type ListOptions,
  type LogEntry,
  parseWith,
  registerSecret,
  type Store,
  type StoredItem,
  type StoreOperation,
} from '@ocx/core';
import { decodeKey, encodeKey, prefixRange } from './key-codec.js';
import { createPostgresConnection } from './postgres-connection.js';
import { statementsFor } from './postgres-sql.js';
import { type PostgresStoreOptions, PostgresStoreOptionsSchema } from './postgres-store-options.js';
import { createPostgresWrites } from './postgres-writes.js';
import {
  checkArray,
  checkExpectedVersion,
  checkKey,
  checkListOptions,
  checkLogOptions,
  checkName,
  checkObject,
  prepareOperations,
  toJson,
} from './store-input.js';

interface DocumentRow {
  key: Buffer;
  value: string;
  version: string;
}

/** Register every password the options hold, so that no error or log line can show it. */
function registerPasswords(password: string | undefined, connectionString: string | undefined): void {
  if (password !== undefined) registerSecret(password);
  if (connectionString === undefined) return;
  try {
    const url = new URL(connectionString);
    for (const secret of [url.password, url.searchParams.get('password') ?? ''])
      if (secret !== '') registerSecret(secret);
    // Last: a malformed %-escape throws here, after the raw forms are registered.
    if (url.password !== '') registerSecret(decodeURIComponent(url.password));
  } catch {
    // Not a URL (pg also takes socket paths): the redaction patterns still catch `password=…`.
  }
}

/**
 * A `Store` (from `@ocx/core`) in PostgreSQL, for exchanges that run in more than one process.
 *
 * Tables live in one schema (`ocx` by default), created and migrated on first use unless
 * `createSchema` is false. `insertMany` is one `INSERT … ON CONFLICT DO NOTHING RETURNING key`;
 * `append` numbers entries from a per-log counter row that the statement locks, so concurrent
 * appenders never share or skip a sequence; compare-and-set is `WHERE version = $n`; `batch`
 * is one transaction. Keys are stored as UTF-16 code units in `bytea`, so listings follow
 * JavaScript's code-unit order exactly and keys may hold NUL; listings stream in key-set pages.
 * Connection passwords are registered as secrets and never appear in errors.
 *
 * @example
 * ```ts
 * import { createExchange } from '@ocx/core';
 * import { createPostgresStore } from '@ocx/store-postgres';
 *
 * const store = createPostgresStore({ connectionString: process.env.DATABASE_URL, max: 20 });
 * const exchange = createExchange({ store });
 * // …
 * await store.close();
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const settings = parseWith(PostgresStoreOptionsSchema, options, { what: 'PostgreSQL store options' });
  registerPasswords(settings.password, settings.connectionString);
  const connection = createPostgresConnection(settings);
  const { ensureOpen, query, single, transaction } = connection;
  const sql = statementsFor(settings.schema);
  const writes = createPostgresWrites(sql);
  return {
    name: 'postgres',
    async get<T>(collection: string, key: string): Promise<StoredItem<T> | undefined> {
      ensureOpen();
      checkName('collection', collection);
      checkKey('key', key);
      const { rows } = await query<{ value: string; version: string }>('get', true, sql.get, [
        collection,
        encodeKey(key),
      ]);
      const row = rows[0];
      return row === undefined ? undefined : { key, value: JSON.parse(row.value) as T, version: Number(row.version) };
    },
    async put<T>(
      collection: string,
      key: string,
      value: T,
      putOptions?: { expectedVersion?: number },
    ): Promise<StoredItem<T>> {
      ensureOpen();
      checkName('collection', collection);
      checkKey('key', key);
      checkExpectedVersion('options.expectedVersion', putOptions?.expectedVersion);
      const json = toJson('value', value);
      const version = await single('put', (execute) =>
        writes.put(execute, collection, key, json, putOptions?.expectedVersion),
      );
      return { key, value: JSON.parse(json) as T, version };
    },
    async delete(collection: string, key: string, deleteOptions?: { expectedVersion?: number }): Promise<boolean> {
      ensureOpen();
      checkName('collection', collection);
      checkKey('key', key);
      checkExpectedVersion('options.expectedVersion', deleteOptions?.expectedVersion);
      return single('delete', (execute) => writes.delete(execute, collection, key, deleteOptions?.expectedVersion));
    },
    async *list<T>(collection: string, listOptions: ListOptions = {}): AsyncIterable<StoredItem<T>> {
      ensureOpen();
      checkName('collection', collection);
      checkListOptions(listOptions);
      const range = prefixRange(listOptions.prefix ?? '');
      const afterBytes = listOptions.after === undefined ? undefined : encodeKey(listOptions.after);
      // `after` below the prefix's first key adds nothing; otherwise it is the tighter (exclusive) bound.
      let cursor = afterBytes !== undefined && Buffer.compare(afterBytes, range.start) >= 0 ? afterBytes : undefined;
      let remaining = listOptions.limit ?? Number.POSITIVE_INFINITY;
      while (remaining > 0) {
        ensureOpen();
        const size = Math.min(settings.pageSize, remaining);
        const [statement, values] =
          range.end === undefined
            ? cursor === undefined
              ? [sql.listFrom, [collection, range.start, size]]
              : [sql.listAfter, [collection, cursor, size]]
            : cursor === undefined
              ? [sql.listFromBounded, [collection, range.start, range.end, size]]
              : [sql.listAfterBounded, [collection, cursor, range.end, size]];
        const { rows } = await query<DocumentRow>('list', true, statement, values);
        for (const row of rows)
          yield { key: decodeKey(row.key), value: JSON.parse(row.value) as T, version: Number(row.version) };
        if (rows.length < size) return;
        remaining -= rows.length;
        cursor = rows[rows.length - 1]?.key;
      }
    },
    async insertMany<T>(collection: string, items: ReadonlyArray<{ key: string; value: T }>) {
      ensureOpen();
      checkName('collection', collection);
      checkArray('items', items);
      // The first occurrence of a key is the one inserted; later ones in the same call are duplicates.
      const firsts = new Map<string, { bytes: Buffer; json: string }>();
      items.forEach((item, index) => {
        checkObject(`items.${index}`, item);
        checkKey(`items.${index}.key`, item.key);
        const json = toJson(`items.${index}.value`, item.value);
        if (!firsts.has(item.key)) firsts.set(item.key, { bytes: encodeKey(item.key), json });
      });
      if (firsts.size === 0) return { inserted: [], duplicates: [] };
      const rows = [...firsts.values()].sort((a, b) => Buffer.compare(a.bytes, b.bytes));
      const result = await query<{ key: Buffer }>('insertMany', true, sql.insertMany, [
        collection,
        rows.map((row) => row.bytes),
        rows.map((row) => row.json),
      ]);
      const fresh = new Set(result.rows.map((row) => decodeKey(row.key)));
      const inserted: string[] = [];
      const duplicates: string[] = [];
      for (const item of items) {
        if (fresh.delete(item.key)) inserted.push(item.key);
        else duplicates.push(item.key);
      }
      return { inserted, duplicates };
    },
    async append<T>(log: string, entries: readonly T[]): Promise<number[]> {
      ensureOpen();
      checkName('log', log);
      checkArray('entries', entries);
      const texts = entries.map((entry, index) => toJson(`entries.${index}`, entry));
      if (texts.length === 0) return [];
      return single('append', (execute) => writes.append(execute, log, texts));
    },
    async *readLog<T>(log: string, logOptions: { after?: number; limit?: number } = {}): AsyncIterable<LogEntry<T>> {
      ensureOpen();
      checkName('log', log);
      checkLogOptions(logOptions);
      let after = logOptions.after ?? 0;
      let remaining = logOptions.limit ?? Number.POSITIVE_INFINITY;
      while (remaining > 0) {
        ensureOpen();
        const size = Math.min(settings.pageSize, remaining);
        const { rows } = await query<{ sequence: string; entry: string }>('readLog', true, sql.logPage, [
          log,
          after,
          size,
        ]);
        for (const row of rows) yield { sequence: Number(row.sequence), entry: JSON.parse(row.entry) as T };
        if (rows.length < size) return;
        remaining -= rows.length;
        after = Number(rows[rows.length - 1]?.sequence ?? after);
      }
    },
    async batch(operations: readonly StoreOperation[]): Promise<void> {
      ensureOpen();
      const prepared = prepareOperations(operations);
      if (prepared.length === 0) return;
      await transaction('batch', async (execute) => {
        for (const operation of prepared) await writes.apply(execute, operation);
      });
    },
    close: () => connection.close(),
  };
}
