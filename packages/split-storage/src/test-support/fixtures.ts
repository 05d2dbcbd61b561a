import { createCipheriv, createHash } from 'node:crypto';
import { OcxError } from '@ocx/core';
import { expect } from 'vitest';
import { type MemoryTarget, memoryTarget } from '../target/memory-target.js';
import type { ObjectBody, ObjectStoreTarget } from '../target/object-store-target.js';

/** Small geometry for tests: 1 KiB segments, 4 segments per part. */
export const SMALL = { segmentSize: 1024, segmentsPerPart: 4 } as const;

/** Memory targets of distinct landlords and organizations. */
export function landlords(count: number): MemoryTarget[] {
  const names = ['bu', 'harvard', 'mit', 'northeastern', 'umass'];
  const organizations = ['Boston University', 'Harvard University', 'MIT', 'Northeastern University', 'UMass'];
  return Array.from({ length: count }, (_, index) =>
    memoryTarget({ landlord: names[index]!, organization: organizations[index]!, service: 'object-store' }),
  );
}

/** Deterministic bytes (AES-CTR keystream of a seed), yielded lazily in chunks of `chunkSize`. */
export async function* generatedBody(size: number, seed = 'seed', chunkSize = 64 * 1024): ObjectBody {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(chunkSize);
  for (let sent = 0; sent < size; sent += chunkSize) {
    yield cipher.update(zeros.subarray(0, Math.min(chunkSize, size - sent)));
  }
}

/** The same bytes as {@link generatedBody}, whole. */
export async function generatedBytes(size: number, seed = 'seed'): Promise<Buffer> {
  return collect(generatedBody(size, seed));
}

/** Read a body whole. */
export async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Read a body until it fails; returns what was yielded and the error. */
export async function collectUntilError(body: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; error: unknown }> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk);
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
  return { bytes: Buffer.concat(chunks), error: undefined };
}

/** Text that is easy to search for in stored bytes. */
export function secretText(bytes: number): Buffer {
  const line = 'PATIENT 0042 GENOME TOP-SECRET ACGTTGCAACGT ';
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes), 'utf8');
}

/** Every byte a target holds, concatenated, keys included. */
export function everythingHeldBy(target: MemoryTarget): Buffer {
  return Buffer.concat([...target.objects].flatMap(([key, bytes]) => [Buffer.from(key), bytes]));
}

/** Assert that no `window`-byte slice of `plaintext` (sampled every `step` bytes) appears in `held`. */
export function expectNoPlaintextIn(held: Buffer, plaintext: Buffer, window = 12, step = 7): void {
  for (let at = 0; at + window <= plaintext.length; at += step) {
    const needle = plaintext.subarray(at, at + window);
    if (held.includes(needle)) expect.fail(`stored bytes contain plaintext bytes ${at}–${at + window}`);
  }
}

/** Assert an OcxError with this code and return it. */
export function expectOcx(error: unknown, code: string): OcxError {
  expect(OcxError.is(error), `expected an OcxError, got ${String(error)}`).toBe(true);
  const ocx = error as OcxError;
  expect(ocx.code, ocx.message).toBe(code);
  return ocx;
}

/** Await a promise that must reject; returns its error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected a rejection');
}

/** The keys a memory target holds that end with `suffix` (e.g. `manifest.json`, `part-00000000`). */
export function keysEnding(target: MemoryTarget, suffix: string): string[] {
  return [...target.objects.keys()].filter((key) => key.endsWith(suffix));
}

/** Replace a stored value in a memory target (tests play the landlord). */
export function overwrite(target: MemoryTarget, key: string, bytes: Uint8Array): void {
  (target.objects as Map<string, Uint8Array>).set(key, bytes);
}

/** Remove a stored value from a memory target. */
export function remove(target: MemoryTarget, key: string): void {
  (target.objects as Map<string, Uint8Array>).delete(key);
}

/** Faults to inject into a target. */
export interface Faults {
  /** Throw from `put` of a key that matches, before reading its body. */
  failPut?: (key: string) => boolean;
  /** Read this many chunks of a matching put's body, then throw mid-stream. */
  failPutMidStream?: { match: (key: string) => boolean; afterChunks: number };
  failDelete?: (key: string) => boolean;
  failList?: boolean;
}

/** A target that passes through to `inner` except where `faults` say it fails. */
export function faulty(inner: ObjectStoreTarget, faults: Faults): ObjectStoreTarget {
  const boom = (what: string) =>
    new OcxError({
      code: 'network',
      retryable: true,
      backend: inner.landlord,
      message: `${inner.landlord}: ${what} failed`,
    });
  return {
    landlord: inner.landlord,
    ...(inner.organization === undefined ? {} : { organization: inner.organization }),
    service: inner.service,
    async put(key, body, options) {
      if (faults.failPut?.(key)) throw boom(`put ${key}`);
      const mid = faults.failPutMidStream;
      if (mid?.match(key)) {
        let seen = 0;
        for await (const _chunk of body) {
          seen += 1;
          if (seen >= mid.afterChunks) throw boom(`put ${key} mid-stream`);
        }
        throw boom(`put ${key} at its end`);
      }
      return inner.put(key, body, options);
    },
    get: (key, options) => inner.get(key, options),
    async delete(key, options) {
      if (faults.failDelete?.(key)) throw boom(`delete ${key}`);
      return inner.delete(key, options);
    },
    list(prefix, options) {
      if (faults.failList) {
        return {
          [Symbol.asyncIterator]: () => ({
            next: () => Promise.reject(boom('list')),
          }),
        };
      }
      return inner.list(prefix, options);
    },
  };
}
