import { OcxError } from '@ocx/core';
import type { Database } from 'better-sqlite3';
import { retain } from './keep-alive.js';

/** The schema version this code writes; kept in SQLite's own `PRAGMA user_version`. */
export const SCHEMA_VERSION = 1;

/**
 * Version 1. Keys are BLOBs of UTF-16BE code units (see key-codec) so that memcmp order is the
 * Store's code-unit order. Values and entries are the JSON text exactly as written. Ordinary
 * rowid tables, not WITHOUT ROWID: with usage records of ~500 bytes, WITHOUT ROWID ingested 2.5
 * times slower and took a third more space (rows that large spill out of its index pages).
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ocx_documents (
     collection TEXT NOT NULL COLLATE BINARY,
     key BLOB NOT NULL,
     value TEXT NOT NULL,
     version INTEGER NOT NULL,
     PRIMARY KEY (collection, key)
   );
   CREATE TABLE IF NOT EXISTS ocx_log_entries (
     log TEXT NOT NULL COLLATE BINARY,
     sequence INTEGER NOT NULL,
     entry TEXT NOT NULL,
     PRIMARY KEY (log, sequence)
   );`,
];

/**
 * Set the connection's pragmas and bring the file's schema up to {@link SCHEMA_VERSION}.
 * Runs in one IMMEDIATE transaction, so two processes opening a new file at once do not race.
 */
export function prepareSchema(
  database: Database,
  options: { readonly: boolean; synchronous: 'full' | 'normal' },
): void {
  // Pragmas are set with exec() and read with a retained statement, never with database.pragma(),
  // whose throw-away statement can abort the process on Node 24 (see keep-alive).
  const userVersion = retain(database.prepare<[], number>('PRAGMA user_version').pluck());
  // Checked before any pragma that writes, so a file this code must refuse is left untouched.
  const current = userVersion.get() ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new OcxError({
      code: 'state',
      message: `The SQLite store file has schema version ${current}; this version of @ocx/store-sqlite knows up to ${SCHEMA_VERSION}`,
      backend: 'sqlite-store',
    });
  }
  if (!options.readonly) {
    // WAL: readers never block the writer and a killed process leaves a consistent file.
    database.exec('PRAGMA journal_mode = WAL');
    database.exec(`PRAGMA synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  }
  if (current === SCHEMA_VERSION) return;
  if (options.readonly) {
    throw new OcxError({
      code: 'state',
      message: `The SQLite file is not an OCX store at schema version ${SCHEMA_VERSION} (found ${current}) and cannot be migrated read-only`,
      backend: 'sqlite-store',
    });
  }
  database
    .transaction(() => {
      // Re-read inside the lock: another process may have migrated while we waited.
      const version = userVersion.get() ?? 0;
      for (let index = version; index < MIGRATIONS.length; index += 1) database.exec(MIGRATIONS[index] ?? '');
      database.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    })
    .immediate();
}
