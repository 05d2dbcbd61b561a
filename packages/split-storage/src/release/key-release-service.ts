import {
  type AttestationVerdict,
  AttestationVerdictSchema,
  type Attestor,
  type CallOptions,
  type Clock,
  IdSchema,
  OcxError,
  parseWith,
  systemClock,
} from '@ocx/core';
import { z } from 'zod';
import { checkAborted } from '../abort.js';
import { BACKEND } from '../errors.js';
import { checkObjectId } from '../store/object-id.js';
import type { ReleasedKeyShare } from '../store/split-store-types.js';
import type { EnclaveMember, EnclaveMembership } from './enclave-membership.js';

/** Why a release was granted or refused; refusals are also the `backendErrorType` of the error. */
export type KeyReleaseReason =
  | 'released'
  | 'revoked'
  | 'not-in-enclave'
  | 'other-project'
  | 'not-joined'
  | 'attestation-failed'
  | 'attestation-pending'
  | 'attestation-unavailable'
  | 'no-key-shares';

/** One decision of the service, for its audit trail. */
export interface KeyReleaseDecision {
  node: string;
  objectId: string;
  released: boolean;
  reason: KeyReleaseReason;
  /** The attestation verdict the decision rested on, when one was obtained. */
  verdict?: AttestationVerdict;
  at: string;
}

/** A node asking for the key shares of one object. */
export interface KeyReleaseRequest {
  /** The node, by the name the enclave knows it by. */
  node: string;
  objectId: string;
}

/** What a node receives: the key shares this service guards, and the verdict they were released on. */
export interface KeyRelease {
  node: string;
  agent: string;
  enclave: string;
  objectId: string;
  verdict: AttestationVerdict;
  shares: ReleasedKeyShare[];
  releasedAt: string;
}

/** Options of {@link createKeyReleaseService}. */
export interface KeyReleaseServiceOptions {
  /** The project whose enclave nodes may read; nodes of any other project are refused. */
  project: string;
  /** The Attestor capability (e.g. `createKeylimeDriver(...).attestor`), asked afresh on every request. */
  attestor: Attestor;
  /** Where a node's enclave, state and agent come from (see `enclaveMembership`). */
  membership: EnclaveMembership;
  /**
   * The key shares this service hands out, e.g. one landlord's own:
   * `(id, o) => store.keyShares(id, { ...o, landlords: ['bu'] })`.
   */
  keyShares: (objectId: string, options: CallOptions) => Promise<ReleasedKeyShare[]>;
  /** Told of every decision, granted or refused (for the audit log). */
  onDecision?: (decision: KeyReleaseDecision) => void;
  clock?: Clock;
}

/** Releases key shares to attested nodes of one project's enclave; see {@link createKeyReleaseService}. */
export interface KeyReleaseService {
  /** Release the object's key shares to `node`, or throw an `auth` OcxError and release nothing. */
  release(request: KeyReleaseRequest, options?: CallOptions): Promise<KeyRelease>;
  /** Refuse `node` from now on, whatever its verdict; a release in progress for it is refused too. */
  revoke(node: string, reason?: string): void;
  /** The nodes refused for good, with why. */
  revoked(): ReadonlyMap<string, string>;
  /**
   * Watch these members' agents with `attestor.watch` and revoke a node the moment its verdict turns
   * `fail` (Keylime's revocation). Ends when the signal aborts.
   */
  watchRevocations(
    members: readonly Pick<EnclaveMember, 'node' | 'agent'>[],
    options: CallOptions & { intervalMs?: number },
  ): Promise<void>;
}

const OptionsSchema = z.object({
  project: IdSchema,
  attestor: z.custom<Attestor>((value) => typeof (value as Attestor)?.status === 'function', 'must be an Attestor'),
  membership: z.custom<EnclaveMembership>((value) => typeof value === 'function', 'must be a function'),
  keyShares: z.custom<KeyReleaseServiceOptions['keyShares']>(
    (value) => typeof value === 'function',
    'must be a function',
  ),
});

const RETRYABLE: ReadonlySet<KeyReleaseReason> = new Set(['attestation-pending', 'attestation-unavailable']);

/**
 * A key-release service: a node of the project's enclave asks for an object's key shares, and gets
 * them only if it is a member in state `joined`, has not been revoked, and the Attestor's verdict on
 * its agent, asked at that moment, is `pass`. A failing verdict revokes the node for good (as a
 * failed node is quarantined, never re-joined); `revoke` does the same by hand. Either stops every
 * later release at once, and a release that was in progress when it happened.
 *
 * Run one per landlord, each over its own key share, so that a node must convince k independent
 * services before it can rebuild a key.
 *
 * @example
 * ```ts
 * const release = createKeyReleaseService({
 *   project: 'genomics',
 *   attestor: keylime.attestor,
 *   membership: enclaveMembership(exchange.enclaves),
 *   keyShares: (id, options) => store.keyShares(id, { ...options, landlords: ['bu'] }),
 * });
 * const { shares } = await release.release({ node: 'moc-r4-n1', objectId: 'genomes/sample-1.bam' });
 * const { body } = await store.get('genomes/sample-1.bam', { keyShares: shares });
 * ```
 */
export function createKeyReleaseService(options: KeyReleaseServiceOptions): KeyReleaseService {
  parseWith(OptionsSchema, options, { what: 'key release service options' });
  const clock = options.clock ?? systemClock;
  const revokedNodes = new Map<string, string>();

  const decide = (
    request: KeyReleaseRequest,
    reason: KeyReleaseReason,
    detail: string,
    verdict?: AttestationVerdict,
  ): OcxError => {
    options.onDecision?.({
      node: request.node,
      objectId: request.objectId,
      released: false,
      reason,
      ...(verdict === undefined ? {} : { verdict }),
      at: clock.now().toISOString(),
    });
    return new OcxError({
      code: 'auth',
      backend: BACKEND,
      operation: 'release_key',
      backendErrorType: reason,
      retryable: RETRYABLE.has(reason),
      fault: 'client',
      message: `split-storage: key shares of ${JSON.stringify(request.objectId)} not released to node ${request.node}: ${detail}`,
    });
  };

  const revoke = (node: string, reason = 'revoked'): void => {
    if (!revokedNodes.has(node)) revokedNodes.set(node, reason);
  };

  async function verdictOf(member: EnclaveMember, request: KeyReleaseRequest, callOptions: CallOptions) {
    try {
      const verdict = AttestationVerdictSchema.parse(await options.attestor.status(member.agent, callOptions));
      if (verdict.agent !== member.agent) throw new Error(`the verdict names agent ${verdict.agent}`);
      return verdict;
    } catch (error) {
      if (OcxError.is(error) && error.code === 'aborted') throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw decide(request, 'attestation-unavailable', `its attestation could not be checked (${why})`);
    }
  }

  return {
    async release(request, callOptions = {}) {
      checkAborted(callOptions.signal, 'release_key');
      const node = parseWith(IdSchema, request?.node, { what: 'key release request', prefix: 'node' });
      const objectId = checkObjectId(request.objectId, 'key release request');
      const checked = { node, objectId };
      const revokedWhy = revokedNodes.get(node);
      if (revokedWhy !== undefined) throw decide(checked, 'revoked', `it was revoked (${revokedWhy})`);
      const member = await options.membership(node, callOptions);
      if (member === undefined) throw decide(checked, 'not-in-enclave', 'it is in no enclave');
      if (member.project !== options.project) {
        throw decide(checked, 'other-project', `its enclave ${member.enclave} belongs to another project`);
      }
      if (member.state !== 'joined') {
        throw decide(checked, 'not-joined', `it is ${member.state} in enclave ${member.enclave}, not joined`);
      }
      const verdict = await verdictOf(member, checked, callOptions);
      if (verdict.status === 'fail') {
        revoke(node, `attestation failed: ${verdict.reason ?? verdict.state}`);
        throw decide(checked, 'attestation-failed', `attestation failed (${verdict.reason ?? verdict.state})`, verdict);
      }
      if (verdict.status !== 'pass') {
        throw decide(checked, 'attestation-pending', `attestation has not concluded (${verdict.state})`, verdict);
      }
      const shares = await options.keyShares(objectId, callOptions);
      // A revocation that landed while the shares were read wins: nothing leaves.
      const revokedDuring = revokedNodes.get(node);
      if (revokedDuring !== undefined) throw decide(checked, 'revoked', `it was revoked (${revokedDuring})`, verdict);
      if (shares.length === 0) throw decide(checked, 'no-key-shares', 'this service holds no key share of it', verdict);
      const releasedAt = clock.now().toISOString();
      options.onDecision?.({ node, objectId, released: true, reason: 'released', verdict, at: releasedAt });
      return { node, agent: member.agent, enclave: member.enclave, objectId, verdict, shares, releasedAt };
    },
    revoke,
    revoked: () => new Map(revokedNodes),
    async watchRevocations(members, watchOptions) {
      const nodeOf = new Map(members.map((member) => [member.agent, member.node]));
      try {
        for await (const verdict of options.attestor.watch([...nodeOf.keys()], watchOptions)) {
          const node = nodeOf.get(verdict.agent);
          if (node !== undefined && verdict.status === 'fail') {
            revoke(node, `attestation failed: ${verdict.reason ?? verdict.state}`);
          }
        }
      } catch (error) {
        if (watchOptions.signal?.aborted) return;
        throw error;
      }
    },
  };
}
