import { z } from 'zod';
import { IdSchema, TimestampSchema } from './primitives.js';

/**
 * The states of one node of an enclave, in the order a healthy node walks them:
 * requested → allocated → airlock → provisioning → attesting → joined, or → rejected
 * (quarantined after a failed attestation); then releasing → released.
 */
export const ENCLAVE_NODE_STATES = [
  'requested',
  'allocated',
  'airlock',
  'provisioning',
  'attesting',
  'joined',
  'rejected',
  'releasing',
  'released',
] as const;
export const EnclaveNodeStateSchema = z.enum(ENCLAVE_NODE_STATES);
export type EnclaveNodeState = z.infer<typeof EnclaveNodeStateSchema>;

export const EnclaveStatusSchema = z.enum(['creating', 'ready', 'degraded', 'releasing', 'released', 'failed']);
export type EnclaveStatus = z.infer<typeof EnclaveStatusSchema>;

/** One node of an enclave as the exchange sees it. */
export const EnclaveNodeSchema = z.object({
  node: z.string().min(1),
  state: EnclaveNodeStateSchema,
  hardwareLandlord: IdSchema,
  reason: z.string().optional(),
  since: TimestampSchema,
});
export type EnclaveNode = z.infer<typeof EnclaveNodeSchema>;

/** An isolated set of bare-metal nodes owned by one project. */
export const EnclaveSchema = z.object({
  id: IdSchema,
  project: IdSchema,
  status: EnclaveStatusSchema,
  nodes: z.array(EnclaveNodeSchema),
  createdAt: TimestampSchema,
});
export type Enclave = z.infer<typeof EnclaveSchema>;
