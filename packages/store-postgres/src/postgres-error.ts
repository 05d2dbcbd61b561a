import { OcxError, type OcxErrorCode } from '@ocx/core';

/**
 * SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
 * and what they mean to a caller. `rolledBack`: the server certainly undid the transaction, so
 * trying again is safe even for a write that is not idempotent.
 */
const SQLSTATES: ReadonlyArray<[prefix: string, code: OcxErrorCode, rolledBack: boolean]> = [
  ['40001', 'conflict', true], // serialization_failure
  ['40P01', 'conflict', true], // deadlock_detected
  ['23', 'conflict', false], // integrity constraint violations
  ['57014', 'timeout', true], // query_canceled (statement_timeout)
  ['55P03', 'timeout', true], // lock_not_available
  ['28', 'auth', false], // invalid authorization (wrong password, no such role)
  ['42501', 'auth', false], // insufficient_privilege
  ['3D000', 'not-found', false], // the database does not exist
  ['42P01', 'state', false], // undefined_table: the schema was not created
  ['3F000', 'state', false], // invalid_schema_name
  ['22', 'validation', false], // data exceptions
  ['53', 'network', true], // insufficient resources (too many connections, …): refused before anything ran
  ['08', 'network', false], // connection exceptions
  ['57P', 'network', false], // the server is shutting down or restarting
];

/** Node socket errors on which nothing was sent, so any operation may be tried again. */
const NOTHING_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Turn whatever `pg` threw into an OcxError. SQLSTATE and the server's message are kept
 * (`backendErrorType`, `backendMessage`, both redacted). `retryable` is true only when trying
 * again cannot apply a write twice: the server rolled the transaction back, nothing was sent, or
 * the operation is `idempotent` (reads, insertMany). A connection lost during a non-idempotent
 * write (put, append, batch) may or may not have committed, so it is not marked retryable.
 */
export function mapPostgresError(error: unknown, operation: string, options: { idempotent: boolean }): OcxError {
  if (OcxError.is(error)) return error;
  const details = (error ?? {}) as { code?: unknown; message?: unknown };
  const sqlState = typeof details.code === 'string' && /^[0-9A-Z]{5}$/.test(details.code) ? details.code : undefined;
  const socketCode = sqlState === undefined && typeof details.code === 'string' ? details.code : undefined;
  const message = typeof details.message === 'string' ? details.message : String(error);

  let code: OcxErrorCode = 'internal';
  let retryable = false;
  if (sqlState !== undefined) {
    const match = SQLSTATES.find(([prefix]) => sqlState.startsWith(prefix));
    if (match !== undefined) {
      code = match[1];
      retryable = match[2] || ((code === 'network' || code === 'timeout') && options.idempotent);
    }
  } else if (
    socketCode !== undefined ||
    /Connection terminated|connection (?:error|ended)|socket|ECONNRESET|EPIPE/i.test(message)
  ) {
    code = 'network';
    retryable = options.idempotent || (socketCode !== undefined && NOTHING_SENT.has(socketCode));
  } else if (/timeout exceeded when trying to connect|connection timeout/i.test(message)) {
    // The pool could not get a connection in connectTimeoutMs: nothing was sent.
    code = 'timeout';
    retryable = true;
  } else if (/Cannot use a pool after calling end|Client was closed|not queryable/i.test(message)) {
    code = 'state';
  }
  return new OcxError({
    code,
    message: `PostgreSQL store ${operation} failed: ${message}`,
    retryable,
    backend: 'postgres-store',
    operation,
    backendErrorType: sqlState ?? socketCode,
    backendMessage: message,
    fault: code === 'validation' || code === 'auth' || code === 'conflict' ? 'client' : 'server',
    cause: error,
  });
}
