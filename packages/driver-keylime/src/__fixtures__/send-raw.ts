import { request } from 'node:https';
import type { WireFixture } from './wire-fixture.js';

/** A raw answer: status, headers, parsed JSON body (or undefined) and the text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

/**
 * Send one request over mutual TLS with node:https, bypassing the SDK client, to check what a
 * server (the simulator) really answers on the wire. Test support only.
 */
export function sendRaw(
  baseUrl: string,
  tls: { ca: string; cert: string; key: string },
  call: { method: string; path: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const text = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
    const outgoing = request(
      `${baseUrl}${call.path}`,
      {
        method: call.method,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        agent: false,
        headers: {
          ...call.headers,
          ...(text === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = body === '' ? undefined : JSON.parse(body);
          } catch {
            parsed = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed, text: body });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(text);
  });
}

/** The full path of a fixture's request for an API version. */
export function fixturePath(fixture: WireFixture, version: string): string {
  const query = fixture.request.query === undefined ? '' : `?${new URLSearchParams(fixture.request.query).toString()}`;
  return `${fixture.request.versioned === false ? '' : `/v${version}`}${fixture.request.path}${query}`;
}
