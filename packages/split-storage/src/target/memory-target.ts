import { checkAborted } from '../abort.js';
import { asBytes, bodyOf, missingKey } from './body.js';
import type { ObjectStoreTarget } from './object-store-target.js';
import { identityFields, parseTargetIdentity } from './target-identity.js';

/** Options of {@link memoryTarget}. */
export interface MemoryTargetOptions {
  landlord: string;
  organization?: string;
  /** Default `memory`. */
  service?: string;
}

/** An {@link ObjectStoreTarget} in memory, with its stored bytes open to inspection. */
export interface MemoryTarget extends ObjectStoreTarget {
  /** What the landlord holds, key → bytes: tests read it to prove it reveals nothing. */
  readonly objects: ReadonlyMap<string, Uint8Array>;
}

/**
 * A target that keeps objects in a `Map`, for tests and demos on one machine. Bodies are copied on
 * `put`, so a caller reusing its buffers cannot change what was stored.
 *
 * @example
 * ```ts
 * const store = createSplitStore({
 *   targets: [memoryTarget({ landlord: 'bu' }), memoryTarget({ landlord: 'harvard' })],
 *   threshold: 2,
 * });
 * ```
 */
export function memoryTarget(options: MemoryTargetOptions): MemoryTarget {
  const identity = parseTargetIdentity({ service: 'memory', ...options }, 'memoryTarget options');
  const objects = new Map<string, Uint8Array>();
  return {
    ...identityFields(identity),
    objects,
    async put(key, body, callOptions) {
      checkAborted(callOptions?.signal, 'put');
      const chunks: Uint8Array[] = [];
      for await (const chunk of body) {
        checkAborted(callOptions?.signal, 'put');
        chunks.push(asBytes(chunk, `memory target ${key}`));
      }
      objects.set(key, Buffer.concat(chunks));
    },
    async get(key) {
      const stored = objects.get(key);
      if (stored === undefined) throw missingKey(key, 'memory', 'get');
      return bodyOf(stored);
    },
    async delete(key) {
      objects.delete(key);
    },
    async *list(prefix) {
      for (const [key, bytes] of [...objects]) if (key.startsWith(prefix)) yield { key, size: bytes.byteLength };
    },
    async head(key) {
      const stored = objects.get(key);
      return stored === undefined ? undefined : { size: stored.byteLength };
    },
  };
}
