import { type CallOptions, OcxError, parseWith } from '@ocx/core';
import { waitForOrThrow } from '@ocx/core/http';
import { z } from 'zod';
import { type AddAgentRequest, AddAgentRequestSchema } from './add-agent-request.js';
import { checkAgentId } from './agent-id.js';
import type { KeylimeEndpoint } from './keylime-endpoint.js';
import { AgentListSchema, BulkAgentsSchema, type VerifierAgent, VerifierAgentSchema } from './verifier-schemas.js';

/** Options of {@link VerifierAgents.delete}. */
export interface DeleteAgentOptions extends CallOptions {
  /** An agent the verifier does not know counts as deleted instead of `not-found`. */
  ignoreMissing?: boolean;
  /** How long to follow a 202 (the agent is being polled) until it is gone. Default 30000. */
  maxWaitMs?: number;
  /** Shortest wait between checks while following a 202. Default 200. */
  pollIntervalMs?: number;
}

/** How a delete ended. */
export type DeleteOutcome = 'deleted' | 'absent';

/** The verifier's agent routes (`/v2.x/agents/…`). */
export interface VerifierAgents {
  /** `POST /agents/{uuid}`: enroll an agent. The body is validated before it is sent. */
  add(agent: string, request: AddAgentRequest, options?: CallOptions): Promise<void>;
  /** `GET /agents/{uuid}`; an unknown agent is `not-found`. */
  get(agent: string, options?: CallOptions): Promise<VerifierAgent>;
  /** `GET /agents/`: the UUIDs this verifier (or the one named) attests. */
  list(options?: CallOptions & { verifierId?: string }): Promise<string[]>;
  /** `GET /agents/?bulk=True`: every agent's status at once. */
  listWithStatus(options?: CallOptions & { verifierId?: string }): Promise<Record<string, VerifierAgent>>;
  /** `PUT /agents/{uuid}/stop`: stop polling; the agent then shows as Tenant Quote Failed. */
  stop(agent: string, options?: CallOptions): Promise<void>;
  /**
   * `PUT /agents/{uuid}/reactivate`: poll again from Start an agent that failed (Failed, Invalid
   * Quote), keeping its recorded failure until a worse one. The verifier answers 200 for a stopped
   * agent too but leaves it Tenant Quote Failed (its loop ends at once): delete and add it instead.
   */
  reactivate(agent: string, options?: CallOptions): Promise<void>;
  /**
   * `DELETE /agents/{uuid}`. A 202 means the verifier is still polling the agent and removes it on
   * its next poll; this call then follows it, polling GET until 404, as the tenant does.
   */
  delete(agent: string, options?: DeleteAgentOptions): Promise<DeleteOutcome>;
}

/** Make the agent routes of one verifier endpoint. */
export function createVerifierAgents(endpoint: KeylimeEndpoint): VerifierAgents {
  const get = async (agent: string, options: CallOptions = {}): Promise<VerifierAgent> => {
    const id = checkAgentId(agent, 'agent', 'get_agent');
    const { results } = await endpoint.call({
      method: 'GET',
      path: `/agents/${id}`,
      operation: 'get_agent',
      results: VerifierAgentSchema,
      signal: options.signal,
    });
    return results as VerifierAgent;
  };

  const put = async (agent: string, action: 'stop' | 'reactivate', options: CallOptions = {}): Promise<void> => {
    const id = checkAgentId(agent, 'agent', `${action}_agent`);
    try {
      await endpoint.call({
        method: 'PUT',
        path: `/agents/${id}/${action}`,
        operation: `${action}_agent`,
        results: z.unknown(),
        signal: options.signal,
      });
    } catch (error) {
      throw unknownAgentAsNotFound(error, id);
    }
  };

  return {
    async add(agent, request, options = {}) {
      const id = checkAgentId(agent, 'agent', 'add_agent');
      const body = parseWith(AddAgentRequestSchema, request, {
        what: 'add-agent request',
        prefix: 'request',
        operation: 'add_agent',
      });
      await endpoint.call({
        method: 'POST',
        path: `/agents/${id}`,
        operation: 'add_agent',
        results: z.unknown(),
        json: body,
        signal: options.signal,
      });
    },

    get,

    async list(options = {}) {
      const { results } = await endpoint.call({
        method: 'GET',
        path: '/agents/',
        operation: 'list_agents',
        results: AgentListSchema,
        query: { verifier: options.verifierId },
        signal: options.signal,
      });
      return results ?? [];
    },

    async listWithStatus(options = {}) {
      const { results } = await endpoint.call({
        method: 'GET',
        path: '/agents/',
        operation: 'list_agents_bulk',
        results: BulkAgentsSchema,
        // The verifier tests for the key's presence; Python's True is what the tenant sends.
        query: { bulk: 'True', verifier: options.verifierId },
        signal: options.signal,
      });
      return results ?? {};
    },

    stop: (agent, options) => put(agent, 'stop', options),
    reactivate: (agent, options) => put(agent, 'reactivate', options),

    async delete(agent, options = {}) {
      const id = checkAgentId(agent, 'agent', 'delete_agent');
      let status: number;
      try {
        ({ status } = await endpoint.call({
          method: 'DELETE',
          path: `/agents/${id}`,
          operation: 'delete_agent',
          results: z.unknown(),
          signal: options.signal,
        }));
      } catch (error) {
        if (options.ignoreMissing && OcxError.is(error) && error.code === 'not-found') return 'absent';
        throw error;
      }
      if (status !== 202) return 'deleted';
      await waitForOrThrow({
        what: `removal of agent ${id} from the verifier`,
        backend: endpoint.backend,
        operation: 'delete_agent',
        maxWaitMs: options.maxWaitMs ?? 30_000,
        minDelayMs: options.pollIntervalMs ?? 200,
        maxDelayMs: Math.max(options.pollIntervalMs ?? 200, 1000),
        signal: options.signal,
        check: async (_attempt, signal) => {
          try {
            const found = await get(id, { signal });
            return { state: 'retry', reason: `agent still in operational_state ${found.operational_state}` };
          } catch (error) {
            if (OcxError.is(error) && error.code === 'not-found') return { state: 'success' };
            throw error;
          }
        },
      });
      return 'deleted';
    },
  };
}

/**
 * The verifier looks a PUT's agent up with SQLAlchemy's `.one()`; for an unknown agent that raises
 * `NoResultFound` and its catch-all answers 400 "Exception error: No row was found when one was
 * required" (cloud_verifier_tornado.py `AgentsHandler.put`). That is a missing agent, so it is a
 * `not-found`; the wire status (400) and Keylime's text stay on the error.
 */
function unknownAgentAsNotFound(error: unknown, agent: string): unknown {
  if (!OcxError.is(error) || error.status !== 400 || !/No row was found/.test(error.backendMessage ?? '')) return error;
  return new OcxError({
    ...error,
    code: 'not-found',
    message: `${error.backend ?? 'keylime-verifier'}: agent ${agent} is not enrolled (HTTP 400: ${error.backendMessage})`,
    cause: error.cause,
  });
}
