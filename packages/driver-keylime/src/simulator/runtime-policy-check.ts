import { createHash } from 'node:crypto';
import { pythonJsonDumps } from './python-json.js';
import { pythonRepr, pythonTypeName } from './python-semantics.js';

/** keylime/ima/ima.py `EMPTY_RUNTIME_POLICY` (generator 1, EmptyAllowList). */
export const EMPTY_RUNTIME_POLICY = Object.freeze({
  meta: { version: 1, generator: 1 },
  release: 0,
  digests: {},
  excludes: [],
  keyrings: {},
  ima: { ignored_keyrings: [], log_hash_alg: 'sha1', dm_policy: null },
  'ima-buf': {},
  'verification-keys': '',
});

/** What the verifier stores for an agent enrolled without a runtime policy: `json.dumps(EMPTY_RUNTIME_POLICY)`. */
export const EMPTY_RUNTIME_POLICY_TEXT = pythonJsonDumps(EMPTY_RUNTIME_POLICY);

/** A runtime policy row (VerifierAllowlist): the text as received, its generator and checksum. */
export interface StoredRuntimePolicy {
  /** `ima_policy`: the decoded policy text exactly as sent (`null` when it was `{}`). */
  imaPolicy: string | null;
  tpmPolicy: string | null;
  /** `meta.generator`; a policy counts as a runtime policy (`has_runtime_policy`) above 1. */
  generator: number;
  checksum: string;
}

/**
 * The verdict on a runtime policy text: stored, refused with Keylime's code and message
 * (`ImaValidationError`), or an exception the handler did not expect (its Python message).
 */
export type RuntimePolicyCheck =
  | { kind: 'ok'; stored: StoredRuntimePolicy }
  | { kind: 'refused'; code: number; message: string }
  | { kind: 'exception'; message: string };

/** ima.verify_runtime_policy, then ima.runtime_policy_db_contents (schema validation). */
export function checkRuntimePolicyText(text: string, tpmPolicy: string | null = null): RuntimePolicyCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'refused', code: 400, message: 'Runtime policy is not valid JSON!' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    // verify_runtime_policy calls `.get("payload")` on whatever the JSON decoded to.
    return { kind: 'exception', message: `'${pythonTypeName(value)}' object has no attribute 'get'` };
  }
  const error = firstSchemaError(value);
  if (error !== undefined) return { kind: 'refused', code: 400, message: `Runtime policy is malformatted: ${error}` };
  const meta = (value as { meta: { generator: number } }).meta;
  return {
    kind: 'ok',
    stored: {
      imaPolicy: text === '{}' ? null : text,
      tpmPolicy,
      generator: meta.generator,
      checksum: createHash('sha256').update(text).digest('hex'),
    },
  };
}

interface SchemaError {
  depth: number;
  message: string;
}

const DIGEST_PATTERN = '^[0-9a-f]{40,128}$';
const REQUIRED = ['meta', 'release', 'digests', 'excludes', 'keyrings', 'ima', 'ima-buf', 'verification-keys'];

/**
 * RUNTIME_POLICY_SCHEMA checked in jsonschema's keyword order; like `jsonschema.validate` (its
 * `best_match`), the shallowest error wins and, among equals, the first found.
 */
function firstSchemaError(policy: object): string | undefined {
  const errors: SchemaError[] = [];
  const add = (depth: number, message: string) => errors.push({ depth, message });
  const record = policy as Record<string, unknown>;
  for (const key of REQUIRED) if (!(key in record)) add(0, `${pythonRepr(key)} is a required property`);
  if (isObject(record.meta)) {
    const meta = record.meta;
    for (const key of ['version', 'generator']) if (!(key in meta)) add(1, `${pythonRepr(key)} is a required property`);
    if ('version' in meta) integer(meta.version, 0, undefined, 2, add);
    if ('generator' in meta) integer(meta.generator, 0, 3, 2, add);
    if ('timestamp' in meta && typeof meta.timestamp !== 'string') typeError(meta.timestamp, 'string', 2, add);
  } else if ('meta' in record) typeError(record.meta, 'object', 1, add);
  if ('release' in record) integer(record.release, 0, undefined, 1, add);
  if ('digests' in record) digestsObject(record.digests, add);
  if ('excludes' in record) stringArray(record.excludes, 1, add);
  if ('keyrings' in record) digestsObject(record.keyrings, add);
  if (isObject(record.ima)) {
    const ima = record.ima;
    for (const key of ['ignored_keyrings', 'log_hash_alg', 'dm_policy'])
      if (!(key in ima)) add(1, `${pythonRepr(key)} is a required property`);
    if ('ignored_keyrings' in ima) stringArray(ima.ignored_keyrings, 2, add);
    if ('log_hash_alg' in ima) {
      const algorithms = ['sha1', 'sha256', 'sha384', 'sha512'];
      if (typeof ima.log_hash_alg !== 'string') typeError(ima.log_hash_alg, 'string', 2, add);
      if (!algorithms.includes(ima.log_hash_alg as string))
        add(2, `${pythonRepr(ima.log_hash_alg)} is not one of ${pythonRepr(algorithms)}`);
    }
    if ('dm_policy' in ima && ima.dm_policy !== null) typeError(ima.dm_policy, 'null', 2, add);
  } else if ('ima' in record) typeError(record.ima, 'object', 1, add);
  if ('ima-buf' in record) digestsObject(record['ima-buf'], add);
  if ('verification-keys' in record && typeof record['verification-keys'] !== 'string')
    typeError(record['verification-keys'], 'string', 1, add);
  return errors.reduce<SchemaError | undefined>(
    (best, error) => (best === undefined || error.depth < best.depth ? error : best),
    undefined,
  )?.message;
}

type Add = (depth: number, message: string) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeError(value: unknown, type: string, depth: number, add: Add) {
  add(depth, `${pythonRepr(value)} is not of type ${pythonRepr(type)}`);
}

function integer(value: unknown, minimum: number, maximum: number | undefined, depth: number, add: Add) {
  // jsonschema's "integer" excludes booleans and accepts floats with no fraction.
  if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(value, 'integer', depth, add);
  if (value < minimum) add(depth, `${value} is less than the minimum of ${minimum}`);
  if (maximum !== undefined && value > maximum) add(depth, `${value} is greater than the maximum of ${maximum}`);
}

function stringArray(value: unknown, depth: number, add: Add) {
  if (!Array.isArray(value)) return typeError(value, 'array', depth, add);
  for (const item of value) if (typeof item !== 'string') typeError(item, 'string', depth + 1, add);
}

function digestsObject(value: unknown, add: Add) {
  if (!isObject(value)) return typeError(value, 'object', 1, add);
  for (const list of Object.values(value)) {
    if (!Array.isArray(list)) {
      typeError(list, 'array', 2, add);
      continue;
    }
    for (const digest of list) {
      if (typeof digest !== 'string') typeError(digest, 'string', 3, add);
      else if (!new RegExp(DIGEST_PATTERN).test(digest))
        add(3, `${pythonRepr(digest)} does not match ${pythonRepr(DIGEST_PATTERN)}`);
    }
    if (list.length === 0) add(2, '[] should be non-empty');
  }
}
