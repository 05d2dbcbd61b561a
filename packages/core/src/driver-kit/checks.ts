import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import type { CallOptions } from '../spec/primitives.js';

/**
 * A name most backends accept for a project, user or object: 1–64 letters, digits, `.`, `_`, `-`,
 * starting with a letter or digit. Narrow it further for your backend with `.regex` or `.max`.
 */
export const NameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"');

/**
 * Parse a method's input with a schema (the capability's, from `@ocx/core`, or your own) before
 * anything is sent: a bad value is an `OcxError` with code `validation` naming the field. The
 * conformance suites expect exactly this; a backend's own 400 would be an `http` error.
 */
export function checkInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  operation: string,
): z.output<Schema> {
  return parseWith(schema, input, { what: `input of ${operation}`, operation });
}

/** Refuse at once (`aborted`) if the call's signal is already aborted, as the HTTP layer does. */
export function checkSignal(options: CallOptions | undefined, operation: string, backend: string): void {
  if (options?.signal?.aborted) {
    throw new OcxError({ code: 'aborted', message: `${operation} was aborted`, operation, backend });
  }
}

/** A `not-found` error (status 404) for `what` (e.g. `Project "p1"`). */
export function notFound(what: string, operation: string, backend: string): OcxError {
  return new OcxError({ code: 'not-found', message: `${what} does not exist`, operation, backend, status: 404 });
}

/** A `conflict` error (status 409): the object exists, or is in use. */
export function conflict(message: string, operation: string, backend: string): OcxError {
  return new OcxError({ code: 'conflict', message, operation, backend, status: 409 });
}

/**
 * What a getter returns: the value, or `undefined` when the call failed with `not-found` (the
 * backend's 404, mapped by `@ocx/core/http`). Every other error is rethrown.
 */
export async function undefinedIfNotFound<Value>(call: Promise<Value>): Promise<Value | undefined> {
  try {
    return await call;
  } catch (error) {
    if (OcxError.is(error) && error.code === 'not-found') return undefined;
    throw error;
  }
}
