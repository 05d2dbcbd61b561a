import { z } from 'zod';

/**
 * `GET /v2.x/agents/{uuid}` on the registrar (docs/rest_apis 2_5 registrar.rst): the agent's
 * TPM keys, its mTLS certificate and where it listens. Unknown fields are kept.
 */
export const RegistrarAgentSchema = z
  .object({
    /** The agent's id (RegistrarAgent.render puts it first). */
    agent_id: z.string().optional(),
    /** The attestation key, base64 (TPM2B_PUBLIC). The verifier calls it `ak_tpm`. */
    aik_tpm: z.string().min(1),
    ek_tpm: z.string().nullable().optional(),
    ekcert: z.string().nullable().optional(),
    /** The agent's self-signed server certificate (PEM), or null when agent mTLS is off. */
    mtls_cert: z.string().nullable().optional(),
    ip: z.string().nullable().optional(),
    port: z.union([z.number().int(), z.string()]).nullable().optional(),
    regcount: z.number().int().optional(),
  })
  .passthrough();

/** One registered agent. */
export type RegistrarAgent = z.infer<typeof RegistrarAgentSchema>;

/** `GET /v2.x/agents/` on the registrar. */
export const RegistrarAgentListSchema = z.object({ uuids: z.array(z.string()) }).transform((list) => list.uuids);
