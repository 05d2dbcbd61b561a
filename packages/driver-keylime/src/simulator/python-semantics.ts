/**
 * How the Python verifier treats JSON values it did not validate: their Python type names,
 * `repr`, truthiness and `int()`. Keylime's handlers catch the resulting exceptions and answer
 * `Exception error: <message>`, so the simulator needs the same messages.
 */

/** The Python type name of a decoded JSON value (`'NoneType'`, `'list'`, `'dict'`…). */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return Array.isArray(value) ? 'list' : 'dict';
}

/** Python's `repr` of a decoded JSON value, as it appears in exception messages. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (typeof value === 'string') return stringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, item]) => `${stringRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
}

function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

function stringRepr(text: string): string {
  // Python prefers single quotes and switches to double quotes only to avoid escaping.
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}${quote}`;
}

/** Python truthiness: `None`, `False`, `0`, `''`, `[]` and `{}` are false. */
export function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** The outcome of Python's `int(value)`: the number, or the message of the exception it raises. */
export type PythonIntResult = { ok: true; value: number } | { ok: false; message: string };

/** Python's `int(value)` on a decoded JSON value (floats truncate; strings may carry spaces and `_`). */
export function pythonInt(value: unknown): PythonIntResult {
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { ok: false, message: 'cannot convert float NaN to integer' };
    if (!Number.isFinite(value)) return { ok: false, message: 'cannot convert float infinity to integer' };
    return { ok: true, value: Math.trunc(value) };
  }
  if (typeof value === 'string') {
    if (/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) return { ok: true, value: Number(value.replace(/[\s_]/g, '')) };
    return { ok: false, message: `invalid literal for int() with base 10: ${pythonRepr(value)}` };
  }
  return {
    ok: false,
    message: `int() argument must be a string, a bytes-like object or a real number, not '${pythonTypeName(value)}'`,
  };
}

/** Python's `base64.b64decode(value).decode()` (non-strict: characters outside the alphabet are dropped). */
export type PythonTextResult = { ok: true; text: string } | { ok: false; message: string };

/** Decode a base64 field as the verifier does; failures carry Python's exception message. */
export function pythonBase64DecodeText(value: unknown): PythonTextResult {
  if (typeof value !== 'string') {
    return {
      ok: false,
      message: `argument should be a bytes-like object or ASCII string, not '${pythonTypeName(value)}'`,
    };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is exactly ASCII
  if (!/^[\x00-\x7f]*$/.test(value))
    return { ok: false, message: 'string argument should contain only ASCII characters' };
  const data = value.replace(/[^A-Za-z0-9+/=]/g, '');
  const unpadded = data.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) {
    return {
      ok: false,
      message: `Invalid base64-encoded string: number of data characters (${unpadded.length}) cannot be 1 more than a multiple of 4`,
    };
  }
  if (data.length % 4 !== 0) return { ok: false, message: 'Incorrect padding' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64')) };
  } catch {
    return { ok: false, message: "'utf-8' codec can't decode the runtime policy: invalid UTF-8" };
  }
}
