import { readFileSync } from 'node:fs';
import { Secret } from '@ocx/core';
import { createTestServer, type TestServer } from '@ocx/core/simulation';
import { createKeystoneSession, type KeystoneSession } from '../keystone/session.js';

/** A recorded response of a real service (see scripts/record-fixtures.ts). */
export interface RecordedResponse {
  request: { method: string; path: string };
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Read `src/__fixtures__/<name>.json`. */
export function fixture(name: string): RecordedResponse {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), 'utf8')) as RecordedResponse;
}

/**
 * A loopback server that answers each recorded request (method + path, query ignored) under a
 * prefix with the recorded status, headers and body, byte for byte as the real service sent them.
 */
export async function replayServer(
  fixtures: Array<{ prefix: string; name: string; rewrite?: (body: unknown) => unknown }>,
): Promise<TestServer> {
  const server = await createTestServer();
  for (const { prefix, name, rewrite } of fixtures) {
    const recorded = fixture(name);
    const path = `${prefix}/${recorded.request.path.split('?')[0]}`.replace(/\/+$/, '').replace(/\/{2,}/g, '/') || '/';
    server.route(
      recorded.request.method,
      path === prefix ? new RegExp(`^${prefix}/?$`) : path,
      (_request, response) => {
        const body = rewrite === undefined ? recorded.body : rewrite(recorded.body);
        const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
        response.writeHead(recorded.status, { ...recorded.headers, 'content-length': Buffer.byteLength(text) });
        response.end(text);
      },
    );
  }
  return server;
}

/** A session with a fixed token whose catalog is not used (clients get their endpoint given). */
export function staticSession(url: string): KeystoneSession {
  return createKeystoneSession({
    authUrl: `${url}/keystone`,
    http: { timeoutMs: 5000, retry: { retries: 0 } },
    obtainToken: async () => ({
      token: Secret.from('replay-token'),
      info: {
        userId: 'u',
        roles: [],
        methods: ['password'],
        expiresAt: new Date(Date.now() + 3_600_000),
        catalog: [],
        serviceProviders: [],
      },
    }),
  });
}
