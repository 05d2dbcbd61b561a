import { registerSecret, Secret } from '@ocx/core';
import { z } from 'zod';
import { MeasuredBootPolicySchema } from '../policy/measured-boot-policy.js';
import { RuntimePolicySchema } from '../policy/runtime-policy.js';
import { TpmPolicySchema } from '../policy/tpm-policy.js';
import { ApiVersionSchema } from './api-version.js';

/** Copy a nested schema's issues onto the field being refined, so the path names the real spot. */
function checkJson(schema: z.ZodType, text: string, context: z.RefinementCtx, what: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    context.addIssue({ code: 'custom', message: `must be ${what} as a JSON string` });
    return;
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues)
      context.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
  }
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

const jsonObjectText = (what: string) =>
  z.string().superRefine((text, context) => checkJson(z.record(z.string(), z.unknown()), text, context, what));

/**
 * The body of `POST /v2.x/agents/{uuid}` on the verifier (cloud_verifier_tornado `AgentsHandler.post`,
 * docs/rest_apis 2_5 verifier.rst), validated before it is sent: the TPM policy must be a valid
 * PCR policy with a mask, the runtime policy valid base64 of a valid policy (or `''` for none),
 * the measured-boot policy a JSON object (or null), `v` 32 bytes of base64.
 *
 * `mb_refstate` mirrors `mb_policy` for verifiers older than the rename; newer ones ignore it.
 */
export const AddAgentRequestSchema = z
  .object({
    /** The bootstrap key's V half, base64 of 32 bytes; null when no payload is delivered. */
    v: z
      .string()
      .regex(base64, 'must be base64')
      .refine((text) => Buffer.from(text, 'base64').length === 32, 'must decode to 32 bytes')
      .nullable(),
    cloudagent_ip: z.string().min(1),
    cloudagent_port: z.number().int().min(1).max(65535),
    tpm_policy: z.string().superRefine((text, context) => checkJson(TpmPolicySchema, text, context, 'a TPM policy')),
    runtime_policy: z
      .string()
      .default('')
      .superRefine((text, context) => {
        if (text === '') return;
        if (!base64.test(text)) {
          context.addIssue({ code: 'custom', message: 'must be a base64 runtime policy' });
          return;
        }
        checkJson(RuntimePolicySchema, Buffer.from(text, 'base64').toString('utf8'), context, 'a runtime policy');
      }),
    runtime_policy_name: z.string().min(1).nullable().default(null),
    runtime_policy_key: z.string().default(''),
    runtime_policy_sig: z.string().default(''),
    mb_policy: z
      .string()
      .nullable()
      .default(null)
      .superRefine((text, context) => {
        if (text !== null) checkJson(MeasuredBootPolicySchema, text, context, 'a measured-boot policy');
      }),
    mb_policy_name: z.string().min(1).nullable().default(null),
    mb_refstate: z.string().nullable().optional(),
    ima_sign_verification_keys: z.string().default('[]'),
    metadata: jsonObjectText('an object').default('{}'),
    /** Signs revocation notices: a private key, so it is registered as a secret and never logged. */
    revocation_key: z
      .union([z.string(), z.custom<Secret>((value) => Secret.is(value), 'expected a string or Secret')])
      .default('')
      .transform((key) => {
        const text = Secret.is(key) ? key.reveal() : key;
        if (text !== '') registerSecret(text);
        return text;
      }),
    accept_tpm_hash_algs: z.array(z.string().min(1)).min(1).default(['sha512', 'sha384', 'sha256']),
    accept_tpm_encryption_algs: z.array(z.string().min(1)).min(1).default(['ecc', 'rsa']),
    accept_tpm_signing_algs: z.array(z.string().min(1)).min(1).default(['ecschnorr', 'rsassa']),
    /** The registrar's `aik_tpm`. */
    ak_tpm: z.string().min(1).regex(base64, 'must be base64'),
    /** The registrar's `mtls_cert` (PEM); the verifier refuses null when agent mTLS is on. */
    mtls_cert: z.string().min(1).nullable(),
    /** The agent's API version, without a `v`. */
    supported_version: ApiVersionSchema,
  })
  .strict()
  .transform((body) => ({ ...body, mb_refstate: body.mb_refstate ?? body.mb_policy ?? 'null' }));

/** What {@link AddAgentRequestSchema} accepts (defaults filled in). */
export type AddAgentRequest = z.input<typeof AddAgentRequestSchema>;

/** The body as sent. */
export type AddAgentBody = z.output<typeof AddAgentRequestSchema>;
