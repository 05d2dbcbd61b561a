import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

/**
 * Answer as Keylime does (web_util `echo_json_response`): `{code, status, results}` with the
 * status text defaulting to the HTTP reason phrase and results to `{}`.
 */
export function sendEnvelope(response: ServerResponse, code: number, status?: string, results?: unknown) {
  const body = JSON.stringify({ code, status: status ?? STATUS_CODES[code] ?? 'Unknown', results: results ?? {} });
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** Answer 204 without a body, as the policy routes' DELETE does. */
export function sendNoContent(response: ServerResponse) {
  response.writeHead(204);
  response.end();
}
