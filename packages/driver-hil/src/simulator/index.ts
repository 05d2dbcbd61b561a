/**
 * `@ocx/driver-hil/simulator`: a loopback HIL (and OBMd) that speaks HIL v0 as HIL's own code
 * does, for tests, demos and benchmarks.
 * @packageDocumentation
 */

export type { RecordedExchange, ReplayDifference, ReplayOptions } from '@ocx/core/simulation';
export { parseRecording, replayRecording } from '@ocx/core/simulation';
export type { ActionFailureMatch } from './action-queue.js';
export type { KeystoneTokenInfo, SimAuthMode } from './auth.js';
export type { HilSimulator } from './hil-simulator.js';
export { createHilSimulator } from './hil-simulator.js';
export type { MaintenancePoolOptions } from './maintenance-pool.js';
export { MOCK_SWITCH_TYPE } from './routes/switch-routes.js';
export type { HilSimulatorOptions, NodeSeed, UserSeed } from './simulator-options.js';
export { DEFAULT_SIMULATOR_ADMIN } from './simulator-options.js';
export type { ActionStatus, SimState } from './state.js';
export type { ActionSnapshot, NodeSnapshot, SimulatorStateInspector } from './state-inspector.js';
