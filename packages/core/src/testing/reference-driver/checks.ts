import { z } from 'zod';
import { OcxError } from '../../errors/ocx-error.js';
import { parseWith } from '../../errors/validation.js';
import type { CallOptions } from '../../spec/primitives.js';

/** Names the reference landlord accepts: what a real backend would. */
export const NameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"');

/** Parse an input object, naming the bad field. Used at the top of every method. */
export function checkInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  operation: string,
): z.output<Schema> {
  return parseWith(schema, input, { what: `input of ${operation}`, operation });
}

/** Reject at once if the call was aborted, like the HTTP layer does. */
export function checkSignal(options: CallOptions | undefined, operation: string): void {
  if (options?.signal?.aborted) {
    throw new OcxError({ code: 'aborted', message: `${operation} was aborted`, operation, backend: 'reference' });
  }
}

export function notFound(what: string, operation: string): OcxError {
  return new OcxError({
    code: 'not-found',
    message: `${what} does not exist`,
    operation,
    backend: 'reference',
    status: 404,
  });
}

export function conflict(message: string, operation: string): OcxError {
  return new OcxError({ code: 'conflict', message, operation, backend: 'reference', status: 409 });
}
