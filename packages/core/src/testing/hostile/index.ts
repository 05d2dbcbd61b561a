export type {
  HostileBackendSuiteOptions,
  HostileContext,
  HostileProbe,
  HostileSubject,
} from './hostile-suite.js';
export { runHostileBackendSuite } from './hostile-suite.js';
export type { HostileAnswer, HostileScenario, ScenarioContext } from './scenarios.js';
export { bodyScenarios, ECHO_SCENARIOS, gzipBomb, REDIRECT_SCENARIOS, SLOW_SCENARIOS } from './scenarios.js';
