/**
 * `@ocx/driver-keylime`: Keylime verifier and registrar driver (mutual TLS) for the OCX SDK: an
 * Attestor, with a verifier/registrar simulator under `@ocx/driver-keylime/simulator`.
 * @packageDocumentation
 */

export type { KeylimeAttestorEvents, RevocationEvent } from './attestor/attestor-events.js';
export type { EnrollmentDefaults } from './attestor/enroll-request.js';
export { buildEnrollRequest } from './attestor/enroll-request.js';
export type { KeylimeAttestorOptions } from './attestor/keylime-attestor.js';
export { createKeylimeAttestor } from './attestor/keylime-attestor.js';
export { failureReason, verdictFromAgent } from './attestor/verdict.js';
export * from './client/index.js';
export type { KeylimeDriverOptions } from './driver-options.js';
export type { KeylimeDriver, KeylimeExtension } from './keylime-driver.js';
export { createKeylimeDriver } from './keylime-driver.js';
export type { OperationalState, OperationalStateName } from './operational-state.js';
export {
  FAILED_STATES,
  IMMEDIATELY_DELETABLE_STATES,
  OPERATIONAL_STATES,
  OperationalStates,
  operationalStateName,
} from './operational-state.js';
export * from './policy/index.js';
