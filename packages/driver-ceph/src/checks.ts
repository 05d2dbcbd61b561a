import { type CallOptions, OcxError, parseWith } from '@ocx/core';
import type { z } from 'zod';

/** Parse a method's input, naming the bad field in a `validation` error; nothing is sent. */
export function checkInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  operation: string,
): z.output<Schema> {
  return parseWith(schema, input, { what: `input of ${operation}`, operation });
}

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
export async function orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isOcxError(error, 'not-found')) return undefined;
    throw error;
  }
}

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
