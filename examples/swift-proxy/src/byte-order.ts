/**
 * Compare two names in Swift's listing order: the byte order of their UTF-8 encodings (Swift keeps
 * names in SQLite, which compares UTF-8 bytes). This is code-point order, which JavaScript's `<`
 * is not: it compares UTF-16 units, so an emoji (a surrogate pair, 0xD83D…) sorts before `'\uFFFD'`
 * there and after it here. `localeCompare` is further off still (`'é' < 'z'` in most locales).
 *
 * @example
 * ```ts
 * ['é', 'z', '😀', '\uFFFD'].sort(compareUtf8); // ['z', 'é', '\uFFFD', '😀']
 * ```
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
