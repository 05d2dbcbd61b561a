import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAILED_STATES, IMMEDIATELY_DELETABLE_STATES } from '../operational-state.js';
import type { AgentLifecycle } from './agent-lifecycle.js';
import { sendEnvelope } from './envelope-response.js';
import { queryParamsOf } from './route-table.js';
import type { SimulatorState, VerifierRecord } from './simulator-types.js';

/** What the agent routes need from the simulator. */
export interface VerifierContext {
  state: SimulatorState;
  lifecycle: AgentLifecycle;
  /** The verifier's own port, reported as `verifier_port` unless the POST body gave one. */
  port: () => number;
  now: () => number;
}

/** keylime/common/validators.py `valid_agent_id`, applied to the raw (percent-encoded) path segment. */
export const VALID_AGENT_ID = /^[\w.-]+$/;

/** The GET answer of one agent (cloud_verifier_common `process_get_status`), in its field order. */
export function agentStatus(record: VerifierRecord, context: VerifierContext): Record<string, unknown> {
  const runtimePolicy = context.state.runtimePolicies.get(record.runtimePolicyName);
  const mbPolicy = context.state.mbPolicies.get(record.mbPolicyName);
  // Not in the stored source read for this audit; kept for clients of verifiers that send it.
  const attestationStatus = FAILED_STATES.has(record.operationalState)
    ? 'FAIL'
    : record.attestationCount > 0
      ? 'PASS'
      : 'PENDING';
  return {
    operational_state: record.operationalState,
    v: record.v ?? null,
    ip: record.ip ?? null,
    port: record.port,
    tpm_policy: record.tpmPolicy,
    meta_data: record.metadata,
    has_mb_refstate: mbPolicy === undefined || mbPolicy === null ? 0 : 1,
    // A runtime policy counts only above generator 1 (EmptyAllowList), e.g. the default empty one.
    has_runtime_policy: (runtimePolicy?.generator ?? 0) > 1 ? 1 : 0,
    accept_tpm_hash_algs: record.acceptTpmHashAlgs,
    accept_tpm_encryption_algs: record.acceptTpmEncryptionAlgs,
    accept_tpm_signing_algs: record.acceptTpmSigningAlgs,
    hash_alg: record.hashAlg,
    enc_alg: record.encAlg,
    sign_alg: record.signAlg,
    verifier_id: 'default',
    verifier_ip: record.verifierIp ?? '127.0.0.1',
    verifier_port: record.verifierPort ?? context.port(),
    severity_level: record.severityLevel,
    last_event_id: record.lastEventId,
    attestation_count: record.attestationCount,
    last_received_quote: record.lastReceivedQuote,
    last_successful_attestation: record.lastSuccessfulAttestation,
    attestation_status: attestationStatus,
  };
}

/** `GET /agents/`: `{uuids: [[id], …]}` (rows), or with a non-blank `bulk` every agent's status. */
export function listAgents(context: VerifierContext, request: IncomingMessage, response: ServerResponse) {
  const query = queryParamsOf(request.url);
  const verifierId = query.get('verifier');
  const records = [...context.state.verifier.values()].filter(
    () => verifierId === undefined || verifierId === 'default',
  );
  if (query.has('bulk')) {
    const bulk = Object.fromEntries(records.map((record) => [record.agentId, agentStatus(record, context)]));
    return sendEnvelope(response, 200, 'Success', bulk);
  }
  // The verifier serialises SQLAlchemy rows: each UUID comes wrapped in a one-element list.
  return sendEnvelope(response, 200, 'Success', { uuids: records.map((record) => [record.agentId]) });
}

/** `GET /agents/{id}`. */
export function showAgent(context: VerifierContext, response: ServerResponse, agentId: string) {
  if (!VALID_AGENT_ID.test(agentId)) return sendEnvelope(response, 400, 'agent_id not not valid');
  const record = context.state.verifier.get(agentId);
  if (record === undefined) return sendEnvelope(response, 404, 'agent id not found');
  return sendEnvelope(response, 200, 'Success', agentStatus(record, context));
}

/** `PUT /agents/{id}/stop|reactivate` (AgentsHandler.put). */
export function putAgent(
  context: VerifierContext,
  response: ServerResponse,
  agentId: string,
  action: 'stop' | 'reactivate',
) {
  if (!VALID_AGENT_ID.test(agentId)) return sendEnvelope(response, 400, 'agent_id not not valid');
  if (!context.state.verifier.has(agentId)) {
    // The handler looks the agent up with `.one()`, which raises; its catch-all answers 400.
    return sendEnvelope(response, 400, 'Exception error: No row was found when one was required');
  }
  if (action === 'stop') context.lifecycle.stop(agentId);
  else context.lifecycle.reactivate(agentId);
  return sendEnvelope(response, 200, 'Success');
}

/** `DELETE /agents/{id}`: at once in a stopped state (200), else Terminated until the next poll (202). */
export function deleteAgent(context: VerifierContext, response: ServerResponse, agentId: string) {
  if (!VALID_AGENT_ID.test(agentId)) return sendEnvelope(response, 400, 'agent_id not not valid');
  const record = context.state.verifier.get(agentId);
  if (record === undefined) return sendEnvelope(response, 404, 'agent id not found');
  if (IMMEDIATELY_DELETABLE_STATES.has(record.operationalState)) {
    context.lifecycle.remove(agentId);
    return sendEnvelope(response, 200, 'Success');
  }
  context.lifecycle.terminate(agentId);
  return sendEnvelope(response, 202, 'Accepted');
}
