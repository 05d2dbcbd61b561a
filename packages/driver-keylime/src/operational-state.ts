/**
 * Keylime's agent states as the verifier reports them in `operational_state`
 * (keylime/common/states.py): the number on the wire and the name Keylime prints.
 */
export const OPERATIONAL_STATES = Object.freeze({
  0: 'Registered',
  1: 'Start',
  2: 'Saved',
  3: 'Get Quote',
  4: 'Get Quote (retry)',
  5: 'Provide V',
  6: 'Provide V (retry)',
  7: 'Failed',
  8: 'Terminated',
  9: 'Invalid Quote',
  10: 'Tenant Quote Failed',
} as const);

/** An `operational_state` number Keylime defines (0–10). */
export type OperationalState = keyof typeof OPERATIONAL_STATES;

/** The name Keylime prints for an `operational_state`. */
export type OperationalStateName = (typeof OPERATIONAL_STATES)[OperationalState];

/** The states, by name, for readable comparisons in code. */
export const OperationalStates = Object.freeze({
  REGISTERED: 0,
  START: 1,
  SAVED: 2,
  GET_QUOTE: 3,
  GET_QUOTE_RETRY: 4,
  PROVIDE_V: 5,
  PROVIDE_V_RETRY: 6,
  FAILED: 7,
  TERMINATED: 8,
  INVALID_QUOTE: 9,
  TENANT_FAILED: 10,
} as const);

/**
 * States in which attestation has failed: 7 (no usable quote: an agent error or retries ran out),
 * 9 (a quote violated the policy) and 10 (the tenant stopped the agent).
 */
export const FAILED_STATES: ReadonlySet<number> = new Set([
  OperationalStates.FAILED,
  OperationalStates.INVALID_QUOTE,
  OperationalStates.TENANT_FAILED,
]);

/**
 * States a DELETE removes at once (200); in any other state the verifier is still polling the
 * agent, so it answers 202, marks it Terminated and removes it on its next poll.
 */
export const IMMEDIATELY_DELETABLE_STATES: ReadonlySet<number> = new Set([
  OperationalStates.SAVED,
  OperationalStates.FAILED,
  OperationalStates.TERMINATED,
  OperationalStates.TENANT_FAILED,
  OperationalStates.INVALID_QUOTE,
]);

/**
 * The name of an `operational_state`; a number Keylime does not define gives `Unknown (n)`, so a
 * newer verifier's state is reported rather than thrown away.
 *
 * @example
 * ```ts
 * operationalStateName(9); // 'Invalid Quote'
 * ```
 */
export function operationalStateName(state: number): string {
  return (OPERATIONAL_STATES as Record<number, string>)[state] ?? `Unknown (${state})`;
}
