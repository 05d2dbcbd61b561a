import { asBytes } from '../target/body.js';
import type { ObjectBody } from '../target/object-store-target.js';

/** One plaintext segment, in order; `final` on the last one (an empty object has one empty segment). */
export interface PlainSegment {
  index: number;
  final: boolean;
  plaintext: Uint8Array;
}

async function* asChunks(body: ObjectBody | Uint8Array): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  for await (const chunk of body) yield asBytes(chunk, 'the object body');
}

/**
 * Cut a body into segments of `segmentSize` bytes. A full segment is held until one more byte
 * arrives (or the body ends), because its nonce and AAD say whether it is the last: this one
 * segment of look-ahead is all the plaintext the store ever holds. A segment that lies whole
 * inside one chunk is a view of that chunk, not a copy: chunks must not be changed once yielded
 * (as with Node streams).
 */
export async function* plainSegments(body: ObjectBody | Uint8Array, segmentSize: number): AsyncGenerator<PlainSegment> {
  let index = 0;
  let current = Buffer.allocUnsafe(segmentSize);
  let filled = 0;
  let pending: Uint8Array | undefined;
  for await (const chunk of asChunks(body)) {
    let at = 0;
    while (at < chunk.byteLength) {
      if (pending !== undefined) {
        yield { index, final: false, plaintext: pending };
        index += 1;
        pending = undefined;
      }
      if (filled === 0 && chunk.byteLength - at >= segmentSize) {
        // A whole segment inside the chunk: keep a view of it, no copy.
        pending = chunk.subarray(at, at + segmentSize);
        at += segmentSize;
        continue;
      }
      const take = Math.min(segmentSize - filled, chunk.byteLength - at);
      current.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === segmentSize) {
        pending = current;
        current = Buffer.allocUnsafe(segmentSize);
        filled = 0;
      }
    }
  }
  if (pending !== undefined) {
    yield { index, final: true, plaintext: pending };
    return;
  }
  yield { index, final: true, plaintext: current.subarray(0, filled) };
}
