import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { pythonJsonDumps } from './python-json.js';

/**
 * Which of Keylime's two writers produced an answer: the v2 request handlers of
 * cloud_verifier_tornado (`web_util.echo_json_response`: `json.dumps(body)`) or the web
 * framework's `Controller.respond` (`json.dumps(body, indent=4)`; the registrar, v3 stubs).
 */
export type EnvelopeWriter = 'handler' | 'controller';

/**
 * Answer with Keylime's envelope `{code, status, results}`: the status text defaults to the HTTP
 * reason phrase and results to `{}` (a falsy `results` is `{}` for the controller writer too).
 */
export function sendEnvelope(
  response: ServerResponse,
  code: number,
  status?: string,
  results?: unknown,
  writer: EnvelopeWriter = 'handler',
) {
  const body = { code, status: status ?? STATUS_CODES[code] ?? 'Unknown', results: results ?? {} };
  const text = writer === 'handler' ? pythonJsonDumps(body) : pythonJsonDumps(body, 4);
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * Answer without a body, as the web framework's DefaultController does (`send_response(code)`:
 * no route 404, wrong method 405, an exception in an action 500). Tornado's default content type
 * stays on the response.
 */
export function sendBare(response: ServerResponse, code: number) {
  response.writeHead(code, { 'content-type': 'text/html; charset=UTF-8', 'content-length': 0 });
  response.end();
}

/** Answer 204 without a body, as the policy routes' DELETE does (Tornado drops the content type). */
export function sendNoContent(response: ServerResponse) {
  response.writeHead(204);
  response.end();
}

/** A redirect as Tornado's `RequestHandler.redirect` sends it (302, no body). */
export function sendRedirect(response: ServerResponse, location: string) {
  response.writeHead(302, { location, 'content-type': 'text/html; charset=UTF-8', 'content-length': 0 });
  response.end();
}
