import type { ServerResponse } from 'node:http';
import { OperationalStates as S } from '../operational-state.js';
import { sendEnvelope } from './envelope-response.js';
import { pythonBase64DecodeText, pythonInt, pythonTruthy, pythonTypeName } from './python-semantics.js';
import { checkRuntimePolicyText, EMPTY_RUNTIME_POLICY_TEXT } from './runtime-policy-check.js';
import { VALID_AGENT_ID, type VerifierContext } from './verifier-agent-routes.js';

/** An exception inside AgentsHandler.post; its catch-all answers `400 Exception error: <message>`. */
class PythonException extends Error {}

/** `json_body[key]`: a missing key is a KeyError, whose message is the key's repr. */
function field(body: Record<string, unknown>, key: string): unknown {
  if (!(key in body)) throw new PythonException(`'${key}'`);
  return body[key];
}

/**
 * Python's json.loads message for text it refuses. V8 reports a position for most errors; the
 * wording after it is Python's most common one, so other refusals are only close to Keylime's.
 */
export function pythonJsonError(text: string, error: unknown): string {
  const position = Number(/position (\d+)/.exec(String((error as Error)?.message))?.[1] ?? 0);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `Expecting value: line ${line} column ${column} (char ${position})`;
}

/**
 * `POST /v2.x/agents/{id}` as cloud_verifier_tornado `AgentsHandler.post` does it, in its order:
 * the body's fields as it reads them (KeyError, `int()`), the mTLS check, the runtime policy
 * (decoded before anything else is looked up), a named policy's existence, the agent's, the
 * runtime policy's validation and storage, then the measured-boot policy. Like Keylime, a runtime
 * policy stored on the way stays stored when a later check refuses the request.
 */
export function addAgent(context: VerifierContext, response: ServerResponse, agentId: string, text: string) {
  if (!VALID_AGENT_ID.test(agentId)) return sendEnvelope(response, 400, 'agent_id not not valid');
  if (text.length === 0) return sendEnvelope(response, 400, 'Expected non zero content length');
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new PythonException(pythonJsonError(text, error));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new PythonException(`'${pythonTypeName(parsed)}' object has no attribute 'get'`);
    }
    return addParsedAgent(context, response, agentId, parsed as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof PythonException)) throw error;
    return sendEnvelope(response, 400, `Exception error: ${error.message}`);
  }
}

function addParsedAgent(
  context: VerifierContext,
  response: ServerResponse,
  agentId: string,
  body: Record<string, unknown>,
) {
  const { state } = context;
  const ip = field(body, 'cloudagent_ip');
  const port = pythonInt(field(body, 'cloudagent_port'));
  if (!port.ok) throw new PythonException(port.message);
  const stored = {
    tpmPolicy: field(body, 'tpm_policy'),
    metadata: field(body, 'metadata'),
    imaSignVerificationKeys: field(body, 'ima_sign_verification_keys'),
    revocationKey: field(body, 'revocation_key'),
    acceptTpmHashAlgs: field(body, 'accept_tpm_hash_algs'),
    acceptTpmEncryptionAlgs: field(body, 'accept_tpm_encryption_algs'),
    acceptTpmSigningAlgs: field(body, 'accept_tpm_signing_algs'),
    supportedVersion: field(body, 'supported_version'),
    akTpm: field(body, 'ak_tpm'),
  };
  const mtlsCert = body.mtls_cert ?? null;
  // With enable_agent_mtls (the default) an agent must have a certificate, except API 1.0 agents.
  if (stored.supportedVersion !== '1.0' && (mtlsCert === null || mtlsCert === 'disabled')) {
    return sendEnvelope(response, 400, 'mTLS certificate for agent is required!');
  }
  const decoded = pythonBase64DecodeText(body.runtime_policy);
  if (!decoded.ok) throw new PythonException(decoded.message);
  let runtimePolicy = decoded.text;
  let runtimeName = pythonTruthy(body.runtime_policy_name) ? String(body.runtime_policy_name) : '';
  if (runtimeName !== '') {
    const known = state.runtimePolicies.has(runtimeName);
    if (runtimePolicy !== '' && known) {
      return sendEnvelope(
        response,
        409,
        `IMA policy with name ${runtimeName} already exists. Please use a different name or delete the allowlist from the verifier.`,
      );
    }
    if (runtimePolicy === '' && !known)
      return sendEnvelope(response, 404, `Could not find IMA policy with name ${runtimeName}!`);
  }
  if (state.verifier.has(agentId)) {
    return sendEnvelope(response, 409, `Agent of uuid ${agentId} already exists. Please use delete or update.`);
  }
  if (runtimeName === '' && runtimePolicy === '') runtimePolicy = EMPTY_RUNTIME_POLICY_TEXT;
  if (runtimePolicy !== '') {
    const checked = checkRuntimePolicyText(runtimePolicy);
    if (checked.kind === 'exception') throw new PythonException(checked.message);
    if (checked.kind === 'refused') return sendEnvelope(response, checked.code, checked.message);
    runtimeName ||= agentId;
    // An existing policy of that name (one left by an earlier agent with this id) is reused.
    if (!state.runtimePolicies.has(runtimeName)) state.runtimePolicies.set(runtimeName, checked.stored);
  }
  const mbNameField = field(body, 'mb_policy_name');
  const mbPolicy = field(body, 'mb_policy');
  let mbName = pythonTruthy(mbNameField) ? String(mbNameField) : '';
  const mbKnown = state.mbPolicies.has(mbName || agentId);
  if (mbName !== '') {
    if (pythonTruthy(mbPolicy) && mbKnown) {
      return sendEnvelope(
        response,
        409,
        `mb_policy with name ${mbName} already exists. Please use a different name or delete the mb_policy from the verifier.`,
      );
    }
    if (!pythonTruthy(mbPolicy) && !mbKnown)
      return sendEnvelope(response, 404, `Could not find mb_policy with name ${mbName}!`);
  } else {
    mbName = agentId;
    if (pythonTruthy(mbPolicy) && mbKnown) {
      return sendEnvelope(
        response,
        409,
        `mb_policy with name ${mbName} already exists. You can delete the mb_policy from the verifier.`,
      );
    }
  }
  if (!mbKnown) {
    // The mb_policy column is text; other JSON types fail in the database layer.
    if (mbPolicy !== null && typeof mbPolicy !== 'string')
      throw new PythonException(`type '${pythonTypeName(mbPolicy)}' is not supported for mb_policy`);
    state.mbPolicies.set(mbName, mbPolicy);
  }
  state.verifier.set(agentId, {
    agentId,
    operationalState: S.START,
    history: [S.START],
    v: body.v ?? null,
    ip,
    port: port.value,
    tpmPolicy: stored.tpmPolicy,
    metadata: stored.metadata,
    acceptTpmHashAlgs: stored.acceptTpmHashAlgs,
    acceptTpmEncryptionAlgs: stored.acceptTpmEncryptionAlgs,
    acceptTpmSigningAlgs: stored.acceptTpmSigningAlgs,
    supportedVersion: stored.supportedVersion,
    akTpm: stored.akTpm,
    mtlsCert,
    verifierIp: body.verifier_ip,
    verifierPort: storedInteger(body.verifier_port),
    runtimePolicyName: runtimeName,
    mbPolicyName: mbName,
    hashAlg: '',
    encAlg: '',
    signAlg: '',
    severityLevel: null,
    lastEventId: null,
    attestationCount: 0,
    lastReceivedQuote: 0,
    lastSuccessfulAttestation: 0,
    publicKeyKnown: false,
    enrolledAt: context.now(),
    loop: null,
  });
  context.lifecycle.start(agentId);
  return sendEnvelope(response, 200, 'Success');
}

/** An Integer column keeps what int() makes of the value (the verifier stores `verifier_port` as given). */
function storedInteger(value: unknown): unknown {
  if (value === undefined) return undefined;
  const converted = pythonInt(value);
  return converted.ok ? converted.value : value;
}
