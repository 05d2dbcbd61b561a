import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareUtf8 } from './byte-order.js';
import { mergeListings } from './merge-listing.js';
import { readUsage, sumUsage } from './swift-usage.js';

describe('compareUtf8', () => {
  it('orders by UTF-8 bytes, unlike JS string order and localeCompare', () => {
    const names = ['😀', 'é', 'z', '\uFFFD', 'Z', '\uFF21'];
    const bytes = [...names].sort(compareUtf8);
    expect(bytes).toEqual(['Z', 'z', 'é', '\uFF21', '\uFFFD', '😀']);
    // JS compares UTF-16 units: the emoji's high surrogate (0xD83D) sorts before U+FF21.
    expect([...names].sort()).not.toEqual(bytes);
    // Locales put é next to e, before z.
    expect([...names].sort((a, b) => a.localeCompare(b))).not.toEqual(bytes);
  });

  it('is code-point order, for any strings', () => {
    const codePoints = (text: string) => [...text].map((character) => character.codePointAt(0)!);
    const byCodePoint = (a: string, b: string): number => {
      const [x, y] = [codePoints(a), codePoints(b)];
      for (let index = 0; index < Math.min(x.length, y.length); index += 1)
        if (x[index] !== y[index]) return x[index]! - y[index]!;
      return x.length - y.length;
    };
    const text = fc.string({ unit: 'binary', maxLength: 8 });
    fc.assert(
      fc.property(text, text, (a, b) => Math.sign(compareUtf8(a, b)) === Math.sign(byCodePoint(a, b))),
      { numRuns: 300 },
    );
  });
});

describe('mergeListings', () => {
  it('merges sorted pages, combines equal names and honours the bounds', () => {
    const merged = mergeListings(
      [
        [
          { name: 'b', n: 1 },
          { name: 'd', n: 1 },
          { name: 'é', n: 1 },
        ],
        [
          { name: 'a', n: 2 },
          { name: 'b', n: 2 },
          { name: 'z', n: 2 },
        ],
      ],
      (entry) => entry.name,
      (same) => ({ name: same[0]!.name, n: same.reduce((sum, entry) => sum + entry.n, 0) }),
      { limit: 4, marker: 'a', endMarker: 'é' },
    );
    expect(merged).toEqual([
      { name: 'b', n: 3 },
      { name: 'd', n: 1 },
      { name: 'z', n: 2 },
    ]);
  });
});

describe('usage sums', () => {
  it('are exact beyond 2^53', () => {
    const a = readUsage(
      { 'x-account-bytes-used': '9007199254740993' },
      ['x-account-bytes-used', 'x-account-object-count'],
      'a',
    );
    const b = readUsage(
      { 'x-account-bytes-used': '9007199254740993', 'x-account-object-count': '2' },
      ['x-account-bytes-used', 'x-account-object-count'],
      'b',
    );
    const total = sumUsage([a, b], ['x-account-bytes-used', 'x-account-object-count']);
    expect(total['x-account-bytes-used']?.toString()).toBe('18014398509481986');
    expect(total['x-account-object-count']).toBe(2n);
  });

  it('refuse a malformed header, naming the landlord', () => {
    expect(() => readUsage({ 'x-account-bytes-used': '1e3' }, ['x-account-bytes-used'], 'landlord-b')).toThrow(
      /landlord-b sent a malformed x-account-bytes-used/,
    );
  });
});
