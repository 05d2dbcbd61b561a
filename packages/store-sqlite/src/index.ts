/**
 * `@ocx/store-sqlite`: a durable, embedded `Store` (from `@ocx/core`) in one SQLite file — the OCX SDK's
 * default store.
 * @packageDocumentation
 */
export { createSqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store-options.js';
export { SqliteStoreOptionsSchema } from './sqlite-store-options.js';
