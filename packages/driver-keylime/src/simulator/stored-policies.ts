import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendBare, sendEnvelope, sendNoContent } from './envelope-response.js';
import { pythonBase64DecodeText } from './python-semantics.js';
import { checkRuntimePolicyText } from './runtime-policy-check.js';
import type { SimulatorState, VerifierRecord } from './simulator-types.js';

/** An exception the policy handlers do not catch: the web framework answers 500 without a body. */
const UNCAUGHT = Symbol('uncaught exception');

/** `json.loads(body)` followed by `.get(…)`: anything but a JSON object raises. */
function readObject(body: string): Record<string, unknown> | typeof UNCAUGHT {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : UNCAUGHT;
  } catch {
    return UNCAUGHT;
  }
}

/**
 * The agents using a policy, as `query(VerfierMain).filter_by(…).one_or_none()` sees them: more
 * than one makes it raise (MultipleResultsFound), which nothing catches.
 */
function inUse(
  state: SimulatorState,
  uses: (record: VerifierRecord) => boolean,
): VerifierRecord | undefined | typeof UNCAUGHT {
  const users = [...state.verifier.values()].filter(uses);
  return users.length > 1 ? UNCAUGHT : users[0];
}

/** Answer `/v2.x/allowlists[/name]` as AllowlistHandler does; `name` is the raw path segment. */
export function handleRuntimePolicies(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  name: string | undefined,
) {
  const method = request.method ?? 'GET';
  if (name === undefined) {
    return sendEnvelope(response, 200, 'Success', { 'runtimepolicy names': [...state.runtimePolicies.keys()] });
  }
  const stored = state.runtimePolicies.get(name);
  if (method === 'GET') {
    if (stored === undefined) return sendEnvelope(response, 404, `Runtime policy ${name} not found`);
    // The handler's field loop asks for "tmp_policy" (sic), which the row does not have: null.
    return sendEnvelope(response, 200, 'Success', { name, tmp_policy: null, runtime_policy: stored.imaPolicy });
  }
  if (method === 'DELETE') {
    if (stored === undefined) return sendEnvelope(response, 404, `Runtime policy ${name} not found`);
    const user = inUse(state, (record) => record.runtimePolicyName === name);
    if (user === UNCAUGHT) return sendBare(response, 500);
    if (user !== undefined)
      return sendEnvelope(response, 409, `Can't delete allowlist as it's currently in use by agent ${user.agentId}`);
    state.runtimePolicies.delete(name);
    return sendNoContent(response);
  }
  if (body.length === 0) return sendEnvelope(response, 400, 'Expected non zero content length');
  const json = readObject(body);
  if (json === UNCAUGHT) return sendBare(response, 500);
  const decoded = pythonBase64DecodeText(json.runtime_policy);
  if (!decoded.ok) return sendBare(response, 500);
  const tpmPolicy = typeof json.tpm_policy === 'string' && json.tpm_policy !== '' ? json.tpm_policy : null;
  const checked = checkRuntimePolicyText(decoded.text, tpmPolicy);
  if (checked.kind === 'exception') return sendBare(response, 500);
  if (checked.kind === 'refused') return sendEnvelope(response, checked.code, checked.message);
  if (method === 'POST' && stored !== undefined)
    return sendEnvelope(response, 409, `Runtime policy with name ${name} already exists`);
  if (method === 'PUT' && stored === undefined) {
    return sendEnvelope(response, 404, `Runtime policy with name ${name} does not already exist, use POST to create`);
  }
  // An update without a TPM policy keeps the stored one (the column is left out of the update).
  state.runtimePolicies.set(name, { ...checked.stored, tpmPolicy: tpmPolicy ?? stored?.tpmPolicy ?? null });
  return sendEnvelope(response, 201);
}

/**
 * Answer `/v2.x/mbpolicies[/name]` as MbpolicyHandler does. The policy is stored as sent, without
 * validation (mba.mb_policy_db_contents only assembles the row); a missing one is stored as null.
 */
export function handleMeasuredBootPolicies(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  name: string | undefined,
) {
  const method = request.method ?? 'GET';
  if (name === undefined) {
    return sendEnvelope(response, 200, 'Success', { 'mbpolicy names': [...state.mbPolicies.keys()] });
  }
  const known = state.mbPolicies.has(name);
  if (method === 'GET') {
    if (!known) return sendEnvelope(response, 404, `Measured boot policy ${name} not found`);
    return sendEnvelope(response, 200, 'Success', { name, mb_policy: state.mbPolicies.get(name) ?? null });
  }
  if (method === 'DELETE') {
    if (!known) return sendEnvelope(response, 404, `Measured boot policy ${name} not found`);
    const user = inUse(state, (record) => record.mbPolicyName === name);
    if (user === UNCAUGHT) return sendBare(response, 500);
    if (user !== undefined)
      return sendEnvelope(response, 409, `Can't delete mb_policy as it's currently in use by agent ${user.agentId}`);
    state.mbPolicies.delete(name);
    return sendNoContent(response);
  }
  if (body.length === 0) return sendEnvelope(response, 400, 'Expected non zero content length');
  const json = readObject(body);
  if (json === UNCAUGHT) return sendBare(response, 500);
  const policy = json.mb_policy ?? null;
  if (method === 'POST' && known)
    return sendEnvelope(response, 409, `Measured boot policy with name ${name} already exists`);
  // Keylime answers 409 (not 404) for an update of a policy that does not exist.
  if (method === 'PUT' && !known)
    return sendEnvelope(response, 409, `Measured boot policy with name ${name} does not already exist`);
  // The mb_policy column is text; other JSON types fail in the database layer, uncaught.
  if (policy !== null && typeof policy !== 'string') return sendBare(response, 500);
  state.mbPolicies.set(name, policy);
  return sendEnvelope(response, 201);
}
