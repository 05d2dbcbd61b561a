/**
 * `@ocx/driver-m2/simulator`: a loopback M2 (BMI) server speaking M2's REST wire format, which
 * asks a HIL (such as `@ocx/driver-hil/simulator`) for MAC addresses and project access as M2 does.
 * @packageDocumentation
 */

export type { RecordedExchange, ReplayDifference, ReplayOptions } from '@ocx/core/simulation';
export { parseRecording, replayRecording } from '@ocx/core/simulation';
export type { M2Simulator, M2SimulatorImage, M2SimulatorOptions } from './m2-simulator.js';
export { createM2Simulator } from './m2-simulator.js';
export type { M2BootRecord } from './m2-state.js';
