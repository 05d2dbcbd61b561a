import { createTestServer, type TestServer } from '@ocx/core/simulation';
import { sendRaw } from './send-raw.js';

/** A proxy in front of a server that can drop answers after the server acted on the request. */
export interface LossyProxy {
  readonly url: string;
  readonly server: TestServer;
  /** The next `times` requests matching method and path reach the target, but their answer is lost (reset). */
  loseAnswer(method: string, path: string, times?: number): void;
  close(): Promise<void>;
}

/**
 * Forward every request to `targetUrl` and relay the answer, except the ones chosen to be lost:
 * those the target handles in full, then the client's connection is reset. This is the fault a
 * timeout or crash after the backend acted produces, which a fault injected in front of the
 * backend cannot.
 */
export async function createLossyProxy(targetUrl: string): Promise<LossyProxy> {
  const losses: Array<{ method: string; path: string; remaining: number }> = [];
  const server = await createTestServer({
    handler: async (request, response, body) => {
      const path = new URL(request.url ?? '/', 'http://proxy').pathname;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection')
          headers[name] = value;
      }
      let answer: Awaited<ReturnType<typeof sendRaw>>;
      try {
        answer = await sendRaw(`${targetUrl}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, body });
      } catch {
        // The target reset or broke off its answer: pass the failure on as it is.
        response.socket?.destroy();
        return;
      }
      const loss = losses.find(
        (entry) => entry.method === request.method && entry.path === path && entry.remaining > 0,
      );
      if (loss !== undefined) {
        loss.remaining -= 1;
        response.socket?.destroy();
        return;
      }
      const relayed: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (typeof value === 'string' && name !== 'connection' && name !== 'keep-alive' && name !== 'transfer-encoding')
          relayed[name] = value;
      }
      response.writeHead(answer.status, relayed);
      response.end(answer.body);
    },
  });
  return {
    url: server.url,
    server,
    loseAnswer(method, path, times = 1) {
      losses.push({ method, path, remaining: times });
    },
    close: () => server.close(),
  };
}
