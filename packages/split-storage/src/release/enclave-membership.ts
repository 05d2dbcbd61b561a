import type { CallOptions, EnclaveNodeState } from '@ocx/core';

/** A node's place in an enclave, as a key-release service needs it. */
export interface EnclaveMember {
  node: string;
  /** The node's attestation agent id (Keylime: the agent UUID). */
  agent: string;
  enclave: string;
  project: string;
  state: EnclaveNodeState;
}

/** Looks a node up in the exchange's enclaves; `undefined` when it is in none. */
export type EnclaveMembership = (node: string, options?: CallOptions) => Promise<EnclaveMember | undefined>;

/** The part of `exchange.enclaves` (core's `EnclaveService`) that {@link enclaveMembership} reads. */
export interface EnclaveListing {
  list(): Promise<
    ReadonlyArray<{ id: string; project: string; nodes: ReadonlyArray<{ node: string; state: EnclaveNodeState }> }>
  >;
}

const STATE_PREFERENCE: readonly EnclaveNodeState[] = [
  'joined',
  'attesting',
  'provisioning',
  'airlock',
  'allocated',
  'requested',
];

/**
 * An {@link EnclaveMembership} over the exchange's enclaves, read afresh on every lookup (a node
 * released or rejected a moment ago is no member). `agentOf` maps a node to its agent id; by default
 * the node name, as core's enclave service does without an `agentMetadataKey`.
 *
 * @example
 * ```ts
 * const membership = enclaveMembership(exchange.enclaves);
 * ```
 */
export function enclaveMembership(
  enclaves: EnclaveListing,
  options: { agentOf?: (node: string, enclave: string) => string } = {},
): EnclaveMembership {
  const agentOf = options.agentOf ?? ((node: string) => node);
  return async (node) => {
    const found: EnclaveMember[] = [];
    for (const enclave of await enclaves.list()) {
      for (const entry of enclave.nodes) {
        if (entry.node !== node || entry.state === 'released' || entry.state === 'releasing') continue;
        found.push({
          node,
          agent: agentOf(node, enclave.id),
          enclave: enclave.id,
          project: enclave.project,
          state: entry.state,
        });
      }
    }
    const rank = (member: EnclaveMember) => {
      const at = STATE_PREFERENCE.indexOf(member.state);
      return at === -1 ? STATE_PREFERENCE.length : at;
    };
    return found.sort((a, b) => rank(a) - rank(b))[0];
  };
}
