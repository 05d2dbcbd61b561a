/**
 * `@ocx/store-postgres`: a `Store` (from `@ocx/core`) in PostgreSQL, for OCX exchanges that run in more
 * than one process.
 * @packageDocumentation
 */
export { createPostgresStore } from './postgres-store.js';
export type { PostgresStoreOptions } from './postgres-store-options.js';
export { PostgresStoreOptionsSchema } from './postgres-store-options.js';
