import { z } from 'zod';
import { OcxError } from '../../errors/ocx-error.js';
import { AttestationPolicySchema, type AttestationVerdict, type Attestor } from '../../spec/interfaces/attestor.js';
import { checkInput, checkSignal, conflict, NameSchema, notFound } from './checks.js';
import type { ReferenceState } from './state.js';

const EnrollInputSchema = z.object({ agent: NameSchema, node: NameSchema, policy: AttestationPolicySchema });
const WatchInputSchema = z.array(NameSchema);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * The reference landlord's attestor. Agents listed in `failingAgents` fail with an invalid
 * quote; `revoke` (through `driver.ext.revoke`) turns a passing agent into a failed one.
 */
export function createReferenceAttestor(state: ReferenceState, failingAgents: ReadonlySet<string>): Attestor {
  const verdict = (agent: string, operation: string): AttestationVerdict => {
    const found = state.agents.get(checkInput(NameSchema, agent, operation));
    if (found === undefined) throw notFound(`Agent ${agent}`, operation);
    return {
      agent,
      status: found.verdict,
      state: found.state,
      ...(found.reason === undefined ? {} : { reason: found.reason }),
    };
  };
  return {
    async enroll(input, options) {
      const request = checkInput(EnrollInputSchema, input, 'enroll');
      checkSignal(options, 'enroll');
      if (state.agents.has(request.agent)) throw conflict(`Agent ${request.agent} is already enrolled`, 'enroll');
      state.agents.set(
        request.agent,
        failingAgents.has(request.agent)
          ? { node: request.node, verdict: 'fail', state: 'Invalid Quote', reason: 'PCR 0 does not match the policy' }
          : { node: request.node, verdict: 'pass', state: 'Get Quote' },
      );
    },
    async status(agent, options) {
      checkSignal(options, 'status');
      return verdict(agent, 'status');
    },
    async waitForVerdict(agent, options) {
      checkSignal(options, 'waitForVerdict');
      return verdict(agent, 'waitForVerdict');
    },
    async *watch(agents, options = {}) {
      const names = checkInput(WatchInputSchema, agents, 'watch');
      const last = new Map<string, string>();
      while (!options.signal?.aborted) {
        for (const agent of names) {
          const current = state.agents.get(agent);
          if (current === undefined) continue;
          if (last.get(agent) !== current.verdict) {
            last.set(agent, current.verdict);
            yield verdict(agent, 'watch');
          }
        }
        await sleep(options.intervalMs ?? 20, options.signal);
      }
    },
    async remove(agent, options) {
      checkSignal(options, 'remove');
      state.agents.delete(checkInput(NameSchema, agent, 'remove'));
    },
  };
}

/** Turn a passing agent into a failed one, as a revocation would. */
export function revokeAgent(state: ReferenceState, agent: string, reason: string): void {
  const found = state.agents.get(agent);
  if (found === undefined)
    throw new OcxError({ code: 'not-found', message: `Agent ${agent} does not exist`, backend: 'reference' });
  found.verdict = 'fail';
  found.state = 'Invalid Quote';
  found.reason = reason;
}
