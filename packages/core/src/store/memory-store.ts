import { OcxError } from '../errors/ocx-error.js';
import type { ListOptions, LogEntry, Store, StoredItem, StoreOperation } from './store.js';

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function versionConflict(collection: string, key: string, expected: number, actual: number): OcxError {
  return new OcxError({
    code: 'conflict',
    message: `Store conflict on ${collection}/${key}: expected version ${expected}, found ${actual}`,
    backend: 'memory-store',
  });
}

function checkName(kind: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new OcxError({
      code: 'validation',
      message: `Store ${kind} must be a non-empty string`,
      issues: [{ path: kind, message: 'must be a non-empty string' }],
      fault: 'client',
    });
  }
}

/**
 * An in-memory {@link Store}: fast, for tests and one-shot programs; everything is lost when
 * the process ends. Values are deep-copied in and out, as a durable store would.
 *
 * @example
 * ```ts
 * const exchange = createExchange({ store: createMemoryStore() });
 * ```
 */
export function createMemoryStore(): Store {
  const collections = new Map<string, Map<string, { value: unknown; version: number }>>();
  const logs = new Map<string, unknown[]>();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new OcxError({ code: 'state', message: 'The memory store is closed' });
  };
  const collectionOf = (name: string): Map<string, { value: unknown; version: number }> => {
    let collection = collections.get(name);
    if (collection === undefined) {
      collection = new Map();
      collections.set(name, collection);
    }
    return collection;
  };
  const currentVersion = (collection: string, key: string): number =>
    collections.get(collection)?.get(key)?.version ?? 0;

  const checkOperation = (operation: StoreOperation): void => {
    if (operation.type === 'append') {
      checkName('log', operation.log);
      return;
    }
    checkName('collection', operation.collection);
    checkName('key', operation.key);
    if (operation.expectedVersion !== undefined) {
      const actual = currentVersion(operation.collection, operation.key);
      if (actual !== operation.expectedVersion) {
        throw versionConflict(operation.collection, operation.key, operation.expectedVersion, actual);
      }
    }
  };

  const applyOperation = (operation: StoreOperation): void => {
    if (operation.type === 'append') {
      const log = logs.get(operation.log) ?? [];
      log.push(...operation.entries.map(clone));
      logs.set(operation.log, log);
    } else if (operation.type === 'put') {
      collectionOf(operation.collection).set(operation.key, {
        value: clone(operation.value),
        version: currentVersion(operation.collection, operation.key) + 1,
      });
    } else {
      collections.get(operation.collection)?.delete(operation.key);
    }
  };

  return {
    name: 'memory',
    async get<T>(collection: string, key: string): Promise<StoredItem<T> | undefined> {
      ensureOpen();
      checkName('collection', collection);
      checkName('key', key);
      const item = collections.get(collection)?.get(key);
      return item === undefined ? undefined : { key, value: clone(item.value) as T, version: item.version };
    },
    async put<T>(
      collection: string,
      key: string,
      value: T,
      options?: { expectedVersion?: number },
    ): Promise<StoredItem<T>> {
      ensureOpen();
      const operation: StoreOperation = {
        type: 'put',
        collection,
        key,
        value,
        expectedVersion: options?.expectedVersion,
      };
      checkOperation(operation);
      applyOperation(operation);
      return { key, value: clone(value), version: currentVersion(collection, key) };
    },
    async delete(collection: string, key: string, options?: { expectedVersion?: number }): Promise<boolean> {
      ensureOpen();
      checkOperation({ type: 'delete', collection, key, expectedVersion: options?.expectedVersion });
      return collections.get(collection)?.delete(key) ?? false;
    },
    async *list<T>(collection: string, options: ListOptions = {}): AsyncIterable<StoredItem<T>> {
      ensureOpen();
      checkName('collection', collection);
      const items = collections.get(collection);
      if (items === undefined) return;
      const keys = [...items.keys()]
        .filter(
          (key) =>
            (options.prefix === undefined || key.startsWith(options.prefix)) &&
            (options.after === undefined || key > options.after),
        )
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const limited = options.limit === undefined ? keys : keys.slice(0, options.limit);
      for (const key of limited) {
        const item = items.get(key);
        if (item !== undefined) yield { key, value: clone(item.value) as T, version: item.version };
      }
    },
    async insertMany<T>(collection: string, items: ReadonlyArray<{ key: string; value: T }>) {
      ensureOpen();
      checkName('collection', collection);
      for (const item of items) checkName('key', item.key);
      const target = collectionOf(collection);
      const inserted: string[] = [];
      const duplicates: string[] = [];
      for (const item of items) {
        if (target.has(item.key)) {
          duplicates.push(item.key);
        } else {
          target.set(item.key, { value: clone(item.value), version: 1 });
          inserted.push(item.key);
        }
      }
      return { inserted, duplicates };
    },
    async append<T>(logName: string, entries: readonly T[]): Promise<number[]> {
      ensureOpen();
      checkName('log', logName);
      const log = logs.get(logName) ?? [];
      const first = log.length + 1;
      log.push(...entries.map(clone));
      logs.set(logName, log);
      return entries.map((_, index) => first + index);
    },
    async *readLog<T>(logName: string, options: { after?: number; limit?: number } = {}): AsyncIterable<LogEntry<T>> {
      ensureOpen();
      checkName('log', logName);
      const log = logs.get(logName) ?? [];
      const start = Math.max(0, options.after ?? 0);
      const end = options.limit === undefined ? log.length : Math.min(log.length, start + options.limit);
      for (let index = start; index < end; index += 1) {
        yield { sequence: index + 1, entry: clone(log[index]) as T };
      }
    },
    async batch(operations: readonly StoreOperation[]): Promise<void> {
      ensureOpen();
      // Check everything first so that a failing operation leaves nothing half-written.
      const pendingVersions = new Map<string, number>();
      for (const operation of operations) {
        if (operation.type !== 'append' && operation.expectedVersion !== undefined) {
          const id = `${operation.collection}\u0000${operation.key}`;
          const actual = pendingVersions.get(id) ?? currentVersion(operation.collection, operation.key);
          if (actual !== operation.expectedVersion) {
            throw versionConflict(operation.collection, operation.key, operation.expectedVersion, actual);
          }
        }
        if (operation.type === 'append') checkName('log', operation.log);
        else {
          checkName('collection', operation.collection);
          checkName('key', operation.key);
          const id = `${operation.collection}\u0000${operation.key}`;
          const before = pendingVersions.get(id) ?? currentVersion(operation.collection, operation.key);
          pendingVersions.set(id, operation.type === 'put' ? before + 1 : 0);
        }
      }
      for (const operation of operations) applyOperation(operation);
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
