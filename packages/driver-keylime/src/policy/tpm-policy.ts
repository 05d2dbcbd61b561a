import { parseWith } from '@ocx/core';
import { z } from 'zod';
import { HASH_ALGORITHMS, type HashAlgorithm, hexDigestSchema } from './hex-digest.js';

/** The PCR a TPM 2.0 quote can cover: 0–23. */
export const MAX_PCR_INDEX = 23;

/** The PCR where IMA extends its measurements; a runtime policy needs it in the quote. */
export const IMA_PCR = 10;

// Written without leading zeros, as Keylime's own keys are: "01" would be a second key for PCR 1.
const pcrIndexSchema = z.string().regex(/^(?:\d|1\d|2[0-3])$/, 'must be a PCR index (0–23)');

/** Input of {@link createTpmPolicy}. */
export interface TpmPolicyInput {
  /** PCR index → the digests it may hold. An empty list is refused: it would allow nothing. */
  pcrs: Readonly<Record<string | number, readonly string[]>>;
  /** When given, every digest must have this algorithm's length. */
  hashAlgorithm?: HashAlgorithm;
  /** More PCRs to include in the quote without pinning their values (e.g. 10 for IMA). */
  quotePcrs?: readonly number[];
}

function inputSchema(hashAlgorithm: HashAlgorithm | undefined) {
  return z
    .object({
      pcrs: z.record(pcrIndexSchema, z.array(hexDigestSchema(hashAlgorithm)).min(1, 'must list at least one digest')),
      hashAlgorithm: z.enum(HASH_ALGORITHMS).optional(),
      quotePcrs: z.array(z.number().int().min(0).max(MAX_PCR_INDEX)).optional(),
    })
    .strict();
}

/**
 * Keylime's `tpm_policy` as the verifier stores it: PCR index → allowed digests, and `mask`, the
 * hex bit mask of the PCRs the verifier asks the agent to quote.
 */
export const TpmPolicySchema = z
  .object({ mask: z.string().regex(/^0x[0-9a-fA-F]+$/, 'must be a hex mask such as "0x408000"') })
  .catchall(z.array(hexDigestSchema()))
  .superRefine((policy, context) => {
    for (const key of Object.keys(policy)) {
      if (key !== 'mask' && !pcrIndexSchema.safeParse(key).success) {
        context.addIssue({ code: 'custom', path: [key], message: 'must be a PCR index (0–23) or "mask"' });
      }
    }
  });

/** A decoded `tpm_policy`. */
export type TpmPolicy = z.infer<typeof TpmPolicySchema>;

/** The quote mask of a set of PCRs, as Keylime writes it (`0x` and lower-case hex). */
export function pcrMask(pcrs: Iterable<number>): string {
  let mask = 0n;
  for (const pcr of pcrs) mask |= 1n << BigInt(pcr);
  return `0x${mask.toString(16)}`;
}

/**
 * Validate PCR values and build the `tpm_policy` JSON string the verifier expects, with the
 * mask computed from the PCRs. Bad input is an `OcxError` (`validation`) naming the field, e.g.
 * `pcrs.24` or `pcrs.0.1`.
 *
 * @example
 * ```ts
 * createTpmPolicy({ pcrs: { 15: ['0'.repeat(64)] }, hashAlgorithm: 'sha256' });
 * // '{"15":["000…0"],"mask":"0x8000"}'
 * ```
 */
export function createTpmPolicy(input: TpmPolicyInput, options: { prefix?: string } = {}): string {
  const hashAlgorithm = parseWith(z.enum(HASH_ALGORITHMS).optional(), input?.hashAlgorithm, {
    what: 'TPM policy',
    prefix: [options.prefix, 'hashAlgorithm'].filter(Boolean).join('.'),
  });
  const parsed = parseWith(inputSchema(hashAlgorithm), input, { what: 'TPM policy', prefix: options.prefix });
  const indexes = Object.keys(parsed.pcrs)
    .map(Number)
    .sort((a, b) => a - b);
  const policy: Record<string, unknown> = {};
  for (const index of indexes) policy[String(index)] = parsed.pcrs[String(index)];
  policy.mask = pcrMask([...indexes, ...(parsed.quotePcrs ?? [])]);
  return JSON.stringify(policy);
}

/** Parse a `tpm_policy` JSON string (as the verifier returns it) into a validated object. */
export function parseTpmPolicy(json: string, context: { backend?: string; prefix?: string } = {}): TpmPolicy {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = json;
  }
  return parseWith(TpmPolicySchema, value, { what: 'tpm_policy', ...context });
}
