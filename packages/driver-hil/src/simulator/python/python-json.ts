import { compareCodePoints, python2Order } from './python-order.js';

/**
 * A JSON number with a fraction or exponent, as Python's `json.loads` reads it: a `float`, which
 * `json.dumps` writes back as `1.0` or `1e+16` where JavaScript would write `1` or `10000000000000000`.
 */
export class PythonFloat {
  constructor(readonly value: number) {}
}

/** A JSON object as Python reads it: its keys in document order (`json.dumps` re-orders them). */
export class PythonDict extends Map<string, unknown> {}

/** Python 2.7's `repr(float)`, which `json.dumps` uses: shortest digits, exponent outside 1e-4…1e16. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const exponentSign = exponent < 0 ? '-' : '+';
  return `${sign}${digits[0]}${fraction}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** `json.dumps` of a string with `ensure_ascii`: everything outside printable ASCII is escaped. */
function quote(text: string): string {
  const escaped = text.replace(/[\\"]|[^ -~]/g, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `"${escaped}"`;
}

/** Options of {@link pythonJsonDumps}. */
export interface PythonJsonOptions {
  /** `sort_keys=True`: keys by code point, in every nested object. Otherwise Python 2's dict order. */
  sortKeys?: boolean;
}

/**
 * Python 2's `json.dumps` with its defaults: `", "` and `": "` separators, `ensure_ascii`, floats
 * as `repr`, NaN and infinities as bare words, and dict keys in Python 2's hash order (or sorted,
 * with `sortKeys`). HIL builds every body this way.
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (value instanceof PythonFloat) return pythonFloatRepr(value.value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item, options)).join(', ')}]`;
  const entries: Map<string, unknown> =
    value instanceof Map ? (value as Map<string, unknown>) : new Map(Object.entries(value as object));
  const keys = options.sortKeys ? [...entries.keys()].sort(compareCodePoints) : python2Order(entries.keys());
  return `{${keys.map((key) => `${quote(key)}: ${pythonJsonDumps(entries.get(key), options)}`).join(', ')}}`;
}
