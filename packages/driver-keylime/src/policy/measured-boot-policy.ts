import { parseWith } from '@ocx/core';
import { z } from 'zod';

/**
 * A measured-boot (UEFI event log) reference state. Keylime's own policy engine decides what the
 * fields mean (`has_secureboot`, `scrtm_and_bios`, `kernels`, …); the SDK checks that it is a
 * JSON object, which is what the verifier's loader requires before it looks further.
 */
export const MeasuredBootPolicySchema = z.record(z.string(), z.unknown());

/** A measured-boot reference state. */
export type MeasuredBootPolicy = z.infer<typeof MeasuredBootPolicySchema>;

/** Validate a measured-boot policy and encode it as the verifier's `mb_policy` (a JSON string). */
export function encodeMeasuredBootPolicy(policy: unknown, options: { prefix?: string } = {}): string {
  const parsed = parseWith(MeasuredBootPolicySchema, policy, { what: 'measured-boot policy', prefix: options.prefix });
  return JSON.stringify(parsed);
}

/** Parse a `mb_policy` JSON string as the verifier returns it. */
export function decodeMeasuredBootPolicy(
  json: string,
  context: { backend?: string; prefix?: string } = {},
): MeasuredBootPolicy {
  let value: unknown = json;
  try {
    value = JSON.parse(json);
  } catch {
    value = json;
  }
  return parseWith(MeasuredBootPolicySchema, value, { what: 'measured-boot policy (JSON)', ...context });
}
