import { type CallOptions, OcxError } from '@ocx/core';
import { undefinedIfNotFound } from '@ocx/core/driver-kit';

// Input checks are the driver kit's: a `validation` error naming the field, nothing sent.
export { checkInput } from '@ocx/core/driver-kit';

/** Refuse at once when the call was already aborted, before any backend call. */
export function checkSignal(options: CallOptions | undefined, operation: string): void {
  if (options?.signal?.aborted) {
    throw new OcxError({ code: 'aborted', message: `ceph: ${operation} was aborted`, operation, backend: 'ceph' });
  }
}

/** True for an `OcxError` of one of these codes. */
export function isOcxError(error: unknown, ...codes: string[]): error is OcxError {
  return OcxError.is(error) && codes.includes(error.code);
}

/** Run a call; a `not-found` answer becomes `undefined`. */
export const orUndefined = undefinedIfNotFound;

/** The error for a project this driver does not have. */
export function projectNotFound(project: string, operation: string): OcxError {
  return new OcxError({
    code: 'not-found',
    message: `ceph: ${operation}: project ${project} does not exist in RGW`,
    operation,
    backend: 'rgw-admin',
    fault: 'client',
  });
}
