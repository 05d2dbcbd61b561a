import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { type ArmedFault, applyFault, type Fault, type FaultMatch, takeFault } from './faults.js';

/**
 * Answers one request. `body` is the whole request body as UTF-8 text. It may return a promise;
 * a rejection becomes a 500 answer. Any other return value is ignored.
 */
export type TestRequestHandler = (request: IncomingMessage, response: ServerResponse, body: string) => unknown;

/** A request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The query string's parameters; a repeated parameter keeps its first value. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client certificate's subject CN, when the client presented one over TLS. */
  clientCertificateSubject?: string;
}

/** TLS settings: PEM texts. With `requestCert`, a client certificate signed by `ca` is required. */
export interface TestServerTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer;
  requestCert?: boolean;
}

/** Options of {@link createTestServer}. */
export interface TestServerOptions {
  /** Answers requests no route matches. Without it they get a JSON 404. */
  handler?: TestRequestHandler;
  /** Serve HTTPS instead of HTTP. */
  tls?: TestServerTlsOptions;
}

/** A running loopback server; see {@link createTestServer}. */
export interface TestServer {
  /** Base URL to hand a client, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** The server's origin (scheme, host and port), for origin comparisons. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in order, including those a fault answered. */
  readonly requests: RecordedRequest[];
  /** Open sockets; `close()` destroys them so it never waits on a hanging request. */
  readonly sockets: ReadonlySet<Socket>;
  /**
   * Answer `method` (or `*`) on a path (exact, without query) or pattern. Routes added later win
   * over earlier ones, so a test can override one route of a simulator.
   */
  route(method: string, path: string | RegExp, handler: TestRequestHandler): void;
  /** Arm a fault for the next matching request(s). Faults are tried in the order injected. */
  inject(fault: Fault, match?: FaultMatch): void;
  /** Disarm all faults. */
  clearFaults(): void;
  /** Forget recorded requests, faults and routes (the fallback handler stays). */
  reset(): void;
  /** Stop listening and destroy every open socket. */
  close(): Promise<void>;
}

interface Route {
  method: string;
  path: string | RegExp;
  handler: TestRequestHandler;
}

/**
 * Start a loopback HTTP(S) server on 127.0.0.1 and a free port that records requests, answers by
 * route or fallback handler, and injects faults (latency, error status, reset, truncated or slow
 * body, hang). Driver simulators are built on it.
 *
 * @example
 * ```ts
 * const server = await createTestServer();
 * server.route('GET', '/nodes', (_request, response) => sendJson(response, 200, ['n1']));
 * server.inject({ kind: 'status', status: 503, times: 1 });
 * // … first GET /nodes gets 503, the next gets ["n1"]
 * await server.close();
 * ```
 */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let routes: Route[] = [];
  let faults: ArmedFault[] = [];

  const timerScope = {
    delay: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
  };

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void answer(request, response, body).catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        sendJson(response, 500, { error: `test server handler failed: ${String(error)}` });
      });
    });
  };

  const answer = async (request: IncomingMessage, response: ServerResponse, body: string): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://test-server');
    const method = request.method ?? 'GET';
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries([...url.searchParams.entries()].reverse()),
      headers: request.headers,
      body,
    };
    const subject = (request.socket as Partial<TLSSocket>).getPeerCertificate?.()?.subject?.CN;
    if (typeof subject === 'string') recorded.clientCertificateSubject = subject;
    requests.push(recorded);

    const fault = takeFault(faults, method, url.pathname);
    if (fault !== undefined && (await applyFault(fault, response, timerScope))) return;
    if (response.destroyed) return;

    const route = findRoute(routes, method, url.pathname);
    if (route !== undefined) {
      await route.handler(request, response, body);
      return;
    }
    if (options.handler !== undefined) {
      await options.handler(request, response, body);
      return;
    }
    sendJson(response, 404, { error: `test server: no route for ${method} ${url.pathname}` });
  };

  const tls = options.tls;
  const server: Server =
    tls === undefined
      ? createHttpServer(listener)
      : createHttpsServer(
          {
            key: tls.key,
            cert: tls.cert,
            ca: tls.ca,
            requestCert: tls.requestCert ?? false,
            rejectUnauthorized: tls.requestCert ?? false,
          },
          listener,
        );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that resets during the TLS handshake must not crash the test process.
  server.on('tlsClientError', () => {});
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('test server: no TCP address');
  const origin = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${address.port}`;

  return {
    url: origin,
    origin,
    port: address.port,
    requests,
    sockets,
    route(method, path, handler) {
      routes = [{ method: method.toUpperCase(), path, handler }, ...routes];
    },
    inject(fault, match) {
      faults.push({ fault, match, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults = [];
    },
    reset() {
      requests.length = 0;
      faults = [];
      routes = [];
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function findRoute(routes: readonly Route[], method: string, path: string): Route | undefined {
  return routes.find(
    (route) =>
      (route.method === '*' || route.method === method.toUpperCase()) &&
      (typeof route.path === 'string' ? route.path === path : route.path.test(path)),
  );
}

/**
 * Answer with a JSON body (or no body when `body` is undefined), setting Content-Type and
 * Content-Length.
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
