import { OcxError } from '@ocx/core';
import type { ObjectBody } from './object-store-target.js';

/** A body of one buffer, for targets whose backend returns whole buffers. */
export async function* bodyOf(...chunks: readonly Uint8Array[]): ObjectBody {
  for (const chunk of chunks) if (chunk.byteLength > 0) yield chunk;
}

/** Wrap a backend's answer, a whole buffer or a stream, as a body. */
export function bodyFromAnswer(answer: Uint8Array | AsyncIterable<Uint8Array>): ObjectBody {
  return answer instanceof Uint8Array ? bodyOf(answer) : answer;
}

/** One chunk of a body as a `Uint8Array`; strings (a Readable with an encoding) are refused. */
export function asBytes(chunk: unknown, what: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new OcxError({
    code: 'validation',
    message: `${what} yielded a ${typeof chunk} chunk; bodies must yield Uint8Array (a Readable without an encoding)`,
    fault: 'client',
  });
}

/**
 * Read a whole body into one `Buffer`, for backend clients that take a buffer (the Swift and S3
 * clients of the OCX drivers do). Refuses more than `maxBytes`, so a wrong caller cannot make a
 * target hold an unbounded object in memory.
 */
export async function collectBody(body: ObjectBody, options: { maxBytes: number; what: string }): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    const bytes = asBytes(chunk, options.what);
    total += bytes.byteLength;
    if (total > options.maxBytes) {
      throw new OcxError({
        code: 'validation',
        message: `${options.what}: body exceeds ${options.maxBytes} bytes, the most this target buffers`,
        fault: 'client',
      });
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

/** The error a local target gives for a key it does not hold, as a backend would. */
export function missingKey(key: string, backend: string, operation: string): OcxError {
  return new OcxError({ code: 'not-found', backend, operation, message: `${backend}: no object ${key}` });
}
