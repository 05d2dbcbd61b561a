import type { IncomingMessage, ServerResponse } from 'node:http';
import { MeasuredBootPolicySchema } from '../policy/measured-boot-policy.js';
import { RuntimePolicySchema } from '../policy/runtime-policy.js';
import { sendEnvelope, sendNoContent } from './envelope-response.js';
import type { SimulatorState } from './simulator-types.js';

/** A checked runtime policy: its JSON text, or the verifier's 400 message. */
export type RuntimePolicyCheck = { ok: true; text: string } | { ok: false; message: string };

/** Decode a base64 runtime policy and check it as the verifier does (ima.py's JSON schema). */
export function checkRuntimePolicy(base64: string): RuntimePolicyCheck {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch (error) {
    return { ok: false, message: `Runtime policy is malformatted: ${(error as Error).message}` };
  }
  const result = RuntimePolicySchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      ok: false,
      message: `Runtime policy is malformatted: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, text: JSON.stringify(value) };
}

function readJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Answer `/v2.x/allowlists[/name]` as IMAPolicyController (API 2.x) does. */
export function handleRuntimePolicies(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  name: string | undefined,
) {
  const method = request.method ?? 'GET';
  if (name === undefined) {
    if (method !== 'GET') return sendEnvelope(response, 405, 'Method Not Allowed');
    return sendEnvelope(response, 200, 'Success', { 'runtimepolicy names': [...state.runtimePolicies.keys()] });
  }
  const stored = state.runtimePolicies.get(name);
  switch (method) {
    case 'GET':
      if (stored === undefined) return sendEnvelope(response, 404, `Runtime policy ${name} not found`);
      // `tmp_policy` (sic) is what the controller's field loop asks for; it is always null.
      return sendEnvelope(response, 200, 'Success', { name, tmp_policy: null, runtime_policy: stored.runtimePolicy });
    case 'POST':
    case 'PUT': {
      if (body.length === 0) return sendEnvelope(response, 400, 'Expected non zero content length');
      const json = readJson(body);
      if (json === undefined || typeof json.runtime_policy !== 'string') {
        return sendEnvelope(response, 400, 'Runtime policy is malformatted: runtime_policy is missing');
      }
      const checked = checkRuntimePolicy(json.runtime_policy);
      if (!checked.ok) return sendEnvelope(response, 400, checked.message);
      if (method === 'POST' && stored !== undefined)
        return sendEnvelope(response, 409, `Runtime policy with name ${name} already exists`);
      if (method === 'PUT' && stored === undefined) {
        return sendEnvelope(
          response,
          404,
          `Runtime policy with name ${name} does not already exist, use POST to create`,
        );
      }
      const tpmPolicy = typeof json.tpm_policy === 'string' ? json.tpm_policy : null;
      state.runtimePolicies.set(name, { runtimePolicy: checked.text, tpmPolicy });
      return sendEnvelope(response, 201);
    }
    case 'DELETE': {
      if (stored === undefined) return sendEnvelope(response, 404, `Runtime policy ${name} not found`);
      const user = [...state.verifier.values()].find((record) => record.runtimePolicyName === name);
      if (user !== undefined)
        return sendEnvelope(response, 409, `Can't delete allowlist as it's currently in use by agent ${user.agentId}`);
      state.runtimePolicies.delete(name);
      return sendNoContent(response);
    }
    default:
      return sendEnvelope(response, 405, 'Method Not Allowed');
  }
}

/** Answer `/v2.x/mbpolicies[/name]` as MBRefStateController (API 2.x) does. */
export function handleMeasuredBootPolicies(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  name: string | undefined,
) {
  const method = request.method ?? 'GET';
  if (name === undefined) {
    if (method !== 'GET') return sendEnvelope(response, 405, 'Method Not Allowed');
    return sendEnvelope(response, 200, 'Success', { 'mbpolicy names': [...state.mbPolicies.keys()] });
  }
  const stored = state.mbPolicies.get(name);
  switch (method) {
    case 'GET':
      if (stored === undefined) return sendEnvelope(response, 404, `Measured boot policy ${name} not found`);
      return sendEnvelope(response, 200, 'Success', { name, mb_policy: stored });
    case 'POST':
    case 'PUT': {
      if (body.length === 0) return sendEnvelope(response, 400, 'Expected non zero content length');
      const json = readJson(body);
      let policy: unknown;
      try {
        policy = typeof json?.mb_policy === 'string' ? JSON.parse(json.mb_policy) : undefined;
      } catch {
        policy = undefined;
      }
      if (!MeasuredBootPolicySchema.safeParse(policy).success) {
        return sendEnvelope(response, 400, 'Measured boot policy is malformatted: mb_policy must be a JSON object');
      }
      if (method === 'POST' && stored !== undefined)
        return sendEnvelope(response, 409, `Measured boot policy with name ${name} already exists`);
      if (method === 'PUT' && stored === undefined) {
        return sendEnvelope(response, 409, `Measured boot policy with name ${name} does not already exist`);
      }
      state.mbPolicies.set(name, JSON.stringify(policy));
      return sendEnvelope(response, 201);
    }
    case 'DELETE': {
      if (stored === undefined) return sendEnvelope(response, 404, `Measured boot policy ${name} not found`);
      const user = [...state.verifier.values()].find((record) => record.mbPolicyName === name);
      if (user !== undefined)
        return sendEnvelope(response, 409, `Can't delete mb_policy as it's currently in use by agent ${user.agentId}`);
      state.mbPolicies.delete(name);
      return sendNoContent(response);
    }
    default:
      return sendEnvelope(response, 405, 'Method Not Allowed');
  }
}
