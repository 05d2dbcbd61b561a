import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OcxError, parseWith, redactingLogger, silentLogger } from '@ocx/core';
import { type SwiftProxyOptions, SwiftProxyOptionsSchema } from './proxy-options.js';
import { sendResponse, textResponse } from './proxy-response.js';
import { type RouteContext, routeRequest } from './route-request.js';
import { createSwiftBackend } from './swift-backend.js';

/** A running proxy; see {@link createSwiftProxy}. */
export interface SwiftProxy {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The merged account's storage URL, e.g. `http://127.0.0.1:41234/v1/AUTH_ocx`. */
  readonly storageUrl: string;
  readonly port: number;
  /** Stop listening, drop open connections and close every landlord's client. */
  close(): Promise<void>;
}

/**
 * Start a stateless HTTP proxy that presents several landlords' Swift accounts as one: container
 * and object listings merged in Swift's byte order with markers that resume across landlords,
 * usage summed exactly, and a landlord that is down reported as a partial result
 * (`X-OCX-Partial: <landlord>`) unless all are. Every backend call goes through `@ocx/core/http`
 * with that landlord's own token. The only state is the token cache: any proxy instance can
 * answer any page of a listing, since the marker says where to resume.
 *
 * @example
 * ```ts
 * const proxy = await createSwiftProxy({
 *   landlords: [
 *     { id: 'landlord-a', storageUrl: 'http://127.0.0.1:8090/v1/AUTH_test', auth: { kind: 'tempauth', authUrl: 'http://127.0.0.1:8090/auth/v1.0', user: 'test:tester', key: process.env.KEY_A! } },
 *     { id: 'landlord-b', storageUrl: 'http://127.0.0.1:8091/v1/AUTH_test', auth: { kind: 'tempauth', authUrl: 'http://127.0.0.1:8091/auth/v1.0', user: 'test:tester', key: process.env.KEY_B! } },
 *   ],
 * });
 * const listing = await fetch(`${proxy.storageUrl}?format=json&limit=100`);
 * ```
 */
export async function createSwiftProxy(options: SwiftProxyOptions): Promise<SwiftProxy> {
  const parsed = parseWith(SwiftProxyOptionsSchema, options, { what: 'Swift proxy options' });
  const logger = redactingLogger(parsed.logger ?? silentLogger);
  const backends = parsed.landlords.map((landlord) =>
    createSwiftBackend(landlord, { timeoutMs: parsed.timeoutMs, retries: parsed.retries }),
  );
  const context: RouteContext = {
    backends,
    account: parsed.account,
    ...(parsed.clientToken === undefined ? {} : { clientToken: parsed.clientToken }),
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const transactionId = `tx${randomBytes(12).toString('hex')}`;
    const method = request.method ?? 'GET';
    // A client that goes away cancels the landlords' calls made for it.
    const cancel = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) cancel.abort(new OcxError({ code: 'aborted', message: 'The client went away' }));
    });
    try {
      const url = new URL(request.url ?? '/', 'http://proxy.invalid');
      const answer = await routeRequest(context, { method, url, headers: request.headers, signal: cancel.signal });
      for (const unavailable of answer.headers['x-ocx-partial']?.split(',') ?? []) {
        logger.warn('A landlord did not answer; the result is partial', { landlord: unavailable, transactionId });
      }
      sendResponse(response, answer, method, transactionId);
    } catch (error) {
      const code = OcxError.is(error) ? error.code : 'internal';
      logger.error('The proxy failed a request', { transactionId, code, error: String(error) });
      if (!response.headersSent)
        sendResponse(
          response,
          textResponse(
            code === 'validation' ? 400 : 500,
            code === 'validation' ? String((error as Error).message) : `Internal error (${transactionId})`,
          ),
          method,
          transactionId,
        );
      else response.destroy();
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(parsed.port, parsed.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host}:${port}`;
  return {
    url,
    storageUrl: `${url}/v1/${parsed.account}`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await Promise.all(backends.map((backend) => backend.close()));
    },
  };
}
