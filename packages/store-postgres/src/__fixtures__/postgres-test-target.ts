import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Where the live PostgreSQL tests connect: `OCX_PG_URL`, else the env file that
 * `scripts/services/postgres.sh start` writes (`$OCX_STATE_DIR/postgres/env`). `skip` says
 * why there is none. In CI (`CI=true`) a missing server is an error, never a skip, so CI cannot
 * pass by skipping these tests.
 */
export interface PostgresTestTarget {
  url: string | undefined;
  skip: string | undefined;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Find the test server, as described on {@link PostgresTestTarget}. */
export function postgresTestTarget(): PostgresTestTarget {
  if (process.env.OCX_PG_URL) return { url: process.env.OCX_PG_URL, skip: undefined };
  const envFile = join(process.env.OCX_STATE_DIR ?? join(repoRoot, '.ocx-state'), 'postgres', 'env');
  if (existsSync(envFile)) {
    const url = /^OCX_PG_URL=(.+)$/m.exec(readFileSync(envFile, 'utf8'))?.[1]?.trim();
    if (url) return { url, skip: undefined };
  }
  const reason = `no PostgreSQL: OCX_PG_URL is not set and ${envFile} does not exist (run: bash scripts/services/postgres.sh start)`;
  if (process.env.CI) throw new Error(`CI=true but ${reason}`);
  console.warn(`@ocx/store-postgres live tests skipped: ${reason}`);
  return { url: undefined, skip: reason };
}

/** A fresh schema name, so that concurrent runs (and the conformance suites) never share tables. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Drop the schemas a test created (best effort: a test run must not fail on its own clean-up). */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch (error) {
    console.warn(
      `could not drop test schemas ${schemas.join(', ')}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
