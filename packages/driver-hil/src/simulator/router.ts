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
import { python2Order } from './python/python-order.js';
import { requestArguments } from './request-arguments.js';
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
  /** The rule's methods as Flask registers them: HEAD with GET, and OPTIONS always. */
  methods: string[];
}

const API_PREFIX = '/v0';

/**
 * Compile Flask-style paths to patterns, most specific first (werkzeug prefers static text). The
 * converters are werkzeug's: `<name>` is `[^/]+`, `<path:name>` is `[^/].*?`.
 */
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
          return isPath ? '([^/].*?)' : '([^/]+)';
        },
      );
      const methods = route.method === 'GET' ? ['GET', 'HEAD', 'OPTIONS'] : [route.method, 'OPTIONS'];
      return { route, pattern: new RegExp(`^${source}$`), names, staticLength, methods };
    })
    .sort((left, right) => right.staticLength - left.staticLength);
}

/**
 * The path as werkzeug routes it: the WSGI server has already percent-decoded it (so `%2F` is a
 * slash and splits a segment) and werkzeug decodes the bytes as UTF-8, replacing what is not.
 */
function wsgiPath(pathname: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < pathname.length; index += 1) {
    const hex = pathname.slice(index + 1, index + 3);
    if (pathname[index] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(pathname[index]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** werkzeug's `Allow` header: the methods of every rule matching the path, in Python 2 set order. */
function allowHeader(matches: readonly CompiledRoute[]): string {
  return python2Order(matches.flatMap((match) => match.methods)).join(', ');
}

/**
 * Serve HIL's REST API: route as werkzeug does (404, 405 with `Allow`, Flask's automatic OPTIONS
 * and HEAD), validate the arguments (before authentication, as hil/rest.py does), authenticate,
 * call the route, and report errors as HIL does (`{"msg", "type"}` for API errors, werkzeug's
 * HTML page for server errors and for exceptions HIL does not catch).
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

    const decoded = wsgiPath(url.pathname);
    const path = decoded.startsWith(`${API_PREFIX}/`) ? decoded.slice(API_PREFIX.length) : undefined;
    const matches = path === undefined ? [] : compiled.filter((candidate) => candidate.pattern.test(path));
    if (matches.length === 0) {
      sendWerkzeugPage(response, 404);
      return;
    }
    if (method === 'OPTIONS') {
      // Flask answers OPTIONS itself (`make_default_options_response`): no view, no validation, no auth.
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        allow: allowHeader(matches),
        'content-length': 0,
      });
      response.end();
      return;
    }
    const match = matches.find((candidate) => candidate.methods.includes(method));
    if (match === undefined) {
      sendWerkzeugPage(response, 405, undefined, { allow: allowHeader(matches) });
      return;
    }

    try {
      const args = requestArguments(match.route.schema, {
        method,
        url,
        body,
        contentType: request.headers['content-type'],
        pathArgs: extractArgs(match, path!),
      });
      const principal = keystonePrincipal ?? authenticate(request, services, auth);
      const result = await match.route.handler({ args, principal, request, services });
      // For HEAD, Node sends the headers (Content-Length included) and drops the body, as werkzeug does.
      if (result === undefined) sendHilBody(response, undefined);
      else if ('redirect' in result) sendRedirect(response, result.redirect);
      else sendHilBody(response, result.body, result.status ?? 200, result.sortKeys ?? false);
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
    args[name] = groups[index + 1]!;
  });
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
