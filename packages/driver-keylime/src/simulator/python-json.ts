/**
 * Python's `json.dumps` text for a JSON value, so the simulator's bytes match Keylime's: the
 * verifier's v2 handlers answer with `json.dumps(body)` (`", "` and `": "` separators), the newer
 * web controllers (the registrar, v3 stubs) with `json.dumps(body, indent=4)`. Non-ASCII
 * characters are escaped (`ensure_ascii`), as Python does by default; `undefined` members are
 * left out, as `JSON.stringify` does.
 */
export function pythonJsonDumps(value: unknown, indent?: number): string {
  return encode(value, indent, 0);
}

function encode(value: unknown, indent: number | undefined, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return encodeNumber(value);
  if (typeof value === 'string') return encodeString(value);
  if (Array.isArray(value)) {
    return container(
      value.map((item) => encode(item, indent, depth + 1)),
      '[',
      ']',
      indent,
      depth,
    );
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return container(
    entries.map(([key, item]) => `${encodeString(key)}: ${encode(item, indent, depth + 1)}`),
    '{',
    '}',
    indent,
    depth,
  );
}

function container(items: string[], open: string, close: string, indent: number | undefined, depth: number): string {
  if (items.length === 0) return `${open}${close}`;
  if (indent === undefined) return `${open}${items.join(', ')}${close}`;
  const inner = `\n${' '.repeat(indent * (depth + 1))}`;
  return `${open}${inner}${items.join(`,${inner}`)}\n${' '.repeat(indent * depth)}${close}`;
}

function encodeNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return String(value);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function encodeString(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    const code = text.charCodeAt(index);
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}
