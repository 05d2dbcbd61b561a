import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendBare, sendEnvelope } from './envelope-response.js';
import { matchRoute, type RouteSpec, rawPathOf, versionScoped } from './route-table.js';
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

/** RegistrarAgent.render(): these fields, in this order, with the id first. */
export function renderRegistrarRecord(agentId: string, record: RegistrarRecord): Record<string, unknown> {
  return {
    agent_id: agentId,
    ek_tpm: record.ek_tpm,
    ekcert: record.ekcert,
    aik_tpm: record.aik_tpm,
    mtls_cert: record.mtls_cert,
    ip: record.ip,
    port: record.port,
    regcount: record.regcount,
  };
}

type Action = 'version' | 'index' | 'show' | 'delete' | 'agent-registration';

const route = (method: string, pattern: string, action: Action): RouteSpec<Action> => ({ method, pattern, action });

/** keylime/web/registrar_server.py `_routes`. */
const REGISTRAR_ROUTES: readonly RouteSpec<Action>[] = [
  ...versionScoped(2, [
    route('GET', '/agents', 'index'),
    route('GET', '/agents/:agent_id', 'show'),
    route('DELETE', '/agents/:agent_id', 'delete'),
    // Registration and activation are the agents' own calls (TPM credential activation).
    route('POST', '/agents', 'agent-registration'),
    route('POST', '/agents/:agent_id/activate', 'agent-registration'),
    route('POST', '/agents/:agent_id', 'agent-registration'),
    route('PUT', '/agents/:agent_id/activate', 'agent-registration'),
    route('PUT', '/agents/:agent_id', 'agent-registration'),
  ]),
  route('GET', '/version', 'version'),
];

/**
 * Answer one request on the registrar's TLS (admin) port as its AgentsController does. The
 * registrar checks no API version beyond the route's major version, and answers with the web
 * framework's writer (`json.dumps(…, indent=4)`).
 */
export function handleRegistrarRequest(
  state: SimulatorState,
  versions: { current: string; supported: readonly string[] },
  request: IncomingMessage,
  response: ServerResponse,
) {
  const match = matchRoute(REGISTRAR_ROUTES, request.method ?? 'GET', rawPathOf(request.url));
  if (match.kind === 'not-found') return sendBare(response, 404);
  if (match.kind === 'method-not-allowed') return sendBare(response, 405);
  if (match.kind === 'invalid-path') return sendBare(response, 500);
  const send = (code: number, status?: string, results?: unknown) =>
    sendEnvelope(response, code, status, results, 'controller');
  const agentId = match.params.agent_id ?? '';
  const record = state.registrar.get(agentId);
  switch (match.action) {
    case 'version':
      return send(200, 'Success', { current_version: versions.current, supported_versions: [...versions.supported] });
    case 'index':
      return send(200, 'Success', { uuids: [...state.registrar.keys()] });
    case 'show':
      if (record === undefined) return send(404, `Agent with ID '${agentId}' not found`);
      if (!record.active) return send(404, `Agent with ID '${agentId}' has not been activated`);
      return send(200, 'Success', renderRegistrarRecord(agentId, record));
    case 'delete':
      if (record === undefined) return send(404, `Agent with ID '${agentId}' not found`);
      state.registrar.delete(agentId);
      return send(200, 'Success');
    case 'agent-registration':
      // Not simulated: agents are registered through the simulator's options and scriptAgent.
      return sendBare(response, 501);
  }
}
