import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendEnvelope } from './envelope-response.js';
import type { RegistrarRecord, SimulatorState } from './simulator-types.js';

/** Stable stand-in bytes for a TPM key: the same agent always gets the same key. */
function pseudoKey(agentId: string, label: string, bytes: number): string {
  const chunks: Buffer[] = [];
  for (let index = 0; Buffer.concat(chunks).length < bytes; index += 1) {
    chunks.push(createHash('sha256').update(`${label}:${agentId}:${index}`).digest());
  }
  return Buffer.concat(chunks).subarray(0, bytes).toString('base64');
}

/**
 * The registrar's record of an agent that registered and activated: an AK and EK (TPM2B_PUBLIC
 * sized stand-ins, base64), an EK certificate, and the agent's mTLS certificate (PEM).
 */
export function createRegistrarRecord(
  agentId: string,
  options: { ip: string; port: number; mtlsCert: string; active: boolean },
): RegistrarRecord {
  return {
    aik_tpm: pseudoKey(agentId, 'aik', 280),
    ek_tpm: pseudoKey(agentId, 'ek', 314),
    ekcert: pseudoKey(agentId, 'ekcert', 1053),
    mtls_cert: options.mtlsCert,
    ip: options.ip,
    port: options.port,
    regcount: 1,
    active: options.active,
  };
}

/** Answer `/v2.x/agents[/uuid]` on the registrar's TLS port (web/registrar/agents_controller.py). */
export function handleRegistrarAgents(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  segments: readonly string[],
) {
  const method = request.method ?? 'GET';
  const [, agentId, extra] = segments;
  if (agentId === undefined) {
    if (method !== 'GET') return sendEnvelope(response, 405, 'Method Not Allowed');
    return sendEnvelope(response, 200, 'Success', { uuids: [...state.registrar.keys()] });
  }
  if (extra !== undefined) return sendEnvelope(response, 404, 'Not Found');
  const record = state.registrar.get(agentId);
  switch (method) {
    case 'GET': {
      if (record === undefined) return sendEnvelope(response, 404, `Agent with ID '${agentId}' not found`);
      if (!record.active) return sendEnvelope(response, 404, `Agent with ID '${agentId}' has not been activated`);
      const { active: _active, ...shown } = record;
      return sendEnvelope(response, 200, 'Success', shown);
    }
    case 'DELETE':
      if (record === undefined) return sendEnvelope(response, 404, `Agent with ID '${agentId}' not found`);
      state.registrar.delete(agentId);
      return sendEnvelope(response, 200, 'Success');
    default:
      return sendEnvelope(response, 405, 'Method Not Allowed');
  }
}
