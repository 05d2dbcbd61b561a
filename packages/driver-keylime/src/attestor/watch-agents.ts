import { type AttestationVerdict, type Clock, type Logger, OcxError, type TypedEmitter } from '@ocx/core';
import type { KeylimeAttestorEvents } from './attestor-events.js';

/** One look at an agent: its verdict, and whether the verifier ever verified a quote from it. */
export interface AgentObservation {
  verdict: AttestationVerdict;
  /** Keylime's own test before it sends a revocation notice: `attestation_count > 0`. */
  onceTrusted: boolean;
}

/** What {@link watchAgents} needs. */
export interface WatchContext {
  observe(agent: string, options: { signal?: AbortSignal }): Promise<AgentObservation>;
  intervalMs: number;
  signal: AbortSignal | undefined;
  clock: Clock;
  logger: Logger;
  events: TypedEmitter<KeylimeAttestorEvents> | undefined;
}

/**
 * Poll each agent every `intervalMs` and yield its verdict whenever its status changes (the first
 * look included). A failure of an agent that was trusted (it passed during this watch, or the
 * verifier had verified quotes from it, as Keylime itself checks before notifying) is a
 * revocation and emits `attestation.revoked`. An agent the verifier no longer knows is reported
 * as failed: an unattested node must not keep its trust. A transient error (timeout, 5xx) skips
 * that agent for one round and keeps its last verdict. Ends, without throwing, when the signal
 * aborts.
 */
export async function* watchAgents(
  agents: readonly string[],
  context: WatchContext,
): AsyncGenerator<AttestationVerdict> {
  const { signal } = context;
  const last = new Map<string, AttestationVerdict['status']>();
  const trusted = new Set<string>();
  while (!signal?.aborted) {
    for (const agent of agents) {
      let verdict: AttestationVerdict;
      let onceTrusted = false;
      try {
        ({ verdict, onceTrusted } = await context.observe(agent, { signal }));
      } catch (error) {
        if (signal?.aborted) return;
        if (OcxError.is(error) && error.code === 'not-found') {
          verdict = {
            agent,
            status: 'fail',
            state: 'Unknown',
            reason: 'the verifier no longer attests this agent (not found)',
          };
        } else {
          context.logger.warn('keylime: could not read an agent while watching; keeping its last verdict', {
            agent,
            error: OcxError.is(error) ? error.toJSON() : String(error),
          });
          continue;
        }
      }
      const previous = last.get(agent);
      if (previous === verdict.status) continue;
      last.set(agent, verdict.status);
      if (verdict.status === 'pass') trusted.add(agent);
      context.events?.emit('attestation.changed', { ...verdict, previous });
      if (verdict.status === 'fail' && (trusted.has(agent) || onceTrusted)) {
        trusted.delete(agent);
        context.events?.emit('attestation.revoked', {
          agent,
          state: verdict.state,
          reason: verdict.reason ?? verdict.state,
          at: context.clock.now().toISOString(),
        });
      }
      yield verdict;
    }
    try {
      await context.clock.sleep(context.intervalMs, signal);
    } catch {
      return;
    }
  }
}
