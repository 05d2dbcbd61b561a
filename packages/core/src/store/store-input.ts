import { OcxError } from '../errors/ocx-error.js';
import type { ListOptions, StoreOperation } from './store.js';

/**
 * Checks on what callers hand the store. They run before any write, so bad input fails with
 * an OcxError `validation` naming the field and changes nothing. Hand-written rather than zod
 * because they sit on the ingestion hot path (one check per usage record).
 */

/**
 * Checks on what callers hand a durable store (SQLite, PostgreSQL, yours), shared so that every
 * store refuses the same input with the same errors. They run before any write, so bad input
 * fails with an OcxError `validation` naming the field and changes nothing.
 */

function invalid(path: string, message: string): OcxError {
  return new OcxError({
    code: 'validation',
    message: `Invalid store input: ${path}: ${message}`,
    issues: [{ path, message }],
    fault: 'client',
    backend: 'store',
  });
}

/** With the `u` flag a surrogate range matches only surrogates that are not part of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A collection or log name: a non-empty, well-formed string without NUL, because names are
 * stored as SQL text (UTF-8), which cannot hold a lone surrogate, and PostgreSQL text cannot hold NUL.
 */
export function checkName(path: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw invalid(path, 'must be a non-empty string');
  if (name.includes('\u0000')) throw invalid(path, 'must not contain NUL characters');
  if (LONE_SURROGATE.test(name)) throw invalid(path, 'must be well-formed Unicode (no lone surrogates)');
}

/** A document key: any non-empty string (keys are stored as UTF-16 code units, see key-codec). */
export function checkKey(path: string, key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalid(path, 'must be a non-empty string');
}

/** The JSON text of a value, or a validation error when the value has no JSON form. */
export function toJson(path: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // BigInt and circular structures: JSON.stringify throws a TypeError that names neither the field nor the store.
    throw invalid(path, `must be JSON-serializable (${error instanceof Error ? error.message : String(error)})`);
  }
  if (text === undefined) throw invalid(path, 'must be a JSON value (not undefined, a function or a symbol)');
  return text;
}

/** `expectedVersion`: absent, or a non-negative integer (0 = the document must not exist). */
export function checkExpectedVersion(path: string, version: unknown): asserts version is number | undefined {
  if (version === undefined) return;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw invalid(path, 'must be a non-negative integer');
  }
}

function checkCount(path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(path, 'must be a non-negative integer');
  }
}

/** Options of `list`. */
export function checkListOptions(options: ListOptions): void {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  if (options.prefix !== undefined && typeof options.prefix !== 'string')
    throw invalid('options.prefix', 'must be a string');
  if (options.after !== undefined && typeof options.after !== 'string')
    throw invalid('options.after', 'must be a string');
  checkCount('options.limit', options.limit);
}

/** Options of `readLog`. */
export function checkLogOptions(options: { after?: number; limit?: number }): void {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  checkCount('options.after', options.after);
  checkCount('options.limit', options.limit);
}

/** An array argument (`items`, `entries`, `operations`). */
export function checkArray(path: string, value: unknown): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw invalid(path, 'must be an array');
}

/** One element of an array argument (an item of `insertMany`, an operation of `batch`). */
export function checkObject(path: string, value: unknown): asserts value is object {
  if (typeof value !== 'object' || value === null) throw invalid(path, 'must be an object');
}

/** One operation of a batch, already serialized: what the SQL layer needs and nothing else. */
export type PreparedOperation =
  | { type: 'put'; collection: string; key: string; json: string; expectedVersion: number | undefined }
  | { type: 'delete'; collection: string; key: string; expectedVersion: number | undefined }
  | { type: 'append'; log: string; entries: string[] };

/** Check and serialize every operation of a batch before anything is written. */
export function prepareOperations(operations: readonly StoreOperation[]): PreparedOperation[] {
  checkArray('operations', operations);
  return operations.map((operation, index): PreparedOperation => {
    const path = `operations.${index}`;
    checkObject(path, operation);
    if (operation.type === 'append') {
      checkName(`${path}.log`, operation.log);
      checkArray(`${path}.entries`, operation.entries);
      return {
        type: 'append',
        log: operation.log,
        entries: operation.entries.map((entry, at) => toJson(`${path}.entries.${at}`, entry)),
      };
    }
    if (operation.type !== 'put' && operation.type !== 'delete')
      throw invalid(`${path}.type`, "must be 'put', 'delete' or 'append'");
    checkName(`${path}.collection`, operation.collection);
    checkKey(`${path}.key`, operation.key);
    checkExpectedVersion(`${path}.expectedVersion`, operation.expectedVersion);
    if (operation.type === 'put') {
      return {
        type: 'put',
        collection: operation.collection,
        key: operation.key,
        json: toJson(`${path}.value`, operation.value),
        expectedVersion: operation.expectedVersion,
      };
    }
    return {
      type: 'delete',
      collection: operation.collection,
      key: operation.key,
      expectedVersion: operation.expectedVersion,
    };
  });
}

/** The error of a failed compare-and-set. */
export function versionConflict(collection: string, key: string, expected: number, actual: number): OcxError {
  return new OcxError({
    code: 'conflict',
    message: `Store conflict on ${collection}/${key}: expected version ${expected}, found ${actual}`,
    backend: 'store',
    fault: 'client',
  });
}
