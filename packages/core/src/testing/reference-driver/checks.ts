import * as kit from '../../driver-kit/checks.js';
import type { OcxError } from '../../errors/ocx-error.js';
import type { CallOptions } from '../../spec/primitives.js';

// The reference landlord uses the public driver kit (`@ocx/core/driver-kit`), so a driver copied
// from it imports the same helpers.
export { checkInput, NameSchema } from '../../driver-kit/checks.js';

/** Reject at once if the call was aborted, like the HTTP layer does. */
export function checkSignal(options: CallOptions | undefined, operation: string): void {
  kit.checkSignal(options, operation, 'reference');
}

export function notFound(what: string, operation: string): OcxError {
  return kit.notFound(what, operation, 'reference');
}

export function conflict(message: string, operation: string): OcxError {
  return kit.conflict(message, operation, 'reference');
}
