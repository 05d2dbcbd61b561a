/**
 * A deterministic line id: the period and a 64-bit hash (two FNV-1a-style 32-bit hashes with
 * different primes) of what the line adds up. Not cryptographic — ids only need to be stable
 * across re-rating and unique among a period's lines (a collision needs ~4 billion lines).
 */
export function lineIdOf(period: string, aggregationKey: string): string {
  let first = 0x811c9dc5;
  let second = 0x01000193;
  for (let index = 0; index < aggregationKey.length; index += 1) {
    const code = aggregationKey.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995) ^ (second >>> 15);
  }
  return `${period}-${(first >>> 0).toString(16).padStart(8, '0')}${(second >>> 0).toString(16).padStart(8, '0')}`;
}
