import { type AttestationPolicy, AttestationPolicySchema, parseWith } from '@ocx/core';
import { z } from 'zod';
import { HASH_ALGORITHMS } from './hex-digest.js';
import { encodeMeasuredBootPolicy } from './measured-boot-policy.js';
import { createRuntimePolicy, encodeRuntimePolicy } from './runtime-policy.js';
import { createTpmPolicy, IMA_PCR } from './tpm-policy.js';

/** The three policies of a verifier enrollment, encoded as the verifier wants them. */
export interface KeylimePolicies {
  /** `tpm_policy`: a JSON string of PCR → digests with the quote `mask`. */
  tpmPolicy: string;
  /** `runtime_policy`: a base64 runtime policy, or `''` for none (the verifier then uses an empty one). */
  runtimePolicy: string;
  /** `mb_policy`: a JSON string, or `null` for none. */
  mbPolicy: string | null;
}

// Keys Keylime reads from an attestation policy besides the standard ones (it is passthrough).
const keylimeExtrasSchema = z.object({
  /** Every PCR digest must have this algorithm's length. */
  hashAlgorithm: z.enum(HASH_ALGORITHMS).optional(),
  /** Exclude patterns for the runtime policy built from `allowlist`. */
  excludes: z.array(z.string()).optional(),
});

/**
 * Turn the exchange's {@link AttestationPolicy} into Keylime's policies, validating everything
 * before anything is sent: PCR indexes 0–23, hex digests of the right length, exclude patterns
 * that compile, a measured-boot policy that is a JSON object. A bad field is an `OcxError`
 * (`validation`) whose path starts with `policy.`.
 *
 * `pcrs` becomes `tpm_policy`; `allowlist` becomes a runtime policy (and PCR 10, where IMA
 * measures, joins the quote mask); `measuredBoot` becomes `mb_policy`.
 *
 * @example
 * ```ts
 * const { tpmPolicy, runtimePolicy } = keylimePoliciesFrom({ pcrs: { 0: ['00'.repeat(32)] } });
 * ```
 */
export function keylimePoliciesFrom(policy: AttestationPolicy): KeylimePolicies {
  const parsed = parseWith(AttestationPolicySchema, policy, { what: 'attestation policy', prefix: 'policy' });
  const extras = parseWith(keylimeExtrasSchema, parsed, { what: 'attestation policy', prefix: 'policy' });
  const hasRuntimePolicy = parsed.allowlist !== undefined;
  const runtimePolicy = hasRuntimePolicy
    ? encodeRuntimePolicy(
        createRuntimePolicy(
          { digests: parsed.allowlist ?? {}, ...(extras.excludes === undefined ? {} : { excludes: extras.excludes }) },
          { prefix: 'policy.allowlist' },
        ),
        { prefix: 'policy.allowlist' },
      )
    : '';
  const tpmPolicy = createTpmPolicy(
    {
      pcrs: parsed.pcrs ?? {},
      ...(extras.hashAlgorithm === undefined ? {} : { hashAlgorithm: extras.hashAlgorithm }),
      quotePcrs: hasRuntimePolicy ? [IMA_PCR] : [],
    },
    { prefix: 'policy' },
  );
  const mbPolicy =
    parsed.measuredBoot === undefined
      ? null
      : encodeMeasuredBootPolicy(parsed.measuredBoot, { prefix: 'policy.measuredBoot' });
  return { tpmPolicy, runtimePolicy, mbPolicy };
}
