import { OperationalStates as S } from '../operational-state.js';
import type { SimulatorState, VerifierRecord } from './simulator-types.js';

/** Timing of the simulated verifier's polling loop. */
export interface LifecycleTiming {
  /** Between two quotes of an attested agent (Keylime's `quote_interval`). */
  quoteIntervalMs: number;
  /** `retry_interval`: the base of the back-off between attempts to reach an unreachable agent. */
  retryIntervalMs: number;
  /** `exponential_backoff`: whether retry n waits `retry_interval ** n` (in seconds). */
  exponentialBackoff: boolean;
  /** Retries before an unreachable agent is Failed (`max_retries`). */
  maxRetries: number;
  /** Multiplies every interval above (not the agent round trip), to run real timings faster. */
  timeScale: number;
}

/**
 * keylime/common/retry.py `retry_time(exponential, base, ntries)` in milliseconds: `base ** ntries`
 * seconds when exponential and the base is above 1 s, else the base. The verifier calls it after
 * counting the retry (cloud_verifier_tornado.py `process_agent`, GET_QUOTE_RETRY), so with the
 * defaults (2 s, 5 retries) the waits are 2, 4, 8, 16 and 32 s: Failed after 62 s.
 */
export function retryDelayMs(timing: Pick<LifecycleTiming, 'retryIntervalMs' | 'exponentialBackoff'>, ntries: number) {
  const base = timing.retryIntervalMs / 1000;
  const seconds = timing.exponentialBackoff && base > 1 ? base ** ntries : Math.abs(base);
  return seconds * 1000;
}

/** One request from the verifier to a simulated agent (a quote, or delivering V). */
const AGENT_ROUND_TRIP_MS = 5;

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

/** Store a state, keeping the history of stored states. */
export function moveTo(record: VerifierRecord, state: number) {
  if (record.history.at(-1) !== state) record.history.push(state);
  record.operationalState = state;
}

/** Drives enrolled agents as cloud_verifier_tornado's `process_agent` loop does. */
export interface AgentLifecycle {
  /** Begin polling a newly added agent (POST): `process_agent(agent, GET_QUOTE)` from Start. */
  start(agentId: string): void;
  /**
   * PUT reactivate: a fresh loop from Start, without the stored severity. The loop's first step
   * re-reads the row, so a stopped (Tenant Quote Failed) agent stays stopped and a Terminated one
   * is deleted, as in Keylime.
   */
  reactivate(agentId: string): void;
  /** PUT stop: store Tenant Quote Failed; the loop ends at its next step. */
  stop(agentId: string): void;
  /** The 202 path of DELETE: store Terminated; the loop's next step deletes the agent. */
  terminate(agentId: string): void;
  /** Delete the agent and the policies named after it now (the 200 path of DELETE). */
  remove(agentId: string): void;
  /** Fail a quote now with this event, as a policy violation would (only while polled). */
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
  const halt = (agentId: string): void => {
    clearTimeout(timers.get(agentId));
    timers.delete(agentId);
  };
  const later = (agentId: string, delayMs: number, step: () => void): void => {
    halt(agentId);
    const timer = setTimeout(() => {
      timers.delete(agentId);
      step();
    }, delayMs);
    timer.unref?.();
    timers.set(agentId, timer);
  };

  function remove(agentId: string) {
    halt(agentId);
    state.verifier.delete(agentId);
    // verifier_db_delete_agent deletes the policies named after the agent, whoever uses them.
    state.runtimePolicies.delete(agentId);
    state.mbPolicies.delete(agentId);
  }

  function processAgent(agentId: string, next: number, eventId?: string) {
    const record = state.verifier.get(agentId);
    const loop = record?.loop;
    if (record === undefined || loop === null || loop === undefined) return;
    if (record.operationalState === S.TERMINATED) return remove(agentId);
    if (record.operationalState === S.TENANT_FAILED) {
      record.loop = null;
      return halt(agentId);
    }
    const failed = next === S.FAILED || next === S.INVALID_QUOTE;
    // Keylime records a failure (and its state) only when it is worse than what this loop saw.
    if (failed && (loop.severity === null || loop.severity < EMERGENCY)) {
      loop.severity = EMERGENCY;
      record.severityLevel = EMERGENCY;
      record.lastEventId = eventId ?? FAILURE_EVENTS.exception;
      loop.state = next;
    }
    // "propagate all state": the row gets the in-memory state *before* this step's transition.
    moveTo(record, loop.state);
    if (failed) {
      // Every simulated failure is an emergency, so Keylime stops polling.
      record.loop = null;
      return halt(agentId);
    }
    if (loop.state === S.START && next === S.GET_QUOTE) {
      loop.state = S.GET_QUOTE;
      loop.numRetries = 0;
      return later(agentId, AGENT_ROUND_TRIP_MS, () => quote(agentId, true));
    }
    if (loop.state === S.GET_QUOTE && next === S.PROVIDE_V) {
      loop.state = S.PROVIDE_V;
      loop.numRetries = 0;
      if (!record.v) return processAgent(agentId, S.GET_QUOTE);
      return later(agentId, AGENT_ROUND_TRIP_MS, () => processAgent(agentId, S.GET_QUOTE));
    }
    if ((loop.state === S.PROVIDE_V || loop.state === S.GET_QUOTE) && next === S.GET_QUOTE) {
      loop.state = S.GET_QUOTE;
      loop.numRetries = 0;
      return later(agentId, timing.quoteIntervalMs * timing.timeScale, () => quote(agentId, false));
    }
    if (loop.state === S.GET_QUOTE && next === S.GET_QUOTE_RETRY) {
      if (loop.numRetries >= timing.maxRetries) return processAgent(agentId, S.FAILED, FAILURE_EVENTS.notReachable);
      // The retry state itself is never stored: the row keeps showing Get Quote.
      loop.state = S.GET_QUOTE;
      loop.numRetries += 1;
      return later(agentId, retryDelayMs(timing, loop.numRetries) * timing.timeScale, () => quote(agentId, true));
    }
  }

  function quote(agentId: string, needPublicKey: boolean) {
    const record = state.verifier.get(agentId);
    const loop = record?.loop;
    if (record === undefined || loop === null || loop === undefined) return;
    // prepare_get_quote reads the mask with ast.literal_eval(tpm_policy)["mask"] and raises here.
    if (!tpmPolicyHasMask(record.tpmPolicy)) return processAgent(agentId, S.FAILED, FAILURE_EVENTS.exception);
    const outcome = state.outcomes.get(agentId) ?? 'unreachable';
    if (outcome === 'unreachable') return processAgent(agentId, S.GET_QUOTE_RETRY);
    const seconds = Math.floor(now() / 1000);
    record.lastReceivedQuote = seconds;
    if (outcome !== 'pass' && now() - record.enrolledAt >= outcome.invalidQuoteAt) {
      return processAgent(agentId, S.INVALID_QUOTE, outcome.reason ?? FAILURE_EVENTS.invalidPcr);
    }
    // A quote with the public key re-arms V delivery only for a key the verifier had not cached;
    // a quote without it (the periodic ones) means V was delivered.
    if (!needPublicKey) loop.provideV = false;
    else if (!record.publicKeyKnown) {
      record.publicKeyKnown = true;
      loop.provideV = true;
    }
    record.attestationCount += 1;
    record.lastSuccessfulAttestation = seconds;
    record.hashAlg = 'sha256';
    record.encAlg = 'rsa2048';
    record.signAlg = 'rsassa';
    processAgent(agentId, loop.provideV ? S.PROVIDE_V : S.GET_QUOTE);
  }

  const startLoop = (agentId: string): void => {
    const record = state.verifier.get(agentId);
    if (record === undefined) return;
    record.loop = { state: S.START, numRetries: 0, provideV: true, severity: null };
    // asyncio.ensure_future(process_agent(agent, GET_QUOTE)): runs once the answer is sent.
    later(agentId, 0, () => processAgent(agentId, S.GET_QUOTE));
  };

  return {
    start: startLoop,
    reactivate: startLoop,
    stop(agentId) {
      const record = state.verifier.get(agentId);
      if (record === undefined) return;
      halt(agentId);
      record.loop = null;
      moveTo(record, S.TENANT_FAILED);
    },
    terminate(agentId) {
      const record = state.verifier.get(agentId);
      if (record !== undefined) moveTo(record, S.TERMINATED);
    },
    remove,
    failQuote(agentId, eventId) {
      const record = state.verifier.get(agentId);
      if (record?.loop === null || record === undefined) return;
      halt(agentId);
      record.lastReceivedQuote = Math.floor(now() / 1000);
      processAgent(agentId, S.INVALID_QUOTE, eventId);
    },
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** Whether `ast.literal_eval(tpm_policy)["mask"]` would succeed (JSON without true/false/null). */
function tpmPolicyHasMask(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  const literal = (item: unknown): boolean =>
    typeof item === 'string' ||
    typeof item === 'number' ||
    (Array.isArray(item) ? item.every(literal) : isPlainObject(item) && Object.values(item).every(literal));
  return isPlainObject(value) && literal(value) && 'mask' in value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
