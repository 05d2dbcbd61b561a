/**
 * `@ocx/driver-keylime/simulator`: a loopback Keylime verifier and registrar over mutual TLS,
 * with agents whose states follow Keylime's own state table and scriptable outcomes.
 * @packageDocumentation
 */

export type { RecordedExchange, ReplayDifference, ReplayOptions } from '@ocx/core/simulation';
export { parseRecording, replayRecording } from '@ocx/core/simulation';
export { FAILURE_EVENTS, retryDelayMs } from './agent-lifecycle.js';
export type { AdvertisedVersions, KeylimeRelease, KeylimeReleaseProfile } from './keylime-releases.js';
export { DEFAULT_KEYLIME_RELEASE, KEYLIME_RELEASE_PROFILES } from './keylime-releases.js';
export type { KeylimeSimulator, KeylimeSimulatorOptions } from './keylime-simulator.js';
export { createKeylimeSimulator, DEFAULT_SIMULATED_VERSIONS } from './keylime-simulator.js';
export type {
  AgentOutcome,
  RegistrarRecord,
  SimulatedAgentOptions,
  SimulatorState,
  VerifierRecord,
} from './simulator-types.js';
