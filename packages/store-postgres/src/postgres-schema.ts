import { OcxError } from '@ocx/core';
import type { PoolClient } from 'pg';

/**
 * The migrations, in order; `migrations` records which ran. Keys are `bytea` of UTF-16BE code
 * units (see key-codec); values and entries are the JSON text exactly as written (`text`, not
 * `jsonb`, which would reorder object keys and refuse `\u0000`).
 */
function migrations(schema: string): readonly string[] {
  const s = `"${schema}"`;
  return [
    `CREATE TABLE ${s}.documents (
       collection text NOT NULL,
       key bytea NOT NULL,
       value text NOT NULL,
       version bigint NOT NULL,
       PRIMARY KEY (collection, key)
     );
     CREATE TABLE ${s}.logs (
       log text PRIMARY KEY,
       last_sequence bigint NOT NULL
     );
     CREATE TABLE ${s}.log_entries (
       log text NOT NULL,
       sequence bigint NOT NULL,
       entry text NOT NULL,
       PRIMARY KEY (log, sequence)
     );`,
  ];
}

/** The schema version this code writes. */
export const SCHEMA_VERSION = 1;

/**
 * Create the schema and tables when missing and run pending migrations, in one transaction
 * under an advisory lock, so several processes starting at once do not race. With `create`
 * false, only check that the schema is there and current.
 */
export async function prepareSchema(client: PoolClient, schema: string, create: boolean): Promise<void> {
  const s = `"${schema}"`;
  if (!create) {
    const current = await currentVersion(client, schema);
    if (current !== SCHEMA_VERSION) throw versionError(schema, current);
    return;
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ocx-store-migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const current = await currentVersion(client, schema);
    if (current > SCHEMA_VERSION) throw versionError(schema, current);
    const all = migrations(schema);
    for (let version = current + 1; version <= all.length; version += 1) {
      await client.query(all[version - 1] ?? '');
      await client.query(`INSERT INTO ${s}.migrations (version) VALUES ($1)`, [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function currentVersion(client: PoolClient, schema: string): Promise<number> {
  const result = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM "${schema}".migrations`,
  );
  return result.rows[0]?.version ?? 0;
}

function versionError(schema: string, current: number): OcxError {
  return new OcxError({
    code: 'state',
    message:
      current > SCHEMA_VERSION
        ? `PostgreSQL schema "${schema}" is at version ${current}; this version of @ocx/store-postgres knows up to ${SCHEMA_VERSION}`
        : `PostgreSQL schema "${schema}" is at version ${current}, not ${SCHEMA_VERSION}; create the store once with createSchema: true`,
    backend: 'postgres-store',
    operation: 'open',
  });
}
