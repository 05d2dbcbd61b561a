import type { IncomingMessage, ServerResponse } from 'node:http';
import { addAgent } from './add-agent.js';
import { sendBare, sendEnvelope, sendRedirect } from './envelope-response.js';
import type { AdvertisedVersions } from './keylime-releases.js';
import { matchRoute, type RouteSpec, rawPathOf, versionScoped } from './route-table.js';
import { handleMeasuredBootPolicies, handleRuntimePolicies } from './stored-policies.js';
import { deleteAgent, listAgents, putAgent, showAgent, type VerifierContext } from './verifier-agent-routes.js';

/** What a verifier route leads to. */
export type VerifierAction =
  | 'root'
  | 'version'
  | 'versions'
  | 'v2-root'
  | 'v3-root'
  | 'agents'
  | 'agent'
  | 'add-agent'
  | 'delete-agent'
  | 'reactivate'
  | 'stop'
  | 'allowlists'
  | 'mbpolicies'
  | 'v3-stub'
  | 'not-simulated';

const route = (method: string, pattern: string, action: VerifierAction): RouteSpec<VerifierAction> => ({
  method,
  pattern,
  action,
});

/** keylime/web/verifier_server.py `_routes` in pull mode, in its order. */
export const VERIFIER_ROUTES: readonly RouteSpec<VerifierAction>[] = [
  route('GET', '/', 'root'),
  route('GET', '/versions', 'versions'),
  route('GET', '/version', 'version'),
  ...versionScoped(2, [
    route('GET', '/', 'v2-root'),
    route('GET', '/agents', 'agents'),
    route('GET', '/agents/:agent_id', 'agent'),
    route('DELETE', '/agents/:agent_id', 'delete-agent'),
    route('POST', '/agents/:agent_id', 'add-agent'),
    route('PUT', '/agents/:agent_id/reactivate', 'reactivate'),
    route('PUT', '/agents/:agent_id/stop', 'stop'),
    route('GET', '/mbpolicies', 'mbpolicies'),
    route('POST', '/mbpolicies/:name', 'mbpolicies'),
    route('GET', '/mbpolicies/:name', 'mbpolicies'),
    route('PUT', '/mbpolicies/:name', 'mbpolicies'),
    route('DELETE', '/mbpolicies/:name', 'mbpolicies'),
    route('GET', '/allowlists', 'allowlists'),
    route('GET', '/allowlists/:name', 'allowlists'),
    route('POST', '/allowlists/:name', 'allowlists'),
    route('PUT', '/allowlists/:name', 'allowlists'),
    route('DELETE', '/allowlists/:name', 'allowlists'),
    route('GET', '/verify/identity', 'not-simulated'),
    route('POST', '/verify/evidence', 'not-simulated'),
  ]),
  ...versionScoped(3, [
    route('GET', '/', 'v3-root'),
    route('GET', '/agents', 'v3-stub'),
    route('GET', '/agents/:agent_id', 'v3-stub'),
    route('DELETE', '/agents/:agent_id', 'v3-stub'),
    route('POST', '/agents', 'v3-stub'),
    route('PATCH', '/agents/:agent_id', 'v3-stub'),
    ...['refstates/uefi', 'policies/ima'].flatMap((base) => [
      route('GET', `/${base}`, 'v3-stub'),
      route('POST', `/${base}`, 'v3-stub'),
      route('GET', `/${base}/:name`, 'v3-stub'),
      route('PATCH', `/${base}/:name`, 'v3-stub'),
      route('DELETE', `/${base}/:name`, 'v3-stub'),
    ]),
    route('POST', '/verify/evidence', 'not-simulated'),
    route('POST', '/sessions', 'not-simulated'),
    route('PATCH', '/sessions/:session_id', 'not-simulated'),
    route('GET', '/agents/:agent_id/session/:token', 'not-simulated'),
    route('POST', '/agents/:agent_id/session', 'not-simulated'),
    route('PATCH', '/agents/:agent_id/session/:token', 'not-simulated'),
  ]),
];

/** What the verifier front door needs: the agent routes' context and the API versions it knows. */
export interface VerifierRouterContext extends VerifierContext {
  versions: AdvertisedVersions;
}

/**
 * web_util.get_restful_params + validate_api_version: the `v…` segment, normalised as
 * api_version.normalize_version does (`v2` is the latest 2.x), must be a known version.
 */
export function supportsApiVersion(segment: string | undefined, supported: readonly string[]): boolean {
  const match = /^v?(\d+(?:\.\d+)*)$/.exec(segment ?? '');
  if (match === null) return false;
  const parts = match[1]!.split('.').map((part) => String(Number(part)));
  if (parts.length > 1) return supported.includes(parts.join('.'));
  const minors = supported.filter((version) => version.startsWith(`${parts[0]}.`));
  return minors.length > 0;
}

/** Answer one request as the verifier's ActionHandler does (route, then the v2 handler). */
export function handleVerifierRequest(
  context: VerifierRouterContext,
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
) {
  const path = rawPathOf(request.url);
  const match = matchRoute(VERIFIER_ROUTES, request.method ?? 'GET', path);
  if (match.kind === 'not-found') return sendBare(response, 404);
  if (match.kind === 'method-not-allowed') return sendBare(response, 405);
  if (match.kind === 'invalid-path') return sendBare(response, 500);
  const { action, params } = match;
  switch (action) {
    case 'root':
      // ServerInfoController.show_root sends v3-aware clients to the latest 3.x root.
      return sendRedirect(response, '/v3.0/');
    case 'version':
      return sendEnvelope(response, 200, 'Success', {
        current_version: context.versions.current,
        supported_versions: [...context.versions.supported],
      });
    case 'versions':
      // VersionHandler looks for a "version" path token, which "/versions" does not have.
      return sendEnvelope(response, 400, 'URI not supported');
    case 'v2-root':
      return sendEnvelope(response, 405, 'Not Implemented: Use /agents/ interface instead');
    case 'v3-root':
      return sendEnvelope(response, 200, undefined, undefined, 'controller');
    case 'v3-stub':
      return sendEnvelope(response, 404, undefined, undefined, 'controller');
    case 'not-simulated':
      return sendBare(response, 501);
    default:
      break;
  }
  if (!supportsApiVersion(path.split('/')[1], context.versions.supported)) {
    return sendEnvelope(response, 400, 'API Version not supported');
  }
  return answerVersionedAction(context, action, params, request, response, body);
}

/** The v2 agent and policy handlers, once the route and the API version are known to be good. */
export function answerVersionedAction(
  context: VerifierRouterContext,
  action: VerifierAction,
  params: Record<string, string>,
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
) {
  switch (action) {
    case 'agents':
      return listAgents(context, request, response);
    case 'agent':
      return showAgent(context, response, params.agent_id!);
    case 'delete-agent':
      return deleteAgent(context, response, params.agent_id!);
    case 'add-agent':
      return addAgent(context, response, params.agent_id!, body);
    case 'reactivate':
    case 'stop':
      return putAgent(context, response, params.agent_id!, action);
    case 'allowlists':
      return handleRuntimePolicies(context.state, request, response, body, params.name);
    case 'mbpolicies':
      return handleMeasuredBootPolicies(context.state, request, response, body, params.name);
    default:
      return sendBare(response, 501);
  }
}
