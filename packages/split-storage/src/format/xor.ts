/**
 * `into[i] ^= from[i]` for every byte (same lengths). Word-wise where the views are 4-byte aligned,
 * which is the common case for buffers the store allocates; bytewise for the rest.
 */
export function xorInto(into: Uint8Array, from: Uint8Array): void {
  const length = into.byteLength;
  let at = 0;
  if ((into.byteOffset & 3) === 0 && (from.byteOffset & 3) === 0) {
    const words = length >>> 2;
    const a = new Uint32Array(into.buffer, into.byteOffset, words);
    const b = new Uint32Array(from.buffer, from.byteOffset, words);
    for (let i = 0; i < words; i += 1) a[i] = (a[i] as number) ^ (b[i] as number);
    at = words << 2;
  }
  for (; at < length; at += 1) into[at] = (into[at] as number) ^ (from[at] as number);
}
