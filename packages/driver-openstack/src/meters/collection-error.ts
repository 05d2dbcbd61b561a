import { OcxError } from '@ocx/core';

/**
 * Re-throw a failure in the middle of a collection with how far it got, keeping its code,
 * status and attempts: the records already yielded are good, and the caller must know the rest
 * is missing rather than take the collection as complete.
 */
export function collectionError(
  error: unknown,
  meter: string,
  progress: { records: number; resources: number },
): unknown {
  if (!OcxError.is(error)) return error;
  return new OcxError({
    code: error.code,
    message: `Collecting ${meter} usage stopped after ${progress.records} records of ${progress.resources} resources; the rest of the window is missing: ${error.message}`,
    retryable: error.retryable,
    backend: error.backend,
    operation: error.operation,
    status: error.status,
    requestId: error.requestId,
    attempts: error.attempts,
    totalRetryDelayMs: error.totalRetryDelayMs,
    backendErrorType: error.backendErrorType,
    backendMessage: error.backendMessage,
    issues: error.issues,
    fault: error.fault,
    cause: error,
  });
}
