/**
 * The order in which CPython 2.7 (64-bit) iterates a small `dict` or `set` of strings. HIL runs on
 * Python 2, where that order comes from string hashes, not insertion: `json.dumps` of a dict
 * without `sort_keys` (HIL's error bodies, `show_port`, stored metadata) and werkzeug's `Allow`
 * header (built from a `set`) follow it, so the simulator must too.
 */

const MASK_64 = (1n << 64n) - 1n;
const PERTURB_SHIFT = 5n;
const MIN_SIZE = 8;

/** CPython 2's `hash()` of a (unicode) string, as an unsigned 64-bit value (`size_t`). */
export function python2StringHash(text: string): bigint {
  const codePoints = [...text].map((char) => BigInt(char.codePointAt(0)!));
  if (codePoints.length === 0) return 0n;
  let hash = (codePoints[0]! << 7n) & MASK_64;
  for (const point of codePoints) hash = ((1000003n * hash) & MASK_64) ^ point;
  hash ^= BigInt(codePoints.length);
  // -1 is reserved for errors in C; CPython maps it to -2.
  if (hash === MASK_64) hash = MASK_64 - 1n;
  return hash;
}

/** Open addressing as `lookdict_string`/`set_lookkey` probe it: the slot `key` lands in. */
function probe(table: Array<string | undefined>, hash: bigint): number {
  const mask = BigInt(table.length - 1);
  let index = hash & mask;
  if (table[Number(index)] === undefined) return Number(index);
  let perturb = hash;
  for (;;) {
    index = ((index << 2n) + index + perturb + 1n) & MASK_64;
    const slot = Number(index & mask);
    if (table[slot] === undefined) return slot;
    perturb >>= PERTURB_SHIFT;
  }
}

function insertAll(keys: readonly string[], size: number): Array<string | undefined> {
  const table: Array<string | undefined> = new Array(size).fill(undefined);
  for (const key of keys) table[probe(table, python2StringHash(key))] = key;
  return table;
}

/**
 * The iteration order of a dict (or set) built by inserting `keys` in this order; a repeated key
 * keeps its first place. Resizes happen as CPython 2.7 does them: when the table is two-thirds
 * full, to the smallest power of two above four times the number of keys, re-inserting in slot
 * order.
 */
export function python2Order(keys: Iterable<string>): string[] {
  let table: Array<string | undefined> = new Array(MIN_SIZE).fill(undefined);
  let used = 0;
  for (const key of keys) {
    if (table.includes(key)) continue;
    table[probe(table, python2StringHash(key))] = key;
    used += 1;
    if (used * 3 >= table.length * 2) {
      let size = MIN_SIZE;
      while (size <= used * 4) size *= 2;
      table = insertAll(
        table.filter((item): item is string => item !== undefined),
        size,
      );
    }
  }
  return table.filter((item): item is string => item !== undefined);
}

/** Python 2's `sorted()` of unicode strings: by code point (JavaScript's sort compares UTF-16 units). */
export function pythonSorted(names: Iterable<string>): string[] {
  return [...names].sort(compareCodePoints);
}

/** Compare two strings by code point, as Python does. */
export function compareCodePoints(left: string, right: string): number {
  const a = [...left];
  const b = [...right];
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const difference = a[index]!.codePointAt(0)! - b[index]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
