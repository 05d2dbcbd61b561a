import { encodeKey } from './key-codec.js';
import type { Execute } from './postgres-connection.js';
import type { PostgresStatements } from './postgres-sql.js';
import { type PreparedOperation, versionConflict } from './store-input.js';

/** The store's writes, each given where to run: the pool (one statement) or a transaction's client. */
export interface PostgresWrites {
  /** Write a document; returns its new version. A failed `expectedVersion` throws OcxError `conflict`. */
  put(
    execute: Execute,
    collection: string,
    key: string,
    json: string,
    expectedVersion: number | undefined,
  ): Promise<number>;
  /** Delete a document; false if it did not exist. */
  delete(execute: Execute, collection: string, key: string, expectedVersion: number | undefined): Promise<boolean>;
  /** Append entries (JSON texts) to a log; returns their sequences. */
  append(execute: Execute, log: string, entries: string[]): Promise<number[]>;
  /** One operation of a batch. */
  apply(execute: Execute, operation: PreparedOperation): Promise<void>;
}

/** The writes over the statements of one schema. */
export function createPostgresWrites(sql: PostgresStatements): PostgresWrites {
  const versionOf = async (execute: Execute, collection: string, key: Buffer): Promise<number> => {
    const { rows } = await execute<{ version: string }>(sql.get, [collection, key]);
    return rows[0] === undefined ? 0 : Number(rows[0].version);
  };
  const put = async (
    execute: Execute,
    collection: string,
    key: string,
    json: string,
    expectedVersion: number | undefined,
  ): Promise<number> => {
    const keyBytes = encodeKey(key);
    if (expectedVersion === undefined) {
      const { rows } = await execute<{ version: string }>(sql.upsert, [collection, keyBytes, json]);
      return Number(rows[0]?.version ?? 1);
    }
    const { rowCount } =
      expectedVersion === 0
        ? await execute(sql.insertIfAbsent, [collection, keyBytes, json])
        : await execute(sql.updateIfVersion, [collection, keyBytes, json, expectedVersion]);
    if (rowCount !== 1)
      throw versionConflict(collection, key, expectedVersion, await versionOf(execute, collection, keyBytes));
    return expectedVersion + 1;
  };
  const remove = async (
    execute: Execute,
    collection: string,
    key: string,
    expectedVersion: number | undefined,
  ): Promise<boolean> => {
    const keyBytes = encodeKey(key);
    if (expectedVersion === undefined) return (await execute(sql.remove, [collection, keyBytes])).rowCount === 1;
    if (expectedVersion === 0) {
      const actual = await versionOf(execute, collection, keyBytes);
      if (actual !== 0) throw versionConflict(collection, key, 0, actual);
      return false;
    }
    if ((await execute(sql.removeIfVersion, [collection, keyBytes, expectedVersion])).rowCount === 1) return true;
    throw versionConflict(collection, key, expectedVersion, await versionOf(execute, collection, keyBytes));
  };
  const append = async (execute: Execute, log: string, entries: string[]): Promise<number[]> => {
    const { rows } = await execute<{ sequence: string }>(sql.append, [log, entries]);
    return rows.map((row) => Number(row.sequence)).sort((a, b) => a - b);
  };
  const apply = async (execute: Execute, operation: PreparedOperation): Promise<void> => {
    if (operation.type === 'put')
      await put(execute, operation.collection, operation.key, operation.json, operation.expectedVersion);
    else if (operation.type === 'delete')
      await remove(execute, operation.collection, operation.key, operation.expectedVersion);
    else if (operation.entries.length > 0) await append(execute, operation.log, operation.entries);
  };
  return { put, delete: remove, append, apply };
}
