export type { AddAgentBody, AddAgentRequest } from './add-agent-request.js';
export { AddAgentRequestSchema } from './add-agent-request.js';
export { AgentIdSchema, PolicyNameSchema } from './agent-id.js';
export type { VersionInfo } from './api-version.js';
export {
  ApiVersionSchema,
  CLIENT_API_VERSIONS,
  compareApiVersions,
  MEASURED_BOOT_POLICY_MIN_VERSION,
  negotiateApiVersion,
  VersionInfoSchema,
} from './api-version.js';
export type { KeylimeClientOptions, KeylimeTlsOptions, Pem } from './client-options.js';
export { KeylimeClientOptionsSchema } from './client-options.js';
export { EmptyEnvelopeSchema, envelopeSchema, keylimeErrorParser } from './envelope.js';
export type { KeylimeClient, KeylimeRegistrarApi, KeylimeVerifierApi } from './keylime-client.js';
export { createKeylimeClient } from './keylime-client.js';
export type { RegistrarAgents } from './registrar-agents.js';
export type { RegistrarAgent } from './registrar-schemas.js';
export { RegistrarAgentListSchema, RegistrarAgentSchema } from './registrar-schemas.js';
export type { DeleteAgentOptions, DeleteOutcome, VerifierAgents } from './verifier-agents.js';
export type { PolicyCollection, RuntimePolicyInput as StoredRuntimePolicyInput } from './verifier-policies.js';
export type { MeasuredBootPolicyRecord, RuntimePolicyRecord, VerifierAgent } from './verifier-schemas.js';
export {
  AgentListSchema,
  BulkAgentsSchema,
  MeasuredBootPolicyNamesSchema,
  MeasuredBootPolicyRecordSchema,
  RuntimePolicyNamesSchema,
  RuntimePolicyRecordSchema,
  VerifierAgentSchema,
} from './verifier-schemas.js';
