/**
 * `@ocx/core/testing`: conformance suites and a loopback test server with fault injection.
 * @packageDocumentation
 */

// conformance suites
export type {
  AddCase,
  AttestorConformanceOptions,
  ConformanceOptions,
  ConformanceSubject,
  HardwarePoolConformanceOptions,
  MeterConformanceOptions,
  ProvisionerConformanceOptions,
  QuotaProviderConformanceOptions,
  StoreConformanceOptions,
  TenancyConformanceOptions,
} from './conformance/index.js';
export {
  abortedSignal,
  defineConformanceSuite,
  expectOcxError,
  missingCapability,
  runAttestorConformance,
  runHardwarePoolConformance,
  runMeterConformance,
  runProvisionerConformance,
  runQuotaProviderConformance,
  runStoreConformance,
  runTenancyConformance,
  uniqueName,
} from './conformance/index.js';
// crash injection
export { CrashSwitch, crashingStore } from './crash/crashing-store.js';
// hostile-backend kit
export type {
  HostileAnswer,
  HostileBackendSuiteOptions,
  HostileContext,
  HostileProbe,
  HostileScenario,
  HostileSubject,
  ScenarioContext,
} from './hostile/index.js';
export {
  bodyScenarios,
  ECHO_SCENARIOS,
  gzipBomb,
  REDIRECT_SCENARIOS,
  runHostileBackendSuite,
  SLOW_SCENARIOS,
} from './hostile/index.js';
// reference landlord
export type { ReferenceDriverOptions, ReferenceExtension } from './reference-driver/index.js';
export { createReferenceDriver } from './reference-driver/index.js';
export type { ReferenceNode, ReferenceState } from './reference-driver/state.js';
// recorded-exchange replay
export type { RecordedExchange, ReplayDifference, ReplayOptions } from './replay/replay-recording.js';
export { parseRecording, replayRecording } from './replay/replay-recording.js';
// test server
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
} from './test-server/faults.js';
export type { TestCertificates, TestKeyPair } from './test-server/test-certificates.js';
export { createTestCertificates } from './test-server/test-certificates.js';
export type {
  RecordedRequest,
  TestRequestHandler,
  TestServer,
  TestServerOptions,
  TestServerTlsOptions,
} from './test-server/test-server.js';
export { createTestServer, sendJson } from './test-server/test-server.js';
