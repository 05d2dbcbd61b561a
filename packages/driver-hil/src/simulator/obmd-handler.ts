import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TestRequestHandler } from '@ocx/core/simulation';
import type { ObmdNode, SimState } from './state.js';

const BOOT_DEVICES = new Set(['pxe', 'disk', 'none']);

function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendJsonBody(response: ServerResponse, body: unknown): void {
  sendText(response, 200, JSON.stringify(body), 'application/json');
}

function basicPassword(request: IncomingMessage): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 || decoded.slice(0, colon) !== 'admin' ? undefined : decoded.slice(colon + 1);
}

function parseBody(body: string): Record<string, unknown> | undefined {
  if (body === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * OBMd's node API (CCI-MOC/obmd README), served on its own loopback server: HIL gets a token with
 * the node's admin token, and power calls carry that token in the `token` query parameter. It is
 * the server's fallback handler, so a test's `server.reset()` keeps it.
 */
export function createObmdHandler(state: SimState): TestRequestHandler {
  const nodeFor = (label: string): ObmdNode => {
    let node = state.obmd.get(label);
    if (node === undefined) {
      node = { label, adminToken: '', power: 'off', bootdev: 'disk', token: undefined, console: [] };
      state.obmd.set(label, node);
    }
    return node;
  };

  return (request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://obmd');
    const match = /^\/node\/([^/]+)\/([a-z_]+)$/.exec(url.pathname);
    if (match === null) return sendText(response, 404, '404 page not found\n');
    const [, rawLabel, operation] = match;
    const label = decodeURIComponent(rawLabel!);
    const method = request.method ?? 'GET';
    const node = nodeFor(label);

    if (operation === 'token') {
      const password = basicPassword(request);
      // The first admin token presented for a label becomes that node's (HIL registered it so).
      if (node.adminToken === '' && password !== undefined) node.adminToken = password;
      if (password === undefined || password !== node.adminToken) return sendText(response, 401, 'Unauthorized\n');
      if (method === 'POST') {
        node.token = randomBytes(16).toString('hex');
        return sendJsonBody(response, { token: node.token });
      }
      if (method === 'DELETE') {
        node.token = undefined;
        return sendText(response, 200, '');
      }
      return sendText(response, 405, 'Method Not Allowed\n');
    }

    const token = url.searchParams.get('token');
    if (node.token === undefined || token !== node.token) return sendText(response, 401, 'Unauthorized\n');
    const args = parseBody(body);
    if (args === undefined) return sendText(response, 400, 'Bad Request: invalid JSON body\n');

    const route = `${method} ${operation}`;
    switch (route) {
      case 'POST power_cycle':
        node.console.push(
          `[obmd] power cycle (${args.force === true ? 'forced' : 'soft'}), booting from ${node.bootdev}`,
        );
        node.power = 'on';
        return sendText(response, 200, '');
      case 'POST power_on':
        node.console.push(`[obmd] power on, booting from ${node.bootdev}`);
        node.power = 'on';
        return sendText(response, 200, '');
      case 'POST power_off':
        node.console.push('[obmd] power off');
        node.power = 'off';
        return sendText(response, 200, '');
      case 'PUT boot_device':
        if (typeof args.bootdev !== 'string' || !BOOT_DEVICES.has(args.bootdev)) {
          return sendText(response, 400, 'Bad Request: unknown boot device\n');
        }
        node.bootdev = args.bootdev;
        return sendText(response, 200, '');
      case 'GET power_status':
        return sendJsonBody(response, { power_status: node.power });
      case 'GET console':
        return sendText(response, 200, node.console.map((line) => `${line}\n`).join(''));
      default:
        return sendText(response, 404, '404 page not found\n');
    }
  };
}
