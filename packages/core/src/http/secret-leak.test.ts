import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import type { Logger } from '../runtime/logger.js';
import { Secret } from '../secrets/secret.js';
import {
  createTestCertificates,
  createTestServer,
  sendJson,
  type TestCertificates,
  type TestServer,
} from '../testing/index.js';
import { basicAuth } from './auth/basic-auth.js';
import { bearerToken } from './auth/bearer-token.js';
import { mutualTls } from './auth/mutual-tls.js';
import { createHttpClient } from './http-client.js';
import { markerPages } from './paginate.js';
import { waitForOrThrow } from './wait-for.js';

/**
 * Register secrets, force every kind of failure, and scan everything a person could ever see:
 * error messages, util.inspect, JSON.stringify, stacks, backend messages, issues and log lines.
 */
const PASSWORD = 'Landlord-A-pa55word!';
const TOKEN = 'gAAAAABtoken-7f3c9e1d2b';
const USERNAME = 'admin';

let server: TestServer;
let tlsServer: TestServer;
let certificates: TestCertificates;
const logLines: string[] = [];
const logger: Logger = {
  debug: (message, fields) => logLines.push(`${message} ${JSON.stringify(fields)}`),
  info: (message, fields) => logLines.push(`${message} ${JSON.stringify(fields)}`),
  warn: (message, fields) => logLines.push(`${message} ${JSON.stringify(fields)}`),
  error: (message, fields) => logLines.push(`${message} ${JSON.stringify(fields)}`),
};

beforeAll(async () => {
  certificates = await createTestCertificates();
  server = await createTestServer();
  tlsServer = await createTestServer({ tls: { ...certificates.server, ca: certificates.ca.cert, requestCert: true } });
  // Backends that echo credentials back in their errors, as careless ones do.
  const echoCredentials = (request: { headers: Record<string, unknown> }) =>
    `rejected credentials: ${String(request.headers.authorization)} / ${String(request.headers['x-auth-token'])} password=${PASSWORD}`;
  server.route('GET', '/ok', (_request, response) => sendJson(response, 200, {}));
  server.route('GET', '/401', (request, response) => sendJson(response, 401, { message: echoCredentials(request) }));
  server.route('GET', '/500', (request, response) => {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end(`${echoCredentials(request)}\n${TOKEN}`);
  });
  server.route('GET', '/502', (_request, response) => {
    response.writeHead(502, { 'content-type': 'text/html' });
    response.end(`<html><head><title>Bad gateway for ${PASSWORD} ${TOKEN}</title></head></html>`);
  });
  server.route('GET', '/xml', (_request, response) => {
    response.writeHead(403, { 'content-type': 'application/xml' });
    response.end(`<Error><Code>AccessDenied</Code><Message>key ${TOKEN} and ${PASSWORD}</Message></Error>`);
  });
  server.route('GET', '/shape', (_request, response) =>
    sendJson(response, 200, { password: PASSWORD, token: 42, items: [TOKEN] }),
  );
  server.route('GET', '/not-json', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"token": "${TOKEN}", "password": "${PASSWORD}"`);
  });
  server.route('GET', '/redirect', (_request, response) =>
    sendJson(response, 307, undefined, { location: `/redirect?token=${TOKEN}&password=${PASSWORD}` }),
  );
});
afterAll(async () => {
  await server.close();
  await tlsServer.close();
});

function scan(error: unknown): void {
  expect(OcxError.is(error)).toBe(true);
  const ocx = error as OcxError;
  const views = [
    ocx.message,
    String(ocx.stack),
    inspect(ocx, { depth: 10, showHidden: true }),
    JSON.stringify(ocx),
    String(ocx.backendMessage),
    JSON.stringify(ocx.issues),
    inspect(ocx.cause, { depth: 10, showHidden: true }),
  ];
  for (const view of views) assertClean(view);
}

function assertClean(text: string): void {
  const forbidden = [
    PASSWORD,
    TOKEN,
    Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'),
    certificates.client.key.split('\n')[1]!,
  ];
  for (const secret of forbidden)
    expect(text, `leaked ${secret.slice(0, 6)}… in: ${text.slice(0, 400)}`).not.toContain(secret);
}

describe('no secret ever leaks', () => {
  it('through basic-auth and bearer-token failures of every kind', async () => {
    const basic = createHttpClient({
      backend: 'hil',
      baseUrl: server.url,
      auth: basicAuth({ username: USERNAME, password: PASSWORD }),
      logger,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    });
    const bearer = createHttpClient({
      backend: 'keystone',
      baseUrl: server.url,
      auth: bearerToken({ getToken: async () => ({ token: Secret.from(TOKEN) }), header: 'X-Auth-Token' }),
      logger,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    });
    // The SDK learns the token when it first fetches it; only then can it redact it.
    await bearer.get('/ok');
    const errors: unknown[] = [];
    const collect = (promise: Promise<unknown>) =>
      promise.then(
        () => errors.push(new Error('did not fail')),
        (error) => errors.push(error),
      );

    for (const client of [basic, bearer]) {
      for (const path of ['/401', '/500', '/502', '/xml', '/not-json', '/redirect']) {
        await collect(client.get(path, { query: { token: TOKEN } }));
      }
      await collect(
        client.get('/shape', {
          schema: z.object({ password: z.number(), token: z.string(), items: z.array(z.number()) }),
        }),
      );
      server.inject({ kind: 'reset', times: 2 });
      await collect(client.get('/reset'));
      server.inject({ kind: 'truncate', body: JSON.stringify({ token: TOKEN, password: PASSWORD }), times: 2 });
      await collect(client.get('/truncate'));
      server.inject({ kind: 'hang', times: 2 });
      await collect(client.get('/hang', { timeoutMs: 50 }));
      server.inject({ kind: 'hang' });
      await collect(client.get('/abort', { signal: AbortSignal.timeout(50) }));
    }
    await collect(
      createHttpClient({
        backend: 'keystone',
        baseUrl: server.url,
        logger,
        auth: bearerToken({
          getToken: async () => {
            throw new Error(`Keystone refused {"password": "${PASSWORD}"} for ${TOKEN}`);
          },
        }),
      }).get('/x'),
    );
    const swift = createHttpClient({
      backend: 'swift',
      baseUrl: server.url,
      auth: basicAuth({ username: USERNAME, password: PASSWORD }),
      logger,
    });
    await collect(
      (async () => {
        for await (const _item of markerPages({
          limit: 2,
          key: String,
          fetchPage: async () => (await swift.get('/500')).data as string[],
        })) {
          // never reached
        }
      })(),
    );
    await collect(
      waitForOrThrow({
        what: 'attestation',
        maxWaitMs: 1,
        check: async () => ({ state: 'failure', reason: `quote signed by ${TOKEN}` }),
      }),
    );

    expect(errors.length).toBeGreaterThanOrEqual(24);
    for (const error of errors) scan(error);
    expect(logLines.length).toBeGreaterThan(20);
    for (const line of logLines) assertClean(line);
  });

  it('through mutual-TLS failures, with the key and passphrase registered', async () => {
    const errors: unknown[] = [];
    const wrongCa = createHttpClient({
      backend: 'keylime',
      baseUrl: tlsServer.url,
      logger,
      retry: { retries: 0 },
      auth: mutualTls({
        ca: certificates.otherCa.cert,
        cert: certificates.client.cert,
        key: Secret.from(certificates.client.key),
      }),
    });
    await wrongCa.get('/x').catch((error: unknown) => errors.push(error));
    const wrongKey = (() => {
      try {
        return createHttpClient({
          backend: 'keylime',
          baseUrl: tlsServer.url,
          retry: { retries: 0 },
          auth: mutualTls({
            ca: certificates.ca.cert,
            cert: certificates.client.cert,
            key: certificates.otherClient.key,
          }),
        });
      } catch (error) {
        errors.push(error);
        return undefined;
      }
    })();
    await wrongKey?.get('/x').catch((error: unknown) => errors.push(error));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const error of errors) scan(error);
    assertClean(
      inspect(mutualTls({ ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key }), {
        depth: 5,
      }),
    );
    await wrongCa.close();
    await wrongKey?.close();
  });
});
