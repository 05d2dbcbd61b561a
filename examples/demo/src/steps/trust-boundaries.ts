import { OcxError, Secret } from '@ocx/core';
import { createHttpClient } from '@ocx/core/http';
import { createTestServer, type TestServer } from '@ocx/core/simulation';
import { connectOpenStackDriver } from '@ocx/driver-openstack';
import { dim, green, heading, red } from '../console.js';

/** What the trust-boundary step saw, for the demo's test. */
export interface TrustBoundaryReport {
  /** Requests that reached the attacker's server: must be 0. */
  requestsAtAttacker: number;
  /** The error codes each hostile answer produced. */
  refused: Record<string, string>;
}

/**
 * A hostile backend attacks the exchange: a "Keystone" that redirects the password login to
 * another server, and a backend that streams a body without end. The SDK refuses both, and the
 * attacker's server receives nothing.
 */
export async function showTrustBoundaries(): Promise<TrustBoundaryReport> {
  heading('Trust boundaries: a hostile backend');
  const attacker = await createTestServer();
  const hostile = await createTestServer();
  const refused: Record<string, string> = {};
  try {
    hostile.route('POST', '/v3/auth/tokens', (_request, response) => {
      response.writeHead(307, { location: `${attacker.url}/v3/auth/tokens` });
      response.end();
    });
    hostile.route('GET', '/huge', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(3 * 1024 ** 3) });
      response.write('[');
    });
    refused.keystoneRedirect = await attempt('Keystone login answered with a 307 to another host', () =>
      connectOpenStackDriver({
        auth: {
          url: `${hostile.url}/v3`,
          username: 'ocx',
          password: Secret.from('demo-landlord-password'),
          project: 'p',
        },
        landlord: 'hostile',
        service: 'openstack',
        retry: { retries: 0 },
      }),
    );
    const client = createHttpClient({ backend: 'hostile', baseUrl: hostile.url, retry: { retries: 0 } });
    refused.hugeBody = await attempt('a 3 GiB JSON body', () => client.get('/huge'));
    process.stdout.write(
      `  ${attacker.requests.length === 0 ? green('✓') : red('✗')} requests that reached the other host: ${attacker.requests.length}\n`,
    );
    return { requestsAtAttacker: attacker.requests.length, refused };
  } finally {
    await closeAll([attacker, hostile]);
  }
}

async function attempt(what: string, call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    process.stdout.write(`  ${red('✗')} ${what}: accepted\n`);
    return 'accepted';
  } catch (error) {
    const code = OcxError.is(error) ? error.code : 'not an OcxError';
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(`  ${green('✓')} ${what}: refused (${code})\n    ${dim(message)}\n`);
    return code;
  }
}

async function closeAll(servers: readonly TestServer[]): Promise<void> {
  await Promise.all(servers.map((server) => server.close()));
}
