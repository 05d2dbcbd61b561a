import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '@ocx/core/testing';

/** One recorded exchange with the live Ceph (see scripts/record-fixtures.mjs). */
export interface RecordedCase {
  request: { method: string; path: string; query: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body: string };
}

const folder = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');

/** The recorded cases of one fixture file, by name. */
export function loadRecorded(file: 'rgw-admin-ops.json' | 'ceph-dashboard.json'): {
  uid?: string;
  cases: Record<string, RecordedCase>;
} {
  return JSON.parse(readFileSync(join(folder, file), 'utf8')) as { uid?: string; cases: Record<string, RecordedCase> };
}

/** Answer `method path` on the server with a recorded response, byte for byte. */
export function replay(server: TestServer, recorded: RecordedCase, path = recorded.request.path): void {
  server.route(recorded.request.method, path, (_request, response) => {
    response.writeHead(recorded.response.status, {
      ...recorded.response.headers,
      'content-length': Buffer.byteLength(recorded.response.body),
    });
    response.end(recorded.response.body);
  });
}
