import { OcxError, type OcxErrorCode } from '@ocx/core';

/** SQLite result codes (better-sqlite3's `SqliteError.code`) and what they mean to a caller. */
const CODES: ReadonlyArray<[prefix: string, code: OcxErrorCode, retryable: boolean]> = [
  // Another connection held the write lock for longer than busyTimeoutMs: trying again later can work.
  ['SQLITE_BUSY', 'timeout', true],
  ['SQLITE_LOCKED', 'timeout', true],
  ['SQLITE_READONLY', 'state', false],
  ['SQLITE_CONSTRAINT', 'conflict', false],
  ['SQLITE_CANTOPEN', 'state', false],
  ['SQLITE_NOTADB', 'state', false],
  ['SQLITE_CORRUPT', 'state', false],
];

/**
 * Turn whatever better-sqlite3 threw into an OcxError that keeps SQLite's own code and message
 * (`backendErrorType`, `backendMessage`) and says whether a retry can help.
 */
export function mapSqliteError(error: unknown, operation: string): OcxError {
  if (OcxError.is(error)) return error;
  const sqliteCode =
    typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const match = sqliteCode === undefined ? undefined : CODES.find(([prefix]) => sqliteCode.startsWith(prefix));
  // better-sqlite3 reports use after close() and a missing directory as TypeErrors without a code.
  const unusable =
    sqliteCode === undefined && /database connection is not open|directory does not exist/i.test(message);
  const code: OcxErrorCode = match?.[1] ?? (unusable ? 'state' : 'internal');
  return new OcxError({
    code,
    message: `SQLite store ${operation} failed: ${message}`,
    retryable: match?.[2] ?? false,
    backend: 'sqlite-store',
    operation,
    backendErrorType: sqliteCode,
    backendMessage: message,
    fault: 'server',
    cause: error,
  });
}
