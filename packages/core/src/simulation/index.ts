/**
 * `@ocx/core/simulation`: building blocks for simulators, demos and examples that must run
 * outside a test runner — the loopback server with fault injection, throwaway certificates, and
 * the in-memory reference landlord. Nothing here imports vitest; `@ocx/core/testing` re-exports
 * all of it beside the conformance suites.
 * @packageDocumentation
 */

export type { ReferenceDriverOptions, ReferenceExtension } from '../testing/reference-driver/index.js';
// reference landlord
export { createReferenceDriver } from '../testing/reference-driver/index.js';
export type { ReferenceNode, ReferenceState } from '../testing/reference-driver/state.js';
// recorded-exchange replay
export type { RecordedExchange, ReplayDifference, ReplayOptions } from '../testing/replay/replay-recording.js';
export { parseRecording, replayRecording } from '../testing/replay/replay-recording.js';
export type {
  Fault,
  FaultMatch,
  FaultTimes,
  HangFault,
  LatencyFault,
  ResetFault,
  SlowBodyFault,
  StatusFault,
  TruncateFault,
} from '../testing/test-server/faults.js';
export type { TestCertificates, TestKeyPair } from '../testing/test-server/test-certificates.js';
export { createTestCertificates } from '../testing/test-server/test-certificates.js';
export type {
  RecordedRequest,
  TestRequestHandler,
  TestServer,
  TestServerOptions,
  TestServerTlsOptions,
} from '../testing/test-server/test-server.js';
// test server
export { createTestServer, sendJson } from '../testing/test-server/test-server.js';
