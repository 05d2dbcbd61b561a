/**
 * A field of a HIL call's schema, as hil/api.py declares them with the `schema` library:
 * `string` is `basestring`, `bool` is `bool`, `any` is `object` (anything, even null); a trailing
 * `?` marks `Optional(...)`. A nested object is an object of fields.
 */
export type FieldType = 'string' | 'string?' | 'bool' | 'bool?' | 'any' | 'any?' | NestedField;

/** A nested object field, e.g. `obmd: {uri, admin_token}`. */
export interface NestedField {
  fields: Record<string, FieldType>;
  optional?: boolean;
}

/** A call's schema: its fields, and whether other keys are allowed (`Optional(object): object`). */
export interface CallSchema {
  fields: Record<string, FieldType>;
  allowExtra?: boolean;
}

/**
 * Validate the merged arguments (path, body or query) against a call's schema the way
 * `schema.Schema.validate` does: every required key present with the right type, no key the
 * schema does not name (unless it allows extra keys).
 */
export function matchesSchema(schema: CallSchema, values: Record<string, unknown>): boolean {
  for (const [key, type] of Object.entries(schema.fields)) {
    const present = Object.hasOwn(values, key);
    if (!present) {
      if (!isOptional(type)) return false;
      continue;
    }
    if (!matchesType(type, values[key])) return false;
  }
  if (schema.allowExtra) return true;
  return Object.keys(values).every((key) => Object.hasOwn(schema.fields, key));
}

function isOptional(type: FieldType): boolean {
  return typeof type === 'string' ? type.endsWith('?') : type.optional === true;
}

function matchesType(type: FieldType, value: unknown): boolean {
  if (typeof type !== 'string') {
    // A nested object arrives as the PythonDict the body parser made.
    return value instanceof Map && matchesSchema({ fields: type.fields }, Object.fromEntries(value));
  }
  switch (type.replace('?', '')) {
    case 'string':
      // `basestring`: JSON strings only (numbers, even big ones, are not strings).
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    default:
      return true;
  }
}
