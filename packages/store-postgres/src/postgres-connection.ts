import { OcxError } from '@ocx/core';
import pg from 'pg';
import { mapPostgresError } from './postgres-error.js';
import { prepareSchema } from './postgres-schema.js';
import type { NamedStatement } from './postgres-sql.js';
import type { PostgresStoreSettings } from './postgres-store-options.js';

/** Runs one named statement, on the pool or on a transaction's client. */
export type Execute = <Row extends pg.QueryResultRow>(
  statement: NamedStatement,
  values: unknown[],
) => Promise<pg.QueryResult<Row>>;

/** What the store needs from its connections; every method maps `pg`'s errors to OcxErrors. */
export interface PostgresConnection {
  /** Throws OcxError `state` once the store is closed. */
  ensureOpen(): void;
  /** Create or check the schema (once; a failure is retried by the next call). */
  ensureReady(): Promise<void>;
  /** Run one statement on the pool (autocommit). */
  query<Row extends pg.QueryResultRow>(
    operation: string,
    idempotent: boolean,
    statement: NamedStatement,
    values: unknown[],
  ): Promise<pg.QueryResult<Row>>;
  /**
   * Run `body`'s statements on the pool, one autocommit statement at a time, mapping errors; an
   * OcxError from `body` (a failed version check) passes through. For writes: not retryable
   * after a lost connection.
   */
  single<T>(operation: string, body: (execute: Execute) => Promise<T>): Promise<T>;
  /** Run `body` in one transaction on one connection; any failure rolls everything back. */
  transaction<T>(operation: string, body: (execute: Execute) => Promise<T>): Promise<T>;
  /** End the pool; later calls fail with OcxError `state`. */
  close(): Promise<void>;
}

/** The pool of one store, with its schema check, error mapping and transactions. */
export function createPostgresConnection(settings: PostgresStoreSettings): PostgresConnection {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    ssl: settings.ssl,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    application_name: settings.applicationName,
  });
  // An idle connection that breaks (server restart, network cut) is dropped by the pool and the
  // next call gets a fresh one; without a listener the 'error' event would crash the process.
  pool.on('error', () => undefined);
  let ready: Promise<void> | undefined;
  let closed = false;

  const ensureOpen = (): void => {
    if (closed)
      throw new OcxError({ code: 'state', message: 'The PostgreSQL store is closed', backend: 'postgres-store' });
  };
  /**
   * Check a connection out for `body`. A checked-out client that loses its connection emits
   * 'error' with nobody listening (the pool listens only to idle ones), which would crash the
   * process; here it marks the client broken, and a broken client is destroyed, not reused.
   */
  const withClient = async <T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken = false;
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      return await body(client);
    } catch (error) {
      broken ||= !OcxError.is(error);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  };
  /** Create or check the schema once; a failure (server not up yet) is retried by the next call. */
  const ensureReady = async (): Promise<void> => {
    ensureOpen();
    ready ??= withClient((client) => prepareSchema(client, settings.schema, settings.createSchema)).catch(
      (error: unknown) => {
        ready = undefined;
        throw mapPostgresError(error, 'open', { idempotent: true });
      },
    );
    await ready;
  };
  const onPool: Execute = (statement, values) => pool.query({ ...statement, values });
  /** Run one statement on the pool, mapping its errors. */
  const query = async <Row extends pg.QueryResultRow>(
    operation: string,
    idempotent: boolean,
    statement: NamedStatement,
    values: unknown[],
  ) => {
    await ensureReady();
    try {
      return await onPool<Row>(statement, values);
    } catch (error) {
      throw mapPostgresError(error, operation, { idempotent });
    }
  };
  const single = async <T>(operation: string, body: (execute: Execute) => Promise<T>): Promise<T> => {
    await ensureReady();
    try {
      return await body(onPool);
    } catch (error) {
      throw mapPostgresError(error, operation, { idempotent: false });
    }
  };
  /** Run `body` in one transaction on one connection; any failure rolls everything back. */
  const transaction = async <T>(operation: string, body: (execute: Execute) => Promise<T>): Promise<T> => {
    await ensureReady();
    let begun = false;
    try {
      return await withClient(async (client) => {
        await client.query('BEGIN');
        begun = true;
        try {
          const result = await body((statement, values) => client.query({ ...statement, values }));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          // If even ROLLBACK fails the connection is gone, and withClient throws the client away.
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      // Failing before BEGIN reached the server (no connection) cannot have written anything.
      throw mapPostgresError(error, operation, { idempotent: !begun });
    }
  };

  return {
    ensureOpen,
    ensureReady,
    query,
    single,
    transaction,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
