import {
  type AttestationVerdict,
  type Attestor,
  type CallOptions,
  type Clock,
  type Logger,
  OcxError,
  parseWith,
  silentLogger,
  systemClock,
  type TypedEmitter,
} from '@ocx/core';
import { waitForOrThrow } from '@ocx/core/http';
import { z } from 'zod';
import { AgentIdSchema, checkAgentId } from '../client/agent-id.js';
import type { KeylimeClient } from '../client/keylime-client.js';
import { keylimePoliciesFrom } from '../policy/keylime-policies.js';
import type { KeylimeAttestorEvents } from './attestor-events.js';
import { buildEnrollRequest, type EnrollmentDefaults } from './enroll-request.js';
import { verdictFromAgent } from './verdict.js';
import { type AgentObservation, watchAgents } from './watch-agents.js';

/** Options of {@link createKeylimeAttestor}. */
export interface KeylimeAttestorOptions extends EnrollmentDefaults {
  /** Default `maxWaitMs` of `waitForVerdict`. Default 120000. */
  maxWaitMs?: number;
  /** Shortest wait between status checks while waiting for a verdict. Default 500. */
  pollIntervalMs?: number;
  /** Default interval of `watch`. Default 2000 (Keylime's default quote interval). */
  watchIntervalMs?: number;
  /** How long `remove` follows a 202 until the agent is gone. Default 30000. */
  removeMaxWaitMs?: number;
  events?: TypedEmitter<KeylimeAttestorEvents>;
  logger?: Logger;
  clock?: Clock;
}

const enrollInputSchema = z.object({ agent: AgentIdSchema, node: z.string().min(1), policy: z.unknown() });

function abortedError(operation: string): OcxError {
  return new OcxError({
    code: 'aborted',
    backend: 'keylime-verifier',
    operation,
    message: `keylime: ${operation} was aborted`,
  });
}

/**
 * The exchange's {@link Attestor} on a tenant's Keylime: `enroll` reads the agent from the
 * registrar and adds it to the verifier with the policy (validated before anything is sent);
 * `waitForVerdict` polls until Get Quote with PASS, or a failed state; `watch` reports every
 * verdict change and emits `attestation.revoked` the moment a once-trusted agent fails;
 * `remove` deletes it from the verifier, following a 202 until it is gone.
 */
export function createKeylimeAttestor(client: KeylimeClient, options: KeylimeAttestorOptions = {}): Attestor {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;

  const status = async (agent: string, callOptions: CallOptions = {}): Promise<AttestationVerdict> => {
    const id = checkAgentId(agent, 'agent', 'status');
    return verdictFromAgent(id, await client.verifier.agents.get(id, callOptions));
  };

  const observe = async (agent: string, callOptions: CallOptions): Promise<AgentObservation> => {
    const found = await client.verifier.agents.get(agent, callOptions);
    return { verdict: verdictFromAgent(agent, found), onceTrusted: (found.attestation_count ?? 0) > 0 };
  };

  return {
    async enroll(input, callOptions = {}) {
      const request = parseWith(enrollInputSchema, input, { what: 'enroll input', operation: 'enroll' });
      const policies = keylimePoliciesFrom(input.policy);
      if (callOptions.signal?.aborted) throw abortedError('enroll');
      const registered = await client.registrar.agents.get(request.agent, callOptions);
      const body = buildEnrollRequest(request.agent, request.node, registered, policies, options);
      await client.verifier.agents.add(request.agent, body, callOptions);
      logger.info('keylime: agent enrolled with the verifier', { agent: request.agent, node: request.node });
    },

    status,

    async waitForVerdict(agent, callOptions = {}) {
      const id = checkAgentId(agent, 'agent', 'waitForVerdict');
      const verdict = await waitForOrThrow<AttestationVerdict>({
        what: `attestation of agent ${id}`,
        backend: 'keylime-verifier',
        operation: 'waitForVerdict',
        maxWaitMs: callOptions.maxWaitMs ?? options.maxWaitMs ?? 120_000,
        minDelayMs: options.pollIntervalMs ?? 500,
        maxDelayMs: Math.max(options.pollIntervalMs ?? 500, 2_000),
        signal: callOptions.signal,
        clock,
        check: async (_attempt, signal) => {
          const current = await status(id, { signal });
          return current.status === 'pending'
            ? { state: 'retry', value: current, reason: `agent is in ${current.state}` }
            : { state: 'success', value: current };
        },
      });
      return verdict as AttestationVerdict;
    },

    watch(agents, callOptions = {}) {
      const ids = parseWith(z.array(AgentIdSchema), agents, {
        what: 'agents to watch',
        prefix: 'agents',
        operation: 'watch',
      });
      return watchAgents(ids, {
        observe,
        intervalMs: callOptions.intervalMs ?? options.watchIntervalMs ?? 2_000,
        signal: callOptions.signal,
        clock,
        logger,
        events: options.events,
      });
    },

    async remove(agent, callOptions = {}) {
      const id = checkAgentId(agent, 'agent', 'remove');
      await client.verifier.agents.delete(id, {
        ignoreMissing: true,
        maxWaitMs: options.removeMaxWaitMs ?? 30_000,
        pollIntervalMs: Math.min(options.pollIntervalMs ?? 500, 200),
        ...(callOptions.signal === undefined ? {} : { signal: callOptions.signal }),
      });
    },
  };
}
