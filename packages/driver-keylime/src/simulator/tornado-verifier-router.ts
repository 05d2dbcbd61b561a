import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendBare, sendEnvelope } from './envelope-response.js';
import { matchRoute, rawPathOf } from './route-table.js';
import {
  answerVersionedAction,
  supportsApiVersion,
  VERIFIER_ROUTES,
  type VerifierRouterContext,
} from './verifier-router.js';

/**
 * cloud_verifier_tornado.py `get_app` of Keylime 7.13: Tornado tries these patterns (anchored) in
 * order; the last, `.*`, is `MainHandler`.
 */
const HANDLERS = [
  { pattern: /^\/v?[0-9]+(?:\.[0-9]+)?\/agents\/.*$/, handler: 'agents' },
  { pattern: /^\/v?[0-9]+(?:\.[0-9]+)?\/allowlists\/.*$/, handler: 'allowlists' },
  { pattern: /^\/v?[0-9]+(?:\.[0-9]+)?\/mbpolicies\/.*$/, handler: 'mbpolicies' },
  { pattern: /^\/versions?$/, handler: 'version' },
  { pattern: /^\/v?[0-9]+(?:\.[0-9]+)?\/verify\/(?:identity|evidence)$/, handler: 'verify' },
] as const;

/** The methods each handler class defines; any other is Tornado's 405. */
const DEFINED = new Set(['GET', 'HEAD', 'DELETE', 'POST', 'PUT']);

const MAIN_HANDLER_TEXT = 'Not Implemented: Use /agents/ interface instead';
const VERSION_HANDLER_TEXT = 'Not Implemented: Use GET interface instead';

/**
 * Tornado's own error page, for a method a plain `RequestHandler` (MainHandler) does not define:
 * `RequestHandler.write_error` writes this HTML.
 */
function sendTornadoPage(response: ServerResponse, code: number, reason: string) {
  const text = `<html><title>${code}: ${reason}</title><body>${code}: ${reason}</body></html>`;
  response.writeHead(code, { 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * Answer one request as a Keylime 7.13 verifier does: `MainHandler` for `/`, unknown paths and
 * paths such as `/v2.4/agents` (no trailing slash), each with a 405 envelope; `VersionHandler`
 * for `/version` and `/versions`; the agent and policy handlers check the API version first
 * (`web_util.validate_api_version`: 400 "API Version not supported", e.g. for `/v3.0/…`).
 * Methods a handler does not define get `BaseHandler.write_error`'s envelope (or, for
 * MainHandler, Tornado's page).
 */
export function handleTornadoVerifierRequest(
  context: VerifierRouterContext,
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
) {
  const method = (request.method ?? 'GET').toUpperCase();
  const path = rawPathOf(request.url);
  const handler = HANDLERS.find((candidate) => candidate.pattern.test(path))?.handler ?? 'main';
  if (!DEFINED.has(method)) {
    if (handler === 'main') return sendTornadoPage(response, 405, 'Method Not Allowed');
    return sendEnvelope(response, 405, 'Method Not Allowed');
  }
  if (handler === 'main') return sendEnvelope(response, 405, MAIN_HANDLER_TEXT);
  if (handler === 'version') {
    if (method !== 'GET') return sendEnvelope(response, 405, VERSION_HANDLER_TEXT);
    // get_restful_params names tokens by themselves: "/versions" has no "version" token.
    if (path === '/versions') return sendEnvelope(response, 400, 'URI not supported');
    return sendEnvelope(response, 200, 'Success', {
      current_version: context.versions.current,
      supported_versions: [...context.versions.supported],
    });
  }
  if (handler === 'verify') return sendBare(response, 501);
  if (method === 'HEAD') {
    // AgentsHandler.head and AllowlistHandler.head; MbpolicyHandler words it as the allowlist one.
    if (handler === 'agents') return sendEnvelope(response, 405, 'HEAD not supported');
    return sendEnvelope(
      response,
      400,
      `${handler === 'allowlists' ? 'Allowlist' : 'Mbpolicy'} handler: HEAD Not Implemented`,
    );
  }
  if (!supportsApiVersion(path.split('/')[1], context.versions.supported)) {
    return sendEnvelope(response, 400, 'API Version not supported');
  }
  // The handlers read tokens, whatever the (supported) version: match the action as a 2.x path.
  const match = matchRoute(VERIFIER_ROUTES, method, path.replace(/^\/[^/]+/, '/v2.0'));
  if (match.kind !== 'found') {
    // __validate_input: a path whose tokens name no agent (or no policy) action.
    return sendEnvelope(response, 400, handler === 'agents' ? 'uri not supported' : 'Invalid URL');
  }
  return answerVersionedAction(context, match.action, match.params, request, response, body);
}
