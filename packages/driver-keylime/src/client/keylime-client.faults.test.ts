import { OcxError, Secret } from '@ocx/core';
import { createTestCertificates, type TestCertificates } from '@ocx/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ADD_AGENT_BODY, FIXTURE_AGENT } from '../__fixtures__/index.js';
import { createKeylimeSimulator, type KeylimeSimulator } from '../simulator/index.js';
import { createKeylimeClient, type KeylimeClient } from './index.js';

let certificates: TestCertificates;
let simulator: KeylimeSimulator;
let client: KeylimeClient;

beforeAll(async () => {
  certificates = await createTestCertificates();
  simulator = await createKeylimeSimulator({
    certificates,
    release: 'current',
    versions: { current: '2.5', supported: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '3.0'] },
    quoteIntervalMs: 30,
    agents: [{ uuid: FIXTURE_AGENT }],
  });
  client = createKeylimeClient({
    verifier: { url: simulator.verifier.url },
    registrar: { url: simulator.registrar.url },
    tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: Secret.from(certificates.client.key) },
    timeoutMs: 300,
  });
  // Negotiate once, so the faults below hit the calls under test.
  await client.verifier.apiVersion();
});
afterEach(() => simulator.verifier.server.clearFaults());
afterAll(async () => {
  await client?.close();
  await simulator?.close();
});

const agentPath = `/v2.5/agents/${FIXTURE_AGENT}`;
const posts = () => simulator.verifier.server.requests.filter((request) => request.method === 'POST').length;

async function failure(promise: Promise<unknown>): Promise<OcxError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(OcxError.is(error), `expected an OcxError, got ${String(error)}`).toBe(true);
  return error as OcxError;
}

describe('faults lose nothing', () => {
  it('a 503 on enrollment (POST) is not retried, stores nothing, and a second try succeeds', async () => {
    simulator.verifier.server.inject(
      { kind: 'status', status: 503, body: { code: 503, status: 'Service Unavailable', results: {} } },
      { method: 'POST' },
    );
    const before = posts();
    const error = await failure(client.verifier.agents.add(FIXTURE_AGENT, FIXTURE_ADD_AGENT_BODY));
    expect(error).toMatchObject({ code: 'http', status: 503, retryable: true, attempts: 1 });
    expect(posts()).toBe(before + 1);
    expect(simulator.state.verifier.has(FIXTURE_AGENT)).toBe(false);
    await client.verifier.agents.add(FIXTURE_AGENT, FIXTURE_ADD_AGENT_BODY);
    expect(simulator.state.verifier.has(FIXTURE_AGENT)).toBe(true);
  });

  it('a reset connection and a 503 on GET are retried and the answer arrives', async () => {
    simulator.verifier.server.inject({ kind: 'reset' }, { method: 'GET', path: agentPath });
    simulator.verifier.server.inject({ kind: 'status', status: 503 }, { method: 'GET', path: agentPath });
    const status = await client.verifier.agents.get(FIXTURE_AGENT);
    expect(typeof status.operational_state).toBe('number');
  });

  it('a hanging verifier times out with a typed, retryable error', async () => {
    simulator.verifier.server.inject({ kind: 'hang', times: 3 }, { method: 'GET', path: agentPath });
    const error = await failure(client.verifier.agents.get(FIXTURE_AGENT));
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('a proxy’s HTML 502 is a typed error with the page title, not a crash', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    simulator.verifier.server.inject(
      { kind: 'status', status: 502, body: html, headers: { 'content-type': 'text/html' }, times: 3 },
      { path: agentPath },
    );
    const error = await failure(client.verifier.agents.get(FIXTURE_AGENT));
    expect(error).toMatchObject({ code: 'http', status: 502, backendMessage: '502 Bad Gateway' });
  });

  it('a delete whose first answer is lost is retried and still ends with the agent gone', async () => {
    simulator.verifier.server.inject({ kind: 'status', status: 503 }, { method: 'DELETE' });
    expect(await client.verifier.agents.delete(FIXTURE_AGENT, { pollIntervalMs: 10 })).toBe('deleted');
    expect(simulator.state.verifier.has(FIXTURE_AGENT)).toBe(false);
  });
});

describe('malformed verifier answers are typed errors', () => {
  const answer = (body: string) => ({
    kind: 'status' as const,
    status: 200,
    body,
    headers: { 'content-type': 'application/json' },
    times: 3,
  });

  it('a field of the wrong type: validation, naming the field and the backend', async () => {
    simulator.verifier.server.inject(
      answer(JSON.stringify({ code: 200, status: 'Success', results: { operational_state: 'three' } })),
      { path: '/v2.5/agents/x' },
    );
    const error = await failure(client.verifier.agents.get('x'));
    expect(error).toMatchObject({
      code: 'validation',
      backend: 'keylime-verifier',
      operation: 'get_agent',
      fault: 'server',
    });
    expect(error.issues.some((issue) => issue.path.includes('operational_state'))).toBe(true);
  });

  it('an answer without the envelope: validation', async () => {
    simulator.verifier.server.inject(answer(JSON.stringify({ operational_state: 3 })), { path: '/v2.5/agents/x' });
    expect((await failure(client.verifier.agents.get('x'))).code).toBe('validation');
  });

  it('a body that is not JSON, or is cut short: protocol', async () => {
    simulator.verifier.server.inject(answer('{"code": 200, "status": "Succ'), { path: '/v2.5/agents/x' });
    expect((await failure(client.verifier.agents.get('x'))).code).toBe('protocol');
    simulator.verifier.server.clearFaults();
    simulator.verifier.server.inject(
      {
        kind: 'truncate',
        body: JSON.stringify({ code: 200, status: 'Success', results: { operational_state: 3 } }),
        times: 3,
      },
      { path: '/v2.5/agents/x' },
    );
    expect(['protocol', 'network']).toContain((await failure(client.verifier.agents.get('x'))).code);
  });

  it('a version answer without a version: validation, and negotiation is tried again next time', async () => {
    const fresh = createKeylimeClient({
      verifier: { url: simulator.verifier.url },
      registrar: { url: simulator.registrar.url },
      tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
    });
    simulator.verifier.server.inject(
      { ...answer(JSON.stringify({ code: 200, status: 'Success', results: {} })), times: 1 },
      { path: '/version' },
    );
    expect((await failure(fresh.verifier.agents.list())).code).toBe('validation');
    expect(await fresh.verifier.agents.list()).toEqual([]);
    await fresh.close();
  });
});

describe('nothing secret leaks', () => {
  it('a revocation key in a refused body appears in no error', async () => {
    const revocationKey =
      '-----BEGIN PRIVATE KEY-----\nTOP-SECRET-REVOCATION-KEY-MATERIAL\n-----END PRIVATE KEY-----\n';
    const error = await failure(
      client.verifier.agents.add(FIXTURE_AGENT, {
        ...FIXTURE_ADD_AGENT_BODY,
        revocation_key: revocationKey,
        cloudagent_port: 0,
      }),
    );
    expect(error.code).toBe('validation');
    expect(JSON.stringify(error.toJSON())).not.toContain('TOP-SECRET');
    expect(error.message).not.toContain('TOP-SECRET');
  });
});
