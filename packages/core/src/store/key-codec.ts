/**
 * Document keys are stored as their UTF-16 code units, big-endian, in a BLOB.
 *
 * Why not TEXT: SQLite (and PostgreSQL's "C" collation) compare text as UTF-8 bytes, which is
 * code-point order; the Store contract promises JavaScript's code-unit order, and the two differ
 * for characters outside the BMP (a surrogate pair sorts before U+E000–U+FFFF in code units,
 * after them in code points). UTF-8 also cannot hold a lone surrogate, so two distinct keys
 * would collapse into one. Big-endian code units compared with memcmp are exactly code-unit
 * order, and every JavaScript string round-trips.
 */

/** Encode a key as big-endian UTF-16 code units. */
export function encodeKey(key: string): Buffer {
  // Node's utf16le writes each code unit as it is (lone surrogates included); swap16 makes it big-endian.
  return Buffer.from(key, 'utf16le').swap16();
}

/** Decode a key written by {@link encodeKey}. */
export function decodeKey(bytes: Uint8Array): string {
  // swap16 works in place; copy so the caller's buffer (SQLite's row) is left as it was.
  const copy = Buffer.from(bytes);
  return copy.swap16().toString('utf16le');
}

/**
 * The half-open byte range `[start, end)` of every key that starts with `prefix`; `end` is
 * undefined when no upper bound exists (a prefix of only 0xFF bytes, i.e. U+FFFF…).
 */
export function prefixRange(prefix: string): { start: Buffer; end: Buffer | undefined } {
  const start = encodeKey(prefix);
  let length = start.length;
  while (length > 0 && start[length - 1] === 0xff) length -= 1;
  if (length === 0) return { start, end: undefined };
  const end = Buffer.from(start.subarray(0, length));
  end[length - 1] = (end[length - 1] ?? 0) + 1;
  return { start, end };
}
