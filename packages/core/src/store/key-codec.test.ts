import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, prefixRange } from './key-codec.js';

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
// Any sequence of UTF-16 code units, lone surrogates included: the keys JavaScript allows.
const anyKey = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) });

describe('key codec', () => {
  it('round-trips every string, including lone surrogates and NUL', () => {
    fc.assert(fc.property(anyKey, (key) => decodeKey(encodeKey(key)) === key));
    expect(decodeKey(encodeKey('source\u0000id-\uD800-😀'))).toBe('source\u0000id-\uD800-😀');
  });

  it('byte order of encoded keys is JavaScript code-unit order', () => {
    fc.assert(
      fc.property(
        anyKey,
        anyKey,
        (a, b) => Math.sign(Buffer.compare(encodeKey(a), encodeKey(b))) === codeUnitOrder(a, b),
      ),
    );
    // The case UTF-8 gets wrong: a surrogate pair (U+1F600) sorts before U+FFFD in code units.
    expect(Buffer.compare(encodeKey('😀'), encodeKey('\uFFFD'))).toBe(-1);
    expect(Buffer.compare(Buffer.from('😀'), Buffer.from('\uFFFD'))).toBe(1);
  });

  it('a prefix range holds exactly the keys that start with the prefix', () => {
    fc.assert(
      fc.property(anyKey, anyKey, anyKey, (prefix, suffix, other) => {
        const { start, end } = prefixRange(prefix);
        const inside = (key: string): boolean => {
          const bytes = encodeKey(key);
          return Buffer.compare(bytes, start) >= 0 && (end === undefined || Buffer.compare(bytes, end) < 0);
        };
        // Random keys rarely share the prefix, so check one that surely does as well.
        return inside(prefix + suffix) && inside(other) === other.startsWith(prefix);
      }),
    );
    expect(prefixRange('\uFFFF').end).toBeUndefined();
    expect(prefixRange('a\u00FF').end).toEqual(Buffer.from([0x00, 0x61, 0x01]));
  });
});
