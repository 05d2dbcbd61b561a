import { parseWith } from '@ocx/core';
import { z } from 'zod';
import { hexDigestSchema } from './hex-digest.js';

// Keylime's schema: every listed path has at least one lower-case hex digest of 40 to 128 digits.
const digestLists = z.record(z.string().min(1, 'must not be empty'), z.array(hexDigestSchema()).min(1));

/**
 * keylime/ima/ima.py `RUNTIME_POLICY_GENERATOR`: 0 Unknown, 1 EmptyAllowList, 2 CompatibleAllowList,
 * 3 LegacyAllowList. The verifier reports `has_runtime_policy` only above 1.
 */
export const RUNTIME_POLICY_GENERATORS = Object.freeze({
  unknown: 0,
  emptyAllowList: 1,
  compatibleAllowList: 2,
  legacyAllowList: 3,
} as const);

/** A regular expression, checked by compiling it (close to Python's `re` for what policies use). */
const regexText = z.string().refine((pattern) => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

/**
 * Keylime's runtime (IMA) policy, format version 1 (keylime/ima/ima.py `RUNTIME_POLICY_SCHEMA`):
 * the allowed digests of each file, exclude patterns, keyrings and IMA settings.
 */
export const RuntimePolicySchema = z
  .object({
    meta: z
      .object({
        version: z.number().int().min(0),
        /** Required by the verifier's schema; `keylime-policy` writes 3 (LegacyAllowList). */
        generator: z.number().int().min(0).max(3),
        timestamp: z.string().optional(),
      })
      .passthrough(),
    release: z.number().int().min(0),
    digests: digestLists,
    excludes: z.array(regexText),
    keyrings: digestLists,
    ima: z
      .object({
        ignored_keyrings: z.array(z.string()),
        log_hash_alg: z.enum(['sha1', 'sha256', 'sha384', 'sha512']),
        /** The verifier's schema allows only null here. */
        dm_policy: z.null(),
      })
      .passthrough(),
    'ima-buf': digestLists,
    'verification-keys': z.string(),
  })
  .passthrough();
/** A runtime policy. */
export type RuntimePolicy = z.infer<typeof RuntimePolicySchema>;

/** Input of {@link createRuntimePolicy}: what an allowlist says; the rest gets Keylime's defaults. */
export interface RuntimePolicyInput {
  /** File path → allowed digests. */
  digests: Readonly<Record<string, readonly string[]>>;
  /** Paths (regular expressions) IMA measurements are not checked for. */
  excludes?: readonly string[];
  /** The hash of IMA's own log entries. Default `sha1`, as Keylime's. */
  logHashAlgorithm?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
}

/**
 * Build a complete, valid runtime policy from an allowlist. Bad input is an `OcxError`
 * (`validation`) naming the field, e.g. `digests./usr/bin/bash.0`.
 *
 * @example
 * ```ts
 * const policy = createRuntimePolicy({ digests: { '/usr/bin/bash': ['ab'.repeat(32)] } });
 * const wire = encodeRuntimePolicy(policy); // base64, for `runtime_policy`
 * ```
 */
export function createRuntimePolicy(input: RuntimePolicyInput, options: { prefix?: string } = {}): RuntimePolicy {
  const parsed = parseWith(
    z
      .object({
        digests: digestLists,
        excludes: z.array(regexText).optional(),
        logHashAlgorithm: z.enum(['sha1', 'sha256', 'sha384', 'sha512']).optional(),
      })
      .strict(),
    input,
    { what: 'runtime policy', prefix: options.prefix },
  );
  return {
    // What `keylime-policy create runtime` writes; a generator of 0 or 1 would not count as a policy.
    meta: { version: 1, generator: RUNTIME_POLICY_GENERATORS.legacyAllowList },
    release: 0,
    digests: parsed.digests,
    excludes: parsed.excludes ?? [],
    keyrings: {},
    ima: { ignored_keyrings: [], log_hash_alg: parsed.logHashAlgorithm ?? 'sha1', dm_policy: null },
    'ima-buf': {},
    'verification-keys': '',
  };
}

/**
 * Validate a runtime policy and encode it as the verifier wants it: JSON, then base64.
 * Validation happens here, before anything is sent.
 */
export function encodeRuntimePolicy(policy: RuntimePolicy | unknown, options: { prefix?: string } = {}): string {
  const parsed = parseWith(RuntimePolicySchema, policy, { what: 'runtime policy', prefix: options.prefix });
  return Buffer.from(JSON.stringify(parsed), 'utf8').toString('base64');
}

/** Decode and validate a base64 runtime policy (what the verifier stores and returns). */
export function decodeRuntimePolicy(
  base64: string,
  context: { backend?: string; prefix?: string } = {},
): RuntimePolicy {
  let value: unknown = base64;
  if (typeof base64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    try {
      value = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
    } catch {
      value = base64;
    }
  }
  return parseWith(RuntimePolicySchema, value, { what: 'runtime policy (base64 JSON)', ...context });
}
