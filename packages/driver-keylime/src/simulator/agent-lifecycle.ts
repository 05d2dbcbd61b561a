import { OperationalStates as S } from '../operational-state.js';
import { TpmPolicySchema } from '../policy/tpm-policy.js';
import type { SimulatorState, VerifierRecord } from './simulator-types.js';

/** Timing of the simulated verifier's polling loop. */
export interface LifecycleTiming {
  /** Between two quotes of an attested agent (Keylime's `quote_interval`). */
  quoteIntervalMs: number;
  /** Between two attempts to reach an unreachable agent (`retry_interval`). */
  retryIntervalMs: number;
  /** Attempts before an unreachable agent is Failed (`max_retries`). */
  maxRetries: number;
  /** How soon after a 202 DELETE the next poll removes the agent. */
  deleteDelayMs: number;
}

/** Keylime's default severity labels; a failure's `severity_level` is an index into them. */
const SEVERITY_LABELS = ['info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
/** With the default `severity_policy` every event is an emergency, the highest label. */
const EMERGENCY = SEVERITY_LABELS.indexOf('emergency');

/** The `last_event_id`s the real verifier reports for these failures (Component.sub.event). */
export const FAILURE_EVENTS = Object.freeze({
  invalidPcr: 'pcr_validation.invalid_pcr_0',
  notInAllowlist: 'ima.validation.ima-ng.not_in_allowlist',
  notReachable: 'internal.verifier.not_reachable',
  exception: 'internal.verifier.exception',
});

/** Put an agent in a state, keeping its history. */
export function moveTo(record: VerifierRecord, state: number): void {
  if (record.history.at(-1) !== state) record.history.push(state);
  record.operationalState = state;
}

/** Drives enrolled agents through Keylime's state table over time. */
export interface AgentLifecycle {
  /** Begin polling an agent in Start (after POST or reactivate). */
  start(agentId: string): void;
  /** Stop the polling loop (stop, or a final failure). */
  halt(agentId: string): void;
  /** The 202 path of DELETE: mark Terminated; the next poll removes the agent. */
  terminate(agentId: string): void;
  /** Remove the agent and the policies it owns now (the 200 path of DELETE). */
  remove(agentId: string): void;
  /** Fail a quote now with this event, as a policy violation would. */
  failQuote(agentId: string, eventId: string): void;
  close(): void;
}

/** Make the polling loop of a simulated verifier. `now` is in ms since the epoch. */
export function createAgentLifecycle(
  state: SimulatorState,
  timing: LifecycleTiming,
  now: () => number = Date.now,
): AgentLifecycle {
  const timers = new Map<string, NodeJS.Timeout>();

  const schedule = (agentId: string, delayMs: number): void => {
    halt(agentId);
    const timer = setTimeout(() => {
      timers.delete(agentId);
      poll(agentId);
    }, delayMs);
    timer.unref?.();
    timers.set(agentId, timer);
  };

  function halt(agentId: string) {
    const timer = timers.get(agentId);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(agentId);
  }

  const fail = (record: VerifierRecord, operationalState: number, eventId: string): void => {
    // Keylime keeps the worst failure seen: a later, milder event does not overwrite it.
    if (record.severityLevel === null || record.severityLevel < EMERGENCY) {
      record.severityLevel = EMERGENCY;
      record.lastEventId = eventId;
    }
    moveTo(record, operationalState);
    halt(record.agentId);
  };

  function remove(agentId: string) {
    halt(agentId);
    const record = state.verifier.get(agentId);
    state.verifier.delete(agentId);
    if (record?.ownsRuntimePolicy) state.runtimePolicies.delete(record.runtimePolicyName);
    if (record?.ownsMbPolicy && record.mbPolicyName !== null) state.mbPolicies.delete(record.mbPolicyName);
  }

  const quoteSucceeded = (record: VerifierRecord): void => {
    const seconds = Math.floor(now() / 1000);
    record.numRetries = 0;
    record.attestationCount += 1;
    record.lastReceivedQuote = seconds;
    record.lastSuccessfulAttestation = seconds;
    record.hashAlg = 'sha256';
    record.encAlg = 'rsa2048';
    record.signAlg = 'rsassa';
    if (!record.providedV) {
      // The first good quote is followed by delivering V, then periodic quotes.
      record.providedV = true;
      moveTo(record, S.PROVIDE_V);
      schedule(record.agentId, Math.min(timing.quoteIntervalMs, 20));
      return;
    }
    moveTo(record, S.GET_QUOTE);
    schedule(record.agentId, timing.quoteIntervalMs);
  };

  function poll(agentId: string) {
    const record = state.verifier.get(agentId);
    if (record === undefined) return;
    if (record.operationalState === S.TERMINATED) return remove(agentId);
    if (record.operationalState === S.TENANT_FAILED) return halt(agentId);
    if (record.operationalState === S.PROVIDE_V) {
      moveTo(record, S.GET_QUOTE);
      return schedule(agentId, timing.quoteIntervalMs);
    }
    if (!TpmPolicySchema.safeParse(safeJson(record.tpmPolicy)).success) {
      // The real verifier reads the mask from tpm_policy when it asks for a quote and fails here.
      return fail(record, S.FAILED, FAILURE_EVENTS.exception);
    }
    const outcome = state.outcomes.get(agentId) ?? 'unreachable';
    if (outcome === 'unreachable') {
      if (record.numRetries >= timing.maxRetries) return fail(record, S.FAILED, FAILURE_EVENTS.notReachable);
      record.numRetries += 1;
      moveTo(record, S.GET_QUOTE_RETRY);
      return schedule(agentId, timing.retryIntervalMs);
    }
    if (outcome !== 'pass' && now() - record.enrolledAt >= outcome.invalidQuoteAt) {
      record.lastReceivedQuote = Math.floor(now() / 1000);
      return fail(record, S.INVALID_QUOTE, outcome.reason ?? FAILURE_EVENTS.invalidPcr);
    }
    quoteSucceeded(record);
  }

  return {
    start(agentId) {
      const record = state.verifier.get(agentId);
      if (record === undefined) return;
      moveTo(record, S.START);
      record.numRetries = 0;
      record.providedV = false;
      // Keylime asks for the first quote at once, from its event loop.
      schedule(agentId, Math.min(timing.quoteIntervalMs, 10));
    },
    halt,
    terminate(agentId) {
      const record = state.verifier.get(agentId);
      if (record === undefined) return;
      moveTo(record, S.TERMINATED);
      schedule(agentId, timing.deleteDelayMs);
    },
    remove,
    failQuote(agentId, eventId) {
      const record = state.verifier.get(agentId);
      if (record !== undefined) fail(record, S.INVALID_QUOTE, eventId);
    },
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
