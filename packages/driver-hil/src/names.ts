import { OcxError, parseWith } from '@ocx/core';
import { z } from 'zod';

/**
 * The characters HIL's official client lets through in a name: letters, digits, space and
 * `/$_.+!*'(),-` (the URL-safe set). HIL's server accepts any string, but a name outside this
 * set cannot be used safely by the other HIL tools, so it is refused before any request.
 */
const NAME_CHARACTERS = /^[A-Za-z0-9 $_.+!*'(),-]+$/;
/** Ports, channels and network ids may also hold `/` (e.g. `gi1/0/11`, `vlan/native`). */
const SLASHED_CHARACTERS = /^[A-Za-z0-9 /$_.+!*'(),-]+$/;
const ONLY_DOTS = /^\.+$/;

const characterMessage = `may only hold letters, digits, space and $_.+!*'(),- (the characters HIL's client accepts)`;

/**
 * The name of a HIL project, node, NIC, network, switch, user or metadata label. Dot-only names
 * are refused too: `..` in a URL path is collapsed by every URL parser and would address another
 * resource.
 */
export const HilNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .regex(NAME_CHARACTERS, characterMessage)
  .refine((name) => !ONLY_DOTS.test(name), 'must not consist only of dots');

/** A switch port name: a HIL name that may contain `/` between non-empty parts (`gi1/0/11`). */
export const HilPortNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .regex(SLASHED_CHARACTERS, `${characterMessage} or /`)
  .refine((port) => port.split('/').every((part) => part !== '' && !ONLY_DOTS.test(part)), {
    message: 'must not have empty or dot-only parts between slashes',
  });

/** A channel (`vlan/native`, `vlan/<id>`, or `null` with HIL's null allocator). */
export const HilChannelSchema = z
  .string()
  .min(1, 'must not be empty (leave the channel out to get the default)')
  .regex(SLASHED_CHARACTERS, `${characterMessage} or /`);

/** A network id: empty asks HIL to allocate one from its pool. */
export const HilNetIdSchema = z
  .string()
  .refine((id) => id === '' || SLASHED_CHARACTERS.test(id), `${characterMessage} or /`);

/**
 * Check one name against a schema, throwing an `OcxError` (`validation`) that names the field.
 *
 * @example
 * ```ts
 * checkHilName(HilNameSchema, 'node-01', 'node', 'show_node');
 * ```
 */
export function checkHilName<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  field: string,
  operation: string,
): z.output<Schema> {
  return parseWith(schema, value, { what: `input of ${operation}`, operation, prefix: field });
}

/** Percent-encode one path segment (a name that holds no `/`). */
export function encodeSegment(name: string): string {
  return encodeURIComponent(name);
}

/** Percent-encode a port name, keeping its `/` separators: HIL routes ports with `<path:port>`. */
export function encodePortPath(port: string): string {
  return port.split('/').map(encodeURIComponent).join('/');
}

/** Build a `validation` error for a field, for checks that are not a schema. */
export function invalidInput(field: string, message: string, operation: string): OcxError {
  return new OcxError({
    code: 'validation',
    fault: 'client',
    message: `Invalid input of ${operation}: ${field}: ${message}`,
    operation,
    issues: [{ path: field, message }],
  });
}
