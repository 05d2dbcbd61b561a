export type { HashAlgorithm } from './hex-digest.js';
export { DIGEST_HEX_LENGTH, HASH_ALGORITHMS, hexDigestSchema } from './hex-digest.js';
export type { KeylimePolicies } from './keylime-policies.js';
export { keylimePoliciesFrom } from './keylime-policies.js';
export type { MeasuredBootPolicy } from './measured-boot-policy.js';
export {
  decodeMeasuredBootPolicy,
  encodeMeasuredBootPolicy,
  MeasuredBootPolicySchema,
} from './measured-boot-policy.js';
export type { RuntimePolicy, RuntimePolicyInput } from './runtime-policy.js';
export {
  createRuntimePolicy,
  decodeRuntimePolicy,
  encodeRuntimePolicy,
  RUNTIME_POLICY_GENERATORS,
  RuntimePolicySchema,
} from './runtime-policy.js';
export type { TpmPolicy, TpmPolicyInput } from './tpm-policy.js';
export { createTpmPolicy, IMA_PCR, MAX_PCR_INDEX, parseTpmPolicy, pcrMask, TpmPolicySchema } from './tpm-policy.js';
