import type { IncomingMessage, ServerResponse } from 'node:http';
import { HilApiError, HilServerError, sendHilBody, sendHilError, sendWerkzeugPage } from './api-error.js';
import {
  ANONYMOUS,
  authenticateDatabase,
  authenticateKeystone,
  type KeystoneTokenInfo,
  NULL_AUTH_PRINCIPAL,
  type Principal,
  type SimAuthMode,
} from './auth.js';
import { matchesSchema } from './request-schema.js';
import type { HilRoute, SimServices } from './route-types.js';

/** How the router authenticates. */
export interface RouterAuthOptions {
  mode: SimAuthMode;
  requireAuthentication: boolean;
  keystoneTokens: ReadonlyMap<string, KeystoneTokenInfo>;
}

interface CompiledRoute {
  route: HilRoute;
  pattern: RegExp;
  names: string[];
  staticLength: number;
}

const API_PREFIX = '/v0';

/** Compile Flask-style paths to patterns, most specific first (werkzeug prefers static text). */
function compile(routes: readonly HilRoute[]): CompiledRoute[] {
  return routes
    .map((route) => {
      const names: string[] = [];
      let staticLength = 0;
      const source = route.path.replace(
        /<(path:)?([a-z_]+)>|[^<]+/g,
        (part, isPath: string | undefined, name: string | undefined) => {
          if (name === undefined) {
            staticLength += part.length;
            return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          names.push(name);
          return isPath ? '(.+?)' : '([^/]+)';
        },
      );
      return { route, pattern: new RegExp(`^${source}$`), names, staticLength };
    })
    .sort((left, right) => right.staticLength - left.staticLength);
}

/**
 * Serve HIL's REST API: route, validate the arguments (before authentication, as hil/rest.py
 * does), authenticate, call the route, and report errors as HIL does (`{type, msg}` for API
 * errors, werkzeug's HTML page for server errors, unknown routes and wrong methods).
 */
export function createRouter(routes: readonly HilRoute[], services: SimServices, auth: RouterAuthOptions) {
  const compiled = compile(routes);

  return async (request: IncomingMessage, response: ServerResponse, body: string): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://hil');
    const method = (request.method ?? 'GET').toUpperCase();

    let keystonePrincipal: Principal | undefined;
    if (auth.mode === 'keystone') {
      // keystonemiddleware wraps the whole application: it answers before Flask routes or validates.
      keystonePrincipal = authenticateKeystone(request, auth.keystoneTokens, services.state);
      if (keystonePrincipal === undefined && auth.requireAuthentication) {
        sendKeystoneUnauthorized(response);
        return;
      }
    }

    const path = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : undefined;
    const matches = path === undefined ? [] : compiled.filter((candidate) => candidate.pattern.test(path));
    const match = matches.find((candidate) => candidate.route.method === method);
    if (match === undefined) {
      if (matches.length === 0) sendWerkzeugPage(response, 404);
      else
        sendWerkzeugPage(response, 405, undefined, {
          allow: [...new Set(matches.map((item) => item.route.method))].join(', '),
        });
      return;
    }

    try {
      const pathArgs = extractArgs(match, path!);
      const args = validate(match.route, method, url, body, pathArgs);
      const principal = keystonePrincipal ?? authenticate(request, services, auth);
      const result = await match.route.handler({ args, principal, request, services });
      if (result === undefined) sendHilBody(response, undefined);
      else if ('redirect' in result) sendRedirect(response, result.redirect);
      else sendHilBody(response, result.body, result.status ?? 200);
    } catch (error) {
      if (error instanceof HilApiError) sendHilError(response, error);
      else if (error instanceof HilServerError) sendWerkzeugPage(response, 500, error.message);
      else sendWerkzeugPage(response, 500);
    }
  };
}

function extractArgs(match: CompiledRoute, path: string): Record<string, string> {
  const groups = match.pattern.exec(path)!;
  const args: Record<string, string> = {};
  match.names.forEach((name, index) => {
    args[name] = decodeURIComponent(groups[index + 1]!);
  });
  return args;
}

/** hil/rest.py `_do_validation`: GET takes the query string, other methods a JSON object body. */
function validate(
  route: HilRoute,
  method: string,
  url: URL,
  body: string,
  pathArgs: Record<string, string>,
): Record<string, unknown> {
  // Built only when needed: an Error captures a stack trace, which is not free on every request.
  const invalid = (): HilApiError =>
    new HilApiError('ValidationError', 'Request arguments are not valid for this request');
  let args: Record<string, unknown> = {};
  if (method === 'GET') {
    if (body !== '') throw new HilApiError('ValidationError', 'GET request made with a non-empty request body');
    for (const [key, value] of url.searchParams) {
      if (Object.hasOwn(args, key)) throw new HilApiError('ValidationError', 'Parameter specified more than once');
      if (value === '') throw new HilApiError('ValidationError', 'Empty parameter specified');
      args[key] = value;
    }
  } else if (body !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new HilApiError('ValidationError', 'The request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
    args = { ...(parsed as Record<string, unknown>) };
  }
  for (const [key, value] of Object.entries(pathArgs)) {
    if (Object.hasOwn(args, key)) throw invalid();
    args[key] = value;
  }
  if (!matchesSchema(route.schema, args)) throw invalid();
  return args;
}

/** hil/rest.py `init_auth`. */
function authenticate(request: IncomingMessage, services: SimServices, auth: RouterAuthOptions): Principal {
  if (auth.mode === 'null') return NULL_AUTH_PRINCIPAL;
  const principal = authenticateDatabase(request, services.state);
  if (principal !== undefined) return principal;
  if (auth.requireAuthentication) {
    throw new HilApiError(
      'AuthorizationError',
      'Authentication failed. Authentication is required to use this service.',
    );
  }
  return ANONYMOUS;
}

/** Flask's `redirect(url, code=307)`: the Location header and werkzeug's small HTML body. */
function sendRedirect(response: ServerResponse, location: string): void {
  const escaped = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const text = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to target URL: <a href="${escaped}">${escaped}</a>.  If not click the link.`;
  response.writeHead(307, {
    location,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** keystonemiddleware's refusal of a missing or invalid token. */
function sendKeystoneUnauthorized(response: ServerResponse): void {
  const text = JSON.stringify({
    error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
  });
  response.writeHead(401, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'www-authenticate': 'Keystone uri="http://127.0.0.1:5000/v3"',
  });
  response.end(text);
}
