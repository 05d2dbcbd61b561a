export {
  FIXTURE_AIK_TPM,
  FIXTURE_MTLS_CERT,
  FIXTURE_REGISTRAR_RECORD,
  registrarFixtures,
} from './registrar-fixtures.js';
export {
  FIXTURE_ADD_AGENT_BODY,
  FIXTURE_AGENT_STATUS,
  FIXTURE_AGENT_STATUS_INVALID_QUOTE,
  FIXTURE_RUNTIME_POLICY,
  FIXTURE_RUNTIME_POLICY_JSON,
  FIXTURE_TPM_POLICY,
  verifierAgentFixtures,
} from './verifier-agent-fixtures.js';
export { FIXTURE_MB_POLICY, verifierPolicyFixtures } from './verifier-policy-fixtures.js';
export type { WireFixture } from './wire-fixture.js';
export { BARE_RESPONSE_HEADERS, envelope, FIXTURE_AGENT, FIXTURE_OTHER_AGENT } from './wire-fixture.js';
