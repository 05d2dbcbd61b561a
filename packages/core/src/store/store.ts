/** One stored document with its version (1 on first write, +1 on each write). */
export interface StoredItem<T = unknown> {
  key: string;
  value: T;
  version: number;
}

/** One entry of an append-only log. Sequences start at 1 and have no gaps within a log. */
export interface LogEntry<T = unknown> {
  sequence: number;
  entry: T;
}

/** Options of {@link Store.list}: keys come in ascending (code-unit) order. */
export interface ListOptions {
  prefix?: string;
  /** Start after this key (exclusive), to resume a listing. */
  after?: string;
  limit?: number;
}

/** One write of {@link Store.batch}. */
export type StoreOperation =
  | { type: 'put'; collection: string; key: string; value: unknown; expectedVersion?: number }
  | { type: 'delete'; collection: string; key: string; expectedVersion?: number }
  | { type: 'append'; log: string; entries: unknown[] };

/**
 * Where the exchange keeps its state: documents in collections, append-only logs (audit,
 * journals) and idempotent inserts (usage). Values are JSON: what is read back equals
 * `JSON.parse(JSON.stringify(value))`. Every method is atomic; `batch` is all-or-nothing.
 *
 * Implementations: {@link createMemoryStore} here; `@ocx/store-sqlite` and
 * `@ocx/store-postgres` for durable state. `@ocx/core/testing`'s `runStoreConformance`
 * checks any implementation.
 */
export interface Store {
  readonly name: string;
  get<T = unknown>(collection: string, key: string): Promise<StoredItem<T> | undefined>;
  /**
   * Write a document. With `expectedVersion` the write happens only if the current version
   * matches (`0` = must not exist); otherwise it fails with an OcxError code `conflict`.
   */
  put<T = unknown>(
    collection: string,
    key: string,
    value: T,
    options?: { expectedVersion?: number },
  ): Promise<StoredItem<T>>;
  /** Delete a document; false if it did not exist. `expectedVersion` as in `put`. */
  delete(collection: string, key: string, options?: { expectedVersion?: number }): Promise<boolean>;
  list<T = unknown>(collection: string, options?: ListOptions): AsyncIterable<StoredItem<T>>;
  /**
   * Insert every item whose key is absent and leave present keys unchanged (no overwrite).
   * Atomic per call. Reports which keys were inserted and which were already there.
   */
  insertMany<T = unknown>(
    collection: string,
    items: ReadonlyArray<{ key: string; value: T }>,
  ): Promise<{ inserted: string[]; duplicates: string[] }>;
  /** Append entries to a log; returns their sequence numbers. */
  append<T = unknown>(log: string, entries: readonly T[]): Promise<number[]>;
  readLog<T = unknown>(log: string, options?: { after?: number; limit?: number }): AsyncIterable<LogEntry<T>>;
  /** Apply several writes atomically: all of them or none. */
  batch(operations: readonly StoreOperation[]): Promise<void>;
  close(): Promise<void>;
}
