import { OcxError, redactText } from '@ocx/core';
import { describeTarget } from './target/object-store-target.js';

/** The backend name split-storage errors carry. */
export const BACKEND = 'split-storage';

/** Who a share belongs to, in reports and errors. */
export interface TargetRef {
  landlord: string;
  service: string;
}

/**
 * Stored bytes failed a check: a segment's GCM tag, a manifest's schema, key shares that do not
 * rebuild the committed key. `@ocx/core` has no `integrity` code; this is `protocol` (the backend
 * answered something that is not what was stored) with `backendErrorType: 'integrity'`, and the
 * message names the object, what failed and which landlords' shares are suspect.
 */
export function integrityError(input: {
  objectId: string;
  operation: string;
  what: string;
  suspects: readonly TargetRef[];
  cause?: unknown;
}): OcxError {
  const who = input.suspects.map(describeTarget).join(', ');
  return new OcxError({
    code: 'protocol',
    backend: BACKEND,
    operation: input.operation,
    backendErrorType: 'integrity',
    fault: 'server',
    message: `split-storage: ${input.what} of object ${JSON.stringify(input.objectId)} failed its integrity check${
      who === '' ? '' : ` (share of ${who})`
    }; no unauthenticated byte was returned`,
    ...(input.cause === undefined ? {} : { cause: input.cause }),
  });
}

/** No readable copy of the object. */
export function objectNotFound(objectId: string, operation: string, detail?: string): OcxError {
  return new OcxError({
    code: 'not-found',
    backend: BACKEND,
    operation,
    message: `split-storage: no object ${JSON.stringify(objectId)}${detail === undefined ? '' : ` (${detail})`}`,
  });
}

/** A one-field validation error, as `parseWith` would build it. */
export function fieldError(path: string, message: string, what: string): OcxError {
  return new OcxError({
    code: 'validation',
    backend: BACKEND,
    message: `Invalid ${what}: ${path}: ${message}`,
    issues: [{ path, message }],
    fault: 'client',
  });
}

/** A short, secret-free description of an error for reports. */
export function errorSummary(error: unknown): { code: string; message: string } {
  if (OcxError.is(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: redactText(error instanceof Error ? error.message : String(error)) };
}
