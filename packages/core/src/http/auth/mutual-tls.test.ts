import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OcxError } from '../../errors/ocx-error.js';
import type { Logger } from '../../runtime/logger.js';
import { redactText } from '../../secrets/redact.js';
import { Secret } from '../../secrets/secret.js';
import {
  createTestCertificates,
  createTestServer,
  sendJson,
  type TestCertificates,
  type TestServer,
} from '../../testing/index.js';
import { createHttpClient } from '../http-client.js';
import { mutualTls } from './mutual-tls.js';

let certificates: TestCertificates;
let server: TestServer;
const clients: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  certificates = await createTestCertificates();
  server = await createTestServer({ tls: { ...certificates.server, ca: certificates.ca.cert, requestCert: true } });
  server.route('GET', '/v2/agents', (_request, response) =>
    sendJson(response, 200, { code: 200, results: { agents: [] } }),
  );
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(() => server.close());

function verifier(options: Parameters<typeof mutualTls>[0], logger?: Logger) {
  const client = createHttpClient({
    backend: 'keylime-verifier',
    baseUrl: server.url,
    auth: mutualTls(options),
    retry: { retries: 0 },
    ...(logger === undefined ? {} : { logger }),
  });
  clients.push(client);
  return client;
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error('expected failure')),
    (error: OcxError) => error,
  );

describe('mutualTls', () => {
  it('presents the client certificate and trusts the pinned CA', async () => {
    const client = verifier({
      ca: certificates.ca.cert,
      cert: certificates.client.cert,
      key: Secret.from(certificates.client.key),
    });
    const response = await client.get('/v2/agents');
    expect(response.data).toEqual({ code: 200, results: { agents: [] } });
    expect(server.requests.at(-1)?.clientCertificateSubject).toBe('client');
  });

  it('refuses a server whose certificate comes from an unknown CA: code tls', async () => {
    const client = verifier({
      ca: certificates.otherCa.cert,
      cert: certificates.client.cert,
      key: certificates.client.key,
    });
    const error = await caught(client.get('/v2/agents'));
    expect(error).toMatchObject({ code: 'tls', retryable: false, backend: 'keylime-verifier' });
  });

  it('does not trust the system CAs once a CA is pinned', async () => {
    // The server's certificate is valid for the pinned CA only; a different, valid pin must fail.
    const client = verifier({
      ca: [certificates.otherCa.cert],
      cert: certificates.client.cert,
      key: certificates.client.key,
    });
    expect((await caught(client.get('/v2/agents'))).code).toBe('tls');
  });

  it('reports a client certificate the server refuses as code tls', async () => {
    const client = verifier({
      ca: certificates.ca.cert,
      cert: certificates.otherClient.cert,
      key: certificates.otherClient.key,
    });
    const error = await caught(client.get('/v2/agents'));
    expect(error).toMatchObject({ code: 'tls', retryable: false });
  });

  it('reports a server that rejects a TLS 1.2 handshake as code tls', async () => {
    const { Agent } = await import('undici');
    const dispatcher = new Agent({
      connect: { ca: certificates.ca.cert, ...certificates.otherClient, maxVersion: 'TLSv1.2' },
    });
    const client = createHttpClient({ backend: 'k', baseUrl: server.url, dispatcher, retry: { retries: 0 } });
    expect((await caught(client.get('/v2/agents'))).code).toBe('tls');
    await dispatcher.close();
  });

  it('without mTLS, the default dispatcher verifies TLS and refuses the test CA', async () => {
    const client = createHttpClient({ backend: 'k', baseUrl: server.url, retry: { retries: 0 } });
    const error = await caught(client.get('/v2/agents'));
    expect(error.code).toBe('tls');
    expect(error.message).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER/);
  });

  it('registers the private key as a secret', () => {
    verifier({ ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key });
    expect(redactText(`key: ${certificates.client.key}`)).not.toContain('PRIVATE KEY');
    const body = certificates.client.key.split('\n')[1]!;
    expect(redactText(certificates.client.key)).not.toContain(body);
  });

  it('refuses unknown options such as insecureSkipVerify', () => {
    expect(() =>
      mutualTls({
        ca: certificates.ca.cert,
        cert: certificates.client.cert,
        key: certificates.client.key,
        insecureSkipVerify: true,
      } as never),
    ).toThrow(/insecureSkipVerify/);
    expect(() => mutualTls({ ca: [], cert: 'x', key: 'y' } as never)).toThrow(/ca/);
  });

  it('dangerouslyDisableTlsVerification connects anyway, and warns every time a client is created', async () => {
    // Captured rather than printed: the warning is the point of this test, not noise in its output.
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const logged = vi.fn();
    const logger: Logger = { debug() {}, info() {}, warn: logged, error() {} };
    const options = {
      ca: certificates.otherCa.cert,
      cert: certificates.client.cert,
      key: certificates.client.key,
      dangerouslyDisableTlsVerification: true,
    };
    const client = verifier(options, logger);
    verifier(options);
    expect(emitWarning).toHaveBeenCalledTimes(2);
    expect(String(emitWarning.mock.calls[0]?.[0])).toContain('does not verify');
    expect(logged).toHaveBeenCalledTimes(1);
    expect((await client.get('/v2/agents')).status).toBe(200);
  });
});
