import { parseWith } from '@ocx/core';
import { z } from 'zod';

function encodable(id: string): boolean {
  try {
    encodeURIComponent(id);
    return true;
  } catch {
    return false;
  }
}

/**
 * An object's id: 1–1024 characters, no control characters, well-formed Unicode. Any other
 * character is fine (`/` included): ids are percent-encoded in stored keys.
 */
export const ObjectIdSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((id) => !/\p{Cc}/u.test(id), 'must not contain control characters')
  .refine(encodable, 'must be well-formed Unicode (no lone surrogates)');

/** Check an object id, throwing a `validation` error naming `objectId`. */
export function checkObjectId(objectId: unknown, operation: string): string {
  return parseWith(ObjectIdSchema, objectId, { what: `${operation} input`, prefix: 'objectId' });
}
