import { z } from 'zod';
import type { CallOptions } from '../primitives.js';

/** What an attestor checks a node against. Backends read the fields they understand. */
export const AttestationPolicySchema = z
  .object({
    name: z.string().min(1).optional(),
    /** PCR index → allowed digests. */
    pcrs: z.record(z.string().regex(/^\d+$/), z.array(z.string().regex(/^[0-9a-fA-F]+$/))).optional(),
    /** File path → allowed digests (runtime / IMA allowlist). */
    allowlist: z.record(z.string(), z.array(z.string().regex(/^[0-9a-fA-F]+$/))).optional(),
    /** Measured-boot policy, as the backend expects it. */
    measuredBoot: z.unknown().optional(),
  })
  .passthrough();
export type AttestationPolicy = z.infer<typeof AttestationPolicySchema>;

/** The outcome of an attestation as the exchange sees it. */
export const AttestationVerdictSchema = z.object({
  agent: z.string().min(1),
  status: z.enum(['pass', 'fail', 'pending']),
  /** The backend's own state name, e.g. Keylime's `Invalid Quote`. */
  state: z.string(),
  /** Why it failed, in the backend's words. */
  reason: z.string().optional(),
});
export type AttestationVerdict = z.infer<typeof AttestationVerdictSchema>;

/** Input of {@link Attestor.enroll}. */
export interface EnrollInput {
  /** The node's attestation agent id (Keylime: the agent UUID). */
  agent: string;
  /** The node the agent runs on, for reports. */
  node: string;
  policy: AttestationPolicy;
}

/**
 * Attests nodes through their TPM (Keylime): enroll an agent with a policy, wait for a verdict,
 * watch for revocation, remove.
 */
export interface Attestor {
  enroll(input: EnrollInput, options?: CallOptions): Promise<void>;
  /** The current verdict, `pending` while attestation has not concluded. */
  status(agent: string, options?: CallOptions): Promise<AttestationVerdict>;
  /** Wait for `pass` or `fail`; a timeout or abort throws an OcxError. */
  waitForVerdict(agent: string, options?: CallOptions & { maxWaitMs?: number }): Promise<AttestationVerdict>;
  /**
   * Watch agents continuously; yields a verdict each time one changes status (a `fail` after a
   * `pass` is a revocation). Ends when the signal aborts.
   */
  watch(agents: readonly string[], options?: CallOptions & { intervalMs?: number }): AsyncIterable<AttestationVerdict>;
  /** Stop attesting and forget the agent. Idempotent. */
  remove(agent: string, options?: CallOptions): Promise<void>;
}
