import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A `node:http` server on 127.0.0.1 whose handler is given after it listens (its URL is then known). */
export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  /** Serve requests with this handler (until then, 503). */
  use(handler: (request: IncomingMessage, response: ServerResponse) => Promise<void> | void): void;
  close(): Promise<void>;
}

/**
 * Listen on 127.0.0.1 first, handle later: the portal's redirect URI (its own URL) must be known
 * to register it at the identity provider, whose issuer the portal in turn needs.
 *
 * @example
 * ```ts
 * const server = await serveLoopback({ port: 0 });
 * const idp = await createLocalIdentityProvider({ clients: [{ clientId: 'portal', redirectUris: [`${server.url}/callback`] }] });
 * server.use(createPortalHandler({ …, baseUrl: server.url, identity: { issuer: idp.issuer, … } }).handle);
 * ```
 */
export async function serveLoopback(options: { port?: number } = {}): Promise<LoopbackServer> {
  let handler: ((request: IncomingMessage, response: ServerResponse) => Promise<void> | void) | undefined;
  const server = createServer((request, response) => {
    if (handler === undefined) {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('starting\n');
      return;
    }
    void Promise.resolve(handler(request, response)).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    use(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
