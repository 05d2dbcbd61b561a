import { type CallOptions, OcxError } from '@ocx/core';
import { z } from 'zod';
import { checkAgentId } from './agent-id.js';
import type { KeylimeEndpoint } from './keylime-endpoint.js';
import { type RegistrarAgent, RegistrarAgentListSchema, RegistrarAgentSchema } from './registrar-schemas.js';

/** The registrar's admin routes (TLS port): list, show and delete registered agents. */
export interface RegistrarAgents {
  /** `GET /agents/`. */
  list(options?: CallOptions): Promise<string[]>;
  /** `GET /agents/{uuid}`; unknown or not yet activated agents are `not-found`. */
  get(agent: string, options?: CallOptions): Promise<RegistrarAgent>;
  /** `DELETE /agents/{uuid}`. */
  delete(agent: string, options?: CallOptions & { ignoreMissing?: boolean }): Promise<void>;
}

/** Make the agent routes of one registrar endpoint. */
export function createRegistrarAgents(endpoint: KeylimeEndpoint): RegistrarAgents {
  return {
    async list(options = {}) {
      const { results } = await endpoint.call({
        method: 'GET',
        path: '/agents/',
        operation: 'list_registered_agents',
        results: RegistrarAgentListSchema,
        signal: options.signal,
      });
      return results ?? [];
    },
    async get(agent, options = {}) {
      const id = checkAgentId(agent, 'agent', 'get_registered_agent');
      const { results } = await endpoint.call({
        method: 'GET',
        path: `/agents/${id}`,
        operation: 'get_registered_agent',
        results: RegistrarAgentSchema,
        signal: options.signal,
      });
      return results as RegistrarAgent;
    },
    async delete(agent, options = {}) {
      const id = checkAgentId(agent, 'agent', 'delete_registered_agent');
      try {
        await endpoint.call({
          method: 'DELETE',
          path: `/agents/${id}`,
          operation: 'delete_registered_agent',
          results: z.unknown(),
          signal: options.signal,
        });
      } catch (error) {
        if (options.ignoreMissing && OcxError.is(error) && error.code === 'not-found') return;
        throw error;
      }
    },
  };
}
