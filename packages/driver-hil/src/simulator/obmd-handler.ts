import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TestRequestHandler } from '@ocx/core/simulation';
import type { ObmdNode, SimState } from './state.js';

/** The ipmi driver's boot devices (internal/driver/ipmi `SetBootdev`). */
const BOOT_DEVICES = new Set(['pxe', 'disk', 'none']);
const TOKEN = /^[0-9a-fA-F]{32}$/;

interface ObmdRoute {
  method: string;
  /** Path below `/node/{node_id}`: '' for the node itself. */
  operation: string;
  admin: boolean;
}

const ROUTES: readonly ObmdRoute[] = [
  { method: 'PUT', operation: '', admin: true },
  { method: 'DELETE', operation: '', admin: true },
  { method: 'POST', operation: '/token', admin: true },
  { method: 'DELETE', operation: '/token', admin: true },
  { method: 'GET', operation: '/console', admin: false },
  { method: 'POST', operation: '/power_cycle', admin: false },
  { method: 'POST', operation: '/power_on', admin: false },
  { method: 'POST', operation: '/power_off', admin: false },
  { method: 'PUT', operation: '/boot_device', admin: false },
  { method: 'GET', operation: '/power_status', admin: false },
];

/** `w.WriteHeader(status)` with nothing written: Go sends no Content-Type and an empty body. */
function sendStatus(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'content-length': 0 });
  response.end();
}

/** `json.NewEncoder(w).Encode(value)`: compact JSON and a newline. */
function sendJson(response: ServerResponse, value: unknown): void {
  const text = `${JSON.stringify(value)}\n`;
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** gorilla/mux's answer when nothing matches: Go's `http.NotFound`. */
function sendNotFound(response: ServerResponse): void {
  const text = '404 page not found\n';
  response.writeHead(404, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** The admin matcher: Basic `admin:<AdminToken>`; anything else makes the admin routes not match. */
function isAdmin(request: IncomingMessage, adminToken: string): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
  if (match === null) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.slice(0, colon) !== 'admin') return false;
  const password = decoded.slice(colon + 1);
  return TOKEN.test(password) && password.toLowerCase() === adminToken.toLowerCase();
}

/** `json.NewDecoder(body).Decode(&args)`: an empty or malformed body, or a wrongly typed field, fails. */
function decodeArgs(body: string, field: string, type: 'boolean' | 'string'): { value?: unknown } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const value = (parsed as Record<string, unknown>)[field];
  if (value !== undefined && value !== null && typeof value !== type) return undefined;
  return { value: value ?? undefined };
}

/**
 * OBMd (CCI-MOC/obmd http.go, daemon.go, token/token.go) on its own loopback server. One admin
 * token per OBMd, checked by a route matcher (a wrong one is a 404, not a 401); per node, HIL gets
 * a token that power calls carry in `?token=`: a malformed token is a 401, then the body is
 * decoded (400), then an unknown node is a 404 and a stale token a 401. Errors are bare statuses
 * with empty bodies, as Go's `WriteHeader` sends them. The console is a finite log here, where
 * OBMd streams until the client hangs up.
 */
export function createObmdHandler(state: SimState): TestRequestHandler {
  return (request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://obmd');
    const match = /^\/node\/([^/]+)(\/[a-z_]+)?$/.exec(url.pathname);
    const method = request.method ?? 'GET';
    const admin = isAdmin(request, state.obmdAdminToken);
    const candidates =
      match === null ? [] : ROUTES.filter((route) => route.operation === (match[2] ?? '') && (admin || !route.admin));
    if (candidates.length === 0) return sendNotFound(response);
    const route = candidates.find((candidate) => candidate.method === method);
    if (route === undefined) return sendStatus(response, 405);
    const label = decodeURIComponent(match![1]!);
    const node = state.obmd.get(label);

    if (route.admin) {
      if (route.operation === '' && method === 'PUT') {
        if (node !== undefined) return sendStatus(response, 500); // ErrNodeExists is not mapped: a 500.
        state.obmd.set(label, { label, power: 'off', bootdev: 'disk', token: undefined, console: [] });
        return sendStatus(response, 200);
      }
      if (node === undefined) return sendStatus(response, 404);
      if (route.operation === '') state.obmd.delete(label);
      else if (method === 'POST') {
        node.token = randomBytes(16).toString('hex');
        return sendJson(response, { token: node.token });
      } else node.token = undefined;
      return sendStatus(response, 200);
    }

    const token = url.searchParams.get('token') ?? '';
    if (!TOKEN.test(token)) return sendStatus(response, 401);
    let args: { value?: unknown } = {};
    if (route.operation === '/power_cycle' || route.operation === '/boot_device') {
      const decoded =
        route.operation === '/power_cycle'
          ? decodeArgs(body, 'force', 'boolean')
          : decodeArgs(body, 'bootdev', 'string');
      if (decoded === undefined) return sendStatus(response, 400);
      args = decoded;
    }
    if (node === undefined) return sendStatus(response, 404);
    if (node.token === undefined || node.token.toLowerCase() !== token.toLowerCase()) return sendStatus(response, 401);
    return operate(response, node, route.operation, args.value);
  };
}

function operate(response: ServerResponse, node: ObmdNode, operation: string, value: unknown): void {
  switch (operation) {
    case '/power_cycle':
      node.console.push(`[obmd] power cycle (${value === true ? 'forced' : 'soft'}), booting from ${node.bootdev}`);
      node.power = 'on';
      sendStatus(response, 200);
      return;
    case '/power_on':
      node.console.push(`[obmd] power on, booting from ${node.bootdev}`);
      node.power = 'on';
      sendStatus(response, 200);
      return;
    case '/power_off':
      node.console.push('[obmd] power off');
      node.power = 'off';
      sendStatus(response, 200);
      return;
    case '/boot_device':
      if (typeof value !== 'string' || !BOOT_DEVICES.has(value)) {
        sendStatus(response, 400);
        return;
      }
      node.bootdev = value;
      sendStatus(response, 200);
      return;
    case '/power_status':
      sendJson(response, { power_status: node.power });
      return;
    default: {
      const text = node.console.map((line) => `${line}\n`).join('');
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
    }
  }
}
