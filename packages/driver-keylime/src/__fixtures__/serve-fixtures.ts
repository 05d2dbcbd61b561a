import type { TestServer } from '@ocx/core/simulation';
import type { WireFixture } from './wire-fixture.js';

/**
 * Make a test server answer a fixture's request (method and path, query ignored) with the
 * fixture's recorded answer, as the real server did. Later routes win, so a test can serve one
 * path with different answers over time.
 */
export function serveFixture(server: TestServer, fixture: WireFixture, version: string): void {
  const path = `${fixture.request.versioned === false ? '' : `/v${version}`}${fixture.request.path}`;
  // The test server matches the path as sent (still percent-encoded), without the query.
  server.route(fixture.request.method, path, (_request, response) => {
    const text =
      fixture.response.text ?? (fixture.response.body === undefined ? '' : JSON.stringify(fixture.response.body));
    response.writeHead(fixture.response.status, {
      ...(text === '' ? {} : { 'content-type': 'application/json' }),
      ...fixture.response.headers,
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  });
}
