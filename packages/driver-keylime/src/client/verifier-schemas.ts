import { z } from 'zod';

const nullableString = z.string().nullable().optional();
const nullableInteger = z.number().int().nullable().optional();
const algorithmList = z.array(z.string()).nullable().optional();
/** Keylime has sent ports both as numbers and as strings (the config value); both are kept. */
const port = z.union([z.number().int(), z.string()]).nullable().optional();

/**
 * `GET /v2.x/agents/{uuid}` results (cloud_verifier_common `process_get_status`; docs/rest_apis
 * 2_5 verifier.rst). Only `operational_state` is always there; fields arrived over versions
 * (`attestation_status`, `last_successful_attestation`) and several may be null. Unknown fields
 * are kept.
 */
export const VerifierAgentSchema = z
  .object({
    operational_state: z.number().int(),
    /**
     * Sent by some verifiers (`PASS`, `FAIL`, `PENDING`; push-mode tooling also knows `TIMEOUT`).
     * Any text is accepted, so a value this client does not know is not mistaken for a broken answer.
     */
    attestation_status: z.string().optional(),
    v: nullableString,
    ip: nullableString,
    port,
    tpm_policy: nullableString,
    meta_data: nullableString,
    has_mb_refstate: nullableInteger,
    has_runtime_policy: nullableInteger,
    accept_tpm_hash_algs: algorithmList,
    accept_tpm_encryption_algs: algorithmList,
    accept_tpm_signing_algs: algorithmList,
    hash_alg: nullableString,
    enc_alg: nullableString,
    sign_alg: nullableString,
    verifier_id: nullableString,
    verifier_ip: nullableString,
    verifier_port: port,
    severity_level: nullableInteger,
    last_event_id: nullableString,
    attestation_count: nullableInteger,
    last_received_quote: z.number().nullable().optional(),
    last_successful_attestation: z.number().nullable().optional(),
  })
  .passthrough();

/** One agent as the verifier reports it. */
export type VerifierAgent = z.infer<typeof VerifierAgentSchema>;

/**
 * `GET /v2.x/agents/` results. The verifier serialises database rows, so a real server may send
 * `[["uuid"], …]`; both that and a flat list are accepted and flattened.
 */
export const AgentListSchema = z
  .object({ uuids: z.array(z.union([z.string(), z.array(z.string()).length(1)])) })
  .transform((list) => list.uuids.map((entry) => (typeof entry === 'string' ? entry : entry[0]!)));

/** `GET /v2.x/agents/?bulk=True`: every agent's status by UUID. */
export const BulkAgentsSchema = z.record(z.string(), VerifierAgentSchema);

/** `GET /v2.x/allowlists/{name}`. `runtime_policy` is the stored policy (JSON text). */
export const RuntimePolicyRecordSchema = z
  .object({ name: z.string(), runtime_policy: z.string().nullable().optional() })
  .passthrough();

/** A runtime policy as the verifier stores it. */
export type RuntimePolicyRecord = z.infer<typeof RuntimePolicyRecordSchema>;

/** `GET /v2.x/allowlists/`. */
export const RuntimePolicyNamesSchema = z
  .object({ 'runtimepolicy names': z.array(z.string()) })
  .transform((list) => list['runtimepolicy names']);

/** `GET /v2.x/mbpolicies/{name}`. */
export const MeasuredBootPolicyRecordSchema = z
  .object({ name: z.string(), mb_policy: z.string().nullable().optional() })
  .passthrough();

/** A measured-boot policy as the verifier stores it. */
export type MeasuredBootPolicyRecord = z.infer<typeof MeasuredBootPolicyRecordSchema>;

/** `GET /v2.x/mbpolicies/`. */
export const MeasuredBootPolicyNamesSchema = z
  .object({ 'mbpolicy names': z.array(z.string()) })
  .transform((list) => list['mbpolicy names']);
