import { z } from 'zod';
import type { EnclaveNodeState, EnclaveStatusSchema } from '../spec/enclave.js';
import { AttestationPolicySchema } from '../spec/interfaces/attestor.js';
import { IdSchema } from '../spec/primitives.js';

/** A reference to one registered service. */
export const ServiceRefSchema = z.object({ landlord: IdSchema, service: IdSchema }).strict();
export type ServiceRef = z.infer<typeof ServiceRefSchema>;

const NetworkNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"');

/** Input of `exchange.enclaves.create`. */
export const CreateEnclaveInputSchema = z
  .object({
    /** Enclave id; derived from the project when absent. */
    id: IdSchema.optional(),
    project: IdSchema,
    organization: IdSchema,
    /** The HardwarePool that lends the nodes (HIL). */
    hardware: ServiceRefSchema,
    /** The Provisioner that network-boots them (M2). May belong to another landlord. */
    provisioner: ServiceRefSchema,
    /** The Attestor that must pass each node before it joins (the tenant's Keylime). */
    attestor: ServiceRefSchema,
    /** How many nodes (taken from the free pool), or which ones. */
    nodes: z.union([z.number().int().min(1).max(100_000), z.array(z.string().min(1)).min(1)]),
    image: z.string().min(1),
    policy: AttestationPolicySchema,
    networks: z
      .object({ airlock: NetworkNameSchema.optional(), enclave: NetworkNameSchema.optional() })
      .strict()
      .optional(),
    /** Concurrent calls per backend (default 16). */
    concurrency: z.number().int().min(1).max(1024).optional(),
    /** How long to wait for one node's attestation verdict (default 5 minutes). */
    attestationTimeoutMs: z.number().int().positive().optional(),
    /** Node metadata key holding the node's attestation agent id; the node name otherwise. */
    agentMetadataKey: z.string().min(1).optional(),
    /** Try another free node when a node fails for a backend fault (not for a failed attestation). Default 2 per node. */
    replacementsPerNode: z.number().int().min(0).max(10).optional(),
  })
  .strict();
export type CreateEnclaveInput = z.input<typeof CreateEnclaveInputSchema>;

/** The durable record of an enclave (collection `enclaves`). */
export interface EnclaveRecord {
  id: string;
  project: string;
  organization: string;
  hardware: ServiceRef;
  provisioner: ServiceRef;
  attestor: ServiceRef;
  image: string;
  policy: z.output<typeof AttestationPolicySchema>;
  networks: { airlock: string; enclave: string };
  concurrency: number;
  attestationTimeoutMs: number;
  agentMetadataKey?: string;
  replacementsPerNode: number;
  /** How many joined nodes the enclave should have. */
  target: number;
  status: z.infer<typeof EnclaveStatusSchema>;
  createdAt: string;
}

/** The steps a node's walk is made of. A step in flight is journaled before it runs. */
export type EnclaveStep = 'allocate' | 'airlock' | 'provision' | 'enroll' | 'join' | 'quarantine' | 'release';

/** The durable record of one node of an enclave (collection `enclave-nodes`, key `<enclave>/<node>`). */
export interface EnclaveNodeRecord {
  enclave: string;
  node: string;
  state: EnclaveNodeState;
  /** The step that began and has not ended: what `resume()` must reconcile. */
  pending?: EnclaveStep;
  nic?: string;
  disk?: string;
  agent?: string;
  reason?: string;
  /** Set once the node failed attestation in this enclave: it is never picked for it again. */
  attestationFailed?: boolean;
  /** Allocation intervals (epoch ms) for node-hours. */
  allocations: Array<{ start: number; end?: number }>;
  since: string;
}

/** The enclave events the exchange emits. */
export interface EnclaveEvents {
  'enclave.node': {
    enclave: string;
    project: string;
    node: string;
    from: EnclaveNodeState;
    to: EnclaveNodeState;
    reason?: string;
  };
  'enclave.status': { enclave: string; project: string; status: z.infer<typeof EnclaveStatusSchema> };
  'attestation.failed': {
    enclave: string;
    project: string;
    node: string;
    agent: string;
    reason: string;
    revoked: boolean;
  };
}
