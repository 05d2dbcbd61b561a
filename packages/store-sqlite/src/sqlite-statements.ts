import type { Database, Statement } from 'better-sqlite3';
import { retain } from './keep-alive.js';

/** A document row as SQLite returns it. */
export interface DocumentRow {
  key: Buffer;
  value: string;
  version: number;
}

/** A log row as SQLite returns it. */
export interface LogRow {
  sequence: number;
  entry: string;
}

/** Every statement the store runs, prepared once per connection. */
export interface SqliteStatements {
  get: Statement<[string, Buffer], { value: string; version: number }>;
  upsert: Statement<[string, Buffer, string], { version: number }>;
  insertIfAbsent: Statement<[string, Buffer, string]>;
  updateIfVersion: Statement<[string, string, Buffer, number]>;
  remove: Statement<[string, Buffer]>;
  /** Key-set pages: `[from inclusive | after exclusive] × [bounded by a prefix end | unbounded]`. */
  listFrom: Statement<[string, Buffer, number], DocumentRow>;
  listAfter: Statement<[string, Buffer, number], DocumentRow>;
  listFromBounded: Statement<[string, Buffer, Buffer, number], DocumentRow>;
  listAfterBounded: Statement<[string, Buffer, Buffer, number], DocumentRow>;
  lastSequence: Statement<[string], number>;
  appendEntry: Statement<[string, number, string]>;
  logPage: Statement<[string, number, number], LogRow>;
}

const COLUMNS = 'SELECT key, value, version FROM ocx_documents WHERE collection = ?';

/** Prepare the store's statements (once: preparing is the expensive part of a small query). */
export function prepareStatements(database: Database): SqliteStatements {
  // Each statement is retained as soon as it exists, even if a later one fails (see keep-alive).
  const prepare = (sql: string): Statement => retain(database.prepare(sql));
  return {
    get: prepare('SELECT value, version FROM ocx_documents WHERE collection = ? AND key = ?'),
    upsert: prepare(
      `INSERT INTO ocx_documents (collection, key, value, version) VALUES (?, ?, ?, 1)
       ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value, version = ocx_documents.version + 1
       RETURNING version`,
    ),
    insertIfAbsent: prepare(
      'INSERT INTO ocx_documents (collection, key, value, version) VALUES (?, ?, ?, 1) ON CONFLICT (collection, key) DO NOTHING',
    ),
    updateIfVersion: prepare(
      'UPDATE ocx_documents SET value = ?, version = version + 1 WHERE collection = ? AND key = ? AND version = ?',
    ),
    remove: prepare('DELETE FROM ocx_documents WHERE collection = ? AND key = ?'),
    listFrom: prepare(`${COLUMNS} AND key >= ? ORDER BY key LIMIT ?`),
    listAfter: prepare(`${COLUMNS} AND key > ? ORDER BY key LIMIT ?`),
    listFromBounded: prepare(`${COLUMNS} AND key >= ? AND key < ? ORDER BY key LIMIT ?`),
    listAfterBounded: prepare(`${COLUMNS} AND key > ? AND key < ? ORDER BY key LIMIT ?`),
    lastSequence: prepare('SELECT COALESCE(MAX(sequence), 0) FROM ocx_log_entries WHERE log = ?').pluck(),
    appendEntry: prepare('INSERT INTO ocx_log_entries (log, sequence, entry) VALUES (?, ?, ?)'),
    logPage: prepare(
      'SELECT sequence, entry FROM ocx_log_entries WHERE log = ? AND sequence > ? ORDER BY sequence LIMIT ?',
    ),
  } as SqliteStatements;
}
