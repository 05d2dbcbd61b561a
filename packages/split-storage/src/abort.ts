import { OcxError } from '@ocx/core';

/** Throw the SDK's `aborted` error when `signal` has fired. */
export function checkAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) {
    throw new OcxError({
      code: 'aborted',
      backend: 'split-storage',
      operation,
      message: `split-storage ${operation} was aborted`,
      cause: signal.reason,
    });
  }
}
