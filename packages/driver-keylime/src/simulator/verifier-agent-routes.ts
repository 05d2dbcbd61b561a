import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAILED_STATES, IMMEDIATELY_DELETABLE_STATES, OperationalStates as S } from '../operational-state.js';
import { type AgentLifecycle, moveTo } from './agent-lifecycle.js';
import { sendEnvelope } from './envelope-response.js';
import { queryOf } from './request-path.js';
import type { SimulatorState, VerifierRecord } from './simulator-types.js';
import { checkRuntimePolicy } from './stored-policies.js';

/** What the agent routes need from the simulator. */
export interface VerifierContext {
  state: SimulatorState;
  lifecycle: AgentLifecycle;
  /** The verifier's own port, reported as `verifier_port`. */
  port: () => number;
  now: () => number;
}

const VALID_AGENT_ID = /^[\w.-]+$/;

// The POST handler reads these with json_body["…"]: a missing one is a KeyError, answered 400.
const REQUIRED_FIELDS = [
  'v',
  'cloudagent_ip',
  'cloudagent_port',
  'tpm_policy',
  'metadata',
  'ima_sign_verification_keys',
  'revocation_key',
  'accept_tpm_hash_algs',
  'accept_tpm_encryption_algs',
  'accept_tpm_signing_algs',
  'supported_version',
  'ak_tpm',
] as const;

/** The GET answer of one agent (cloud_verifier_common `process_get_status`). */
export function agentStatus(record: VerifierRecord, context: VerifierContext): Record<string, unknown> {
  const attestationStatus = FAILED_STATES.has(record.operationalState)
    ? 'FAIL'
    : record.attestationCount > 0
      ? 'PASS'
      : 'PENDING';
  return {
    operational_state: record.operationalState,
    v: record.v,
    ip: record.ip,
    port: record.port,
    tpm_policy: record.tpmPolicy,
    meta_data: record.metadata,
    has_mb_refstate: record.mbPolicyName === null ? 0 : 1,
    has_runtime_policy: record.hasRuntimePolicy ? 1 : 0,
    accept_tpm_hash_algs: record.acceptTpmHashAlgs,
    accept_tpm_encryption_algs: record.acceptTpmEncryptionAlgs,
    accept_tpm_signing_algs: record.acceptTpmSigningAlgs,
    hash_alg: record.hashAlg,
    enc_alg: record.encAlg,
    sign_alg: record.signAlg,
    verifier_id: 'default',
    verifier_ip: '127.0.0.1',
    verifier_port: context.port(),
    severity_level: record.severityLevel,
    last_event_id: record.lastEventId,
    attestation_count: record.attestationCount,
    last_received_quote: record.lastReceivedQuote,
    last_successful_attestation: record.lastSuccessfulAttestation,
    attestation_status: attestationStatus,
  };
}

/** Answer `/v2.x/agents[/…]` as the verifier's AgentsHandler does. */
export function handleVerifierAgents(
  context: VerifierContext,
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  segments: readonly string[],
) {
  const method = request.method ?? 'GET';
  const [, agentId, action] = segments;
  if (agentId === undefined) {
    if (method !== 'GET') return sendEnvelope(response, 405, 'Method Not Allowed');
    return listAgents(context, request, response);
  }
  if (!VALID_AGENT_ID.test(agentId)) return sendEnvelope(response, 400, 'agent_id not not valid');
  if (action !== undefined) {
    if (method !== 'PUT' || (action !== 'stop' && action !== 'reactivate') || segments.length > 3) {
      return sendEnvelope(response, 400, 'uri not supported');
    }
    return putAgent(context, response, agentId, action);
  }
  switch (method) {
    case 'GET': {
      const record = context.state.verifier.get(agentId);
      if (record === undefined) return sendEnvelope(response, 404, 'agent id not found');
      return sendEnvelope(response, 200, 'Success', agentStatus(record, context));
    }
    case 'POST':
      return addAgent(context, response, agentId, body);
    case 'DELETE':
      return deleteAgent(context, response, agentId);
    default:
      return sendEnvelope(response, 405, 'Method Not Allowed');
  }
}

function listAgents(context: VerifierContext, request: IncomingMessage, response: ServerResponse) {
  const query = queryOf(request.url);
  const verifierId = query.get('verifier');
  const records = [...context.state.verifier.values()].filter(() => !verifierId || verifierId === 'default');
  if (query.has('bulk')) {
    const bulk = Object.fromEntries(records.map((record) => [record.agentId, agentStatus(record, context)]));
    return sendEnvelope(response, 200, 'Success', bulk);
  }
  // The verifier serialises SQLAlchemy rows: each UUID comes wrapped in a one-element list.
  return sendEnvelope(response, 200, 'Success', { uuids: records.map((record) => [record.agentId]) });
}

function putAgent(context: VerifierContext, response: ServerResponse, agentId: string, action: 'stop' | 'reactivate') {
  const record = context.state.verifier.get(agentId);
  if (record === undefined) {
    // The handler looks the agent up with `.one()`, which raises; its catch-all answers 400.
    return sendEnvelope(response, 400, 'Exception error: No row was found when one was required');
  }
  if (action === 'stop') {
    context.lifecycle.halt(agentId);
    moveTo(record, S.TENANT_FAILED);
  } else {
    context.lifecycle.start(agentId);
  }
  return sendEnvelope(response, 200, 'Success');
}

function deleteAgent(context: VerifierContext, response: ServerResponse, agentId: string) {
  const record = context.state.verifier.get(agentId);
  if (record === undefined) return sendEnvelope(response, 404, 'agent id not found');
  if (IMMEDIATELY_DELETABLE_STATES.has(record.operationalState)) {
    context.lifecycle.remove(agentId);
    return sendEnvelope(response, 200, 'Success');
  }
  context.lifecycle.terminate(agentId);
  return sendEnvelope(response, 202, 'Accepted');
}

function addAgent(context: VerifierContext, response: ServerResponse, agentId: string, text: string) {
  if (text.length === 0) return sendEnvelope(response, 400, 'Expected non zero content length');
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('the body is not a JSON object');
    json = parsed as Record<string, unknown>;
  } catch (error) {
    return sendEnvelope(response, 400, `Exception error: ${(error as Error).message}`);
  }
  const missing = REQUIRED_FIELDS.find((field) => !(field in json));
  if (missing !== undefined) return sendEnvelope(response, 400, `Exception error: '${missing}'`);
  const port = Number(json.cloudagent_port);
  if (!Number.isInteger(port)) {
    return sendEnvelope(
      response,
      400,
      `Exception error: invalid literal for int() with base 10: '${String(json.cloudagent_port)}'`,
    );
  }
  const mtlsCert = typeof json.mtls_cert === 'string' ? json.mtls_cert : null;
  if (mtlsCert === null || mtlsCert === 'disabled')
    return sendEnvelope(response, 400, 'mTLS certificate for agent is required!');

  const state = context.state;
  const runtimeName =
    typeof json.runtime_policy_name === 'string' && json.runtime_policy_name !== ''
      ? json.runtime_policy_name
      : undefined;
  const runtimePolicy =
    typeof json.runtime_policy === 'string' && json.runtime_policy !== '' ? json.runtime_policy : undefined;
  if (runtimeName !== undefined) {
    const stored = state.runtimePolicies.has(runtimeName);
    if (runtimePolicy !== undefined && stored) {
      return sendEnvelope(
        response,
        409,
        `Allowlist with name ${runtimeName} already exists. Please use a different name or delete the allowlist from the verifier.`,
      );
    }
    if (runtimePolicy === undefined && !stored)
      return sendEnvelope(response, 404, `Could not find IMA policy with name ${runtimeName}!`);
  }
  const mbName =
    typeof json.mb_policy_name === 'string' && json.mb_policy_name !== '' ? json.mb_policy_name : undefined;
  const mbPolicy =
    typeof json.mb_policy === 'string' && json.mb_policy !== '' && json.mb_policy !== 'null'
      ? json.mb_policy
      : undefined;
  if (mbName !== undefined && mbPolicy === undefined && !state.mbPolicies.has(mbName)) {
    return sendEnvelope(response, 404, `Could not find mb_policy with name ${mbName}!`);
  }
  if (state.verifier.has(agentId)) {
    return sendEnvelope(response, 409, `Agent of uuid ${agentId} already exists. Please use delete or update.`);
  }
  let runtimeText = '{}';
  if (runtimePolicy !== undefined) {
    const checked = checkRuntimePolicy(runtimePolicy);
    if (!checked.ok) return sendEnvelope(response, 400, checked.message);
    runtimeText = checked.text;
  }
  let mbText: string | undefined;
  if (mbPolicy !== undefined) {
    try {
      mbText = JSON.stringify(JSON.parse(mbPolicy));
    } catch (error) {
      return sendEnvelope(response, 400, `Measured boot policy is malformatted: ${(error as Error).message}`);
    }
  }

  const runtimePolicyName = runtimeName ?? agentId;
  // The verifier deletes the policy named after the agent together with the agent.
  const ownsRuntimePolicy = runtimeName === undefined;
  if (!state.runtimePolicies.has(runtimePolicyName))
    state.runtimePolicies.set(runtimePolicyName, { runtimePolicy: runtimeText, tpmPolicy: null });
  const mbPolicyName = mbName ?? (mbText === undefined ? null : agentId);
  const ownsMbPolicy = mbName === undefined && mbText !== undefined;
  if (mbPolicyName !== null && mbText !== undefined && !state.mbPolicies.has(mbPolicyName))
    state.mbPolicies.set(mbPolicyName, mbText);

  state.verifier.set(agentId, {
    agentId,
    operationalState: S.START,
    history: [S.START],
    v: typeof json.v === 'string' ? json.v : null,
    ip: String(json.cloudagent_ip),
    port,
    tpmPolicy: String(json.tpm_policy),
    metadata: String(json.metadata),
    acceptTpmHashAlgs: stringList(json.accept_tpm_hash_algs),
    acceptTpmEncryptionAlgs: stringList(json.accept_tpm_encryption_algs),
    acceptTpmSigningAlgs: stringList(json.accept_tpm_signing_algs),
    supportedVersion: String(json.supported_version),
    akTpm: String(json.ak_tpm),
    mtlsCert,
    runtimePolicyName,
    ownsRuntimePolicy,
    mbPolicyName,
    ownsMbPolicy,
    hasRuntimePolicy: runtimePolicy !== undefined || runtimeName !== undefined,
    hashAlg: '',
    encAlg: '',
    signAlg: '',
    severityLevel: null,
    lastEventId: null,
    attestationCount: 0,
    lastReceivedQuote: 0,
    lastSuccessfulAttestation: 0,
    numRetries: 0,
    providedV: false,
    enrolledAt: context.now(),
  });
  context.lifecycle.start(agentId);
  return sendEnvelope(response, 200, 'Success');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
