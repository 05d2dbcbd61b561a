import type { AttestationVerdict } from '@ocx/core';
import type { VerifierAgent } from '../client/verifier-schemas.js';
import { FAILED_STATES, operationalStateName, OperationalStates as S } from '../operational-state.js';

/**
 * Why an agent failed, in Keylime's words: the state's name, the failure event the verifier
 * recorded (`last_event_id`, e.g. `pcr_validation.invalid_pcr_0`) and its severity level.
 *
 * @example
 * ```ts
 * failureReason({ operational_state: 9, last_event_id: 'pcr_validation.invalid_pcr_0', severity_level: 6 });
 * // 'Invalid Quote: pcr_validation.invalid_pcr_0 (severity level 6)'
 * ```
 */
export function failureReason(
  agent: Pick<VerifierAgent, 'operational_state' | 'last_event_id' | 'severity_level'>,
): string {
  const state = operationalStateName(agent.operational_state);
  const event = agent.last_event_id ?? undefined;
  const severity =
    agent.severity_level === null || agent.severity_level === undefined
      ? ''
      : ` (severity level ${agent.severity_level})`;
  if (event !== undefined && event !== '') return `${state}: ${event}${severity}`;
  if (agent.operational_state === S.TENANT_FAILED) return `${state}: polling was stopped${severity}`;
  return `${state}: the verifier reported no failure event${severity}`;
}

/**
 * States in which the verifier has just verified a quote: Get Quote (periodic attestation, also
 * shown while it retries an unreachable agent) and Provide V, which Keylime stores after the
 * first good quote while V is delivered and until the next quote, a whole quote interval.
 */
const ATTESTING_STATES: ReadonlySet<number> = new Set([S.GET_QUOTE, S.PROVIDE_V]);

/**
 * The exchange's verdict from the verifier's view of an agent. Pass needs an attesting state
 * (3, Get Quote, or 5, Provide V) and `attestation_status` PASS (or, from verifiers without that
 * field, at least one verified quote). Fail is state 7, 9 or 10, or `attestation_status` FAIL.
 * Everything else is pending, including an `attestation_status` this client does not know.
 */
export function verdictFromAgent(agent: string, status: VerifierAgent): AttestationVerdict {
  const state = operationalStateName(status.operational_state);
  if (FAILED_STATES.has(status.operational_state) || status.attestation_status === 'FAIL') {
    return { agent, status: 'fail', state, reason: failureReason(status) };
  }
  const attested =
    status.attestation_status === undefined
      ? (status.attestation_count ?? 0) > 0
      : status.attestation_status === 'PASS';
  if (ATTESTING_STATES.has(status.operational_state) && attested) return { agent, status: 'pass', state };
  return { agent, status: 'pending', state };
}
