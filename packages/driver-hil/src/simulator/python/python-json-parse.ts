import { PythonDict, PythonFloat } from './python-json.js';

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Python 2's `json.loads` (strict mode), which HIL uses on request bodies. Unlike `JSON.parse` it
 * accepts `NaN`, `Infinity` and `-Infinity`, keeps floats apart from integers ({@link PythonFloat}),
 * keeps integers beyond 2^53 exact (as bigint) and keeps object keys in document order
 * ({@link PythonDict}). Throws a SyntaxError where Python raises ValueError.
 */
export function parsePythonJson(text: string): unknown {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError(`No JSON object could be decoded at ${at}`);
  };
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at += 1;
  };
  const literal = (word: string, value: unknown): unknown => {
    if (!text.startsWith(word, at)) fail();
    at += word.length;
    return value;
  };

  const parseString = (): string => {
    at += 1;
    let result = '';
    for (;;) {
      const char = text[at];
      if (char === undefined || char.charCodeAt(0) < 0x20) return fail();
      at += 1;
      if (char === '"') return result;
      if (char !== '\\') {
        result += char;
        continue;
      }
      const escaped = text[at];
      at += 1;
      if (escaped === 'u') {
        const hex = text.slice(at, at + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return fail();
        result += String.fromCharCode(Number.parseInt(hex, 16));
        at += 4;
      } else if (escaped !== undefined && ESCAPES[escaped] !== undefined) {
        result += ESCAPES[escaped];
      } else {
        return fail();
      }
    }
  };

  const parseNumber = (): unknown => {
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (match === null) return fail();
    at = NUMBER.lastIndex;
    if (match[1] !== undefined || match[2] !== undefined) return new PythonFloat(Number(match[0]));
    const integer = BigInt(match[0]);
    return integer >= BigInt(Number.MIN_SAFE_INTEGER) && integer <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(integer)
      : integer;
  };

  const parseValue = (): unknown => {
    skipSpace();
    const char = text[at];
    switch (char) {
      case '{': {
        at += 1;
        const dict = new PythonDict();
        skipSpace();
        if (text[at] === '}') {
          at += 1;
          return dict;
        }
        for (;;) {
          skipSpace();
          if (text[at] !== '"') return fail();
          const key = parseString();
          skipSpace();
          if (text[at] !== ':') return fail();
          at += 1;
          dict.set(key, parseValue());
          skipSpace();
          const next = text[at];
          at += 1;
          if (next === '}') return dict;
          if (next !== ',') return fail();
        }
      }
      case '[': {
        at += 1;
        const list: unknown[] = [];
        skipSpace();
        if (text[at] === ']') {
          at += 1;
          return list;
        }
        for (;;) {
          list.push(parseValue());
          skipSpace();
          const next = text[at];
          at += 1;
          if (next === ']') return list;
          if (next !== ',') return fail();
        }
      }
      case '"':
        return parseString();
      case 'n':
        return literal('null', null);
      case 't':
        return literal('true', true);
      case 'f':
        return literal('false', false);
      case 'N':
        return literal('NaN', new PythonFloat(Number.NaN));
      case 'I':
        return literal('Infinity', new PythonFloat(Number.POSITIVE_INFINITY));
      default:
        if (text.startsWith('-Infinity', at)) return literal('-Infinity', new PythonFloat(Number.NEGATIVE_INFINITY));
        return parseNumber();
    }
  };

  const value = parseValue();
  skipSpace();
  if (at !== text.length) fail();
  return value;
}
