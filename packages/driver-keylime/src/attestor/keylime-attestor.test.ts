import { type AttestationVerdict, OcxError } from '@ocx/core';
import { createTestCertificates, createTestServer, sendJson, type TestCertificates } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, FIXTURE_ADD_AGENT_BODY, FIXTURE_AGENT_STATUS } from '../__fixtures__/index.js';
import { createKeylimeDriver, type KeylimeDriver } from '../keylime-driver.js';
import { createKeylimeSimulator, type KeylimeSimulator } from '../simulator/index.js';
import type { RevocationEvent } from './attestor-events.js';

const policy = { pcrs: { 0: ['00'.repeat(32)] } };
let certificates: TestCertificates;
let simulator: KeylimeSimulator;
let driver: KeylimeDriver;

beforeAll(async () => {
  certificates = await createTestCertificates();
  simulator = await createKeylimeSimulator({
    certificates,
    quoteIntervalMs: 25,
    retryIntervalMs: 10,
    maxRetries: 2,
    agents: [
      ...['enroll-me', 'watched', 'flaky', 'stopped', 'removed', 'revoked-earlier'].map((uuid) => ({ uuid })),
      { uuid: 'offline', outcome: 'unreachable' as const },
      { uuid: 'bad-from-start', outcome: { invalidQuoteAt: 0 } },
    ],
  });
  driver = createKeylimeDriver({
    verifier: { url: simulator.verifier.url },
    registrar: { url: simulator.registrar.url },
    tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
    attestor: { pollIntervalMs: 10, watchIntervalMs: 15 },
    timeoutMs: 2_000,
  });
});
afterAll(async () => {
  await driver?.dispose();
  await simulator?.close();
});

const requestCount = () => simulator.verifier.server.requests.length + simulator.registrar.server.requests.length;

async function error(promise: Promise<unknown>): Promise<OcxError> {
  const caught = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(OcxError.is(caught), `expected an OcxError, got ${String(caught)}`).toBe(true);
  return caught as OcxError;
}

describe('enroll', () => {
  it('adds the agent with the registrar’s AK, certificate and address, a fresh V and the policy', async () => {
    await driver.attestor.enroll({ agent: 'enroll-me', node: 'node-7', policy });
    const posted = simulator.verifier.server.requests.find(
      (request) => request.method === 'POST' && request.path.endsWith('/agents/enroll-me'),
    );
    const body = JSON.parse(posted!.body) as Record<string, unknown>;
    const registered = simulator.state.registrar.get('enroll-me')!;
    expect(Object.keys(body).sort()).toEqual(Object.keys(FIXTURE_ADD_AGENT_BODY).sort());
    expect(body).toMatchObject({
      ak_tpm: registered.aik_tpm,
      mtls_cert: registered.mtls_cert,
      cloudagent_ip: registered.ip,
      cloudagent_port: registered.port,
      tpm_policy: JSON.stringify({ 0: ['00'.repeat(32)], mask: '0x1' }),
      metadata: JSON.stringify({ ocx_node: 'node-7' }),
    });
    expect(Buffer.from(body.v as string, 'base64')).toHaveLength(32);
    expect((await driver.attestor.waitForVerdict('enroll-me')).status).toBe('pass');
  });

  it('enrolling twice is a conflict and changes nothing', async () => {
    const before = { ...simulator.state.verifier.get('enroll-me')! };
    expect((await error(driver.attestor.enroll({ agent: 'enroll-me', node: 'node-7', policy }))).code).toBe('conflict');
    expect(simulator.state.verifier.get('enroll-me')!.v).toBe(before.v);
  });

  it('bad input is refused, naming the field, before anything is sent', async () => {
    const before = requestCount();
    expect((await error(driver.attestor.enroll({ agent: 'bad id', node: 'n', policy }))).issues[0]?.path).toBe('agent');
    expect((await error(driver.attestor.enroll({ agent: 'watched', node: '', policy }))).issues[0]?.path).toBe('node');
    const badPolicy = await error(
      driver.attestor.enroll({ agent: 'watched', node: 'n', policy: { pcrs: { 0: ['00'.repeat(31)] } } }),
    );
    expect(badPolicy.code).toBe('validation');
    expect(badPolicy.issues[0]?.path).toBe('policy.pcrs.0.0');
    expect(requestCount()).toBe(before);
    expect(simulator.state.verifier.has('watched')).toBe(false);
  });

  it('an agent the registrar does not know is not-found, and the verifier is not asked', async () => {
    const posts = simulator.verifier.server.requests.filter((request) => request.method === 'POST').length;
    const caught = await error(driver.attestor.enroll({ agent: 'unregistered', node: 'n', policy }));
    expect(caught).toMatchObject({ code: 'not-found', backend: 'keylime-registrar' });
    expect(simulator.verifier.server.requests.filter((request) => request.method === 'POST')).toHaveLength(posts);
  });
});

describe('verdicts', () => {
  it('an unreachable agent ends failed, with Keylime’s reason', async () => {
    await driver.attestor.enroll({ agent: 'offline', node: 'node-9', policy });
    const verdict = await driver.attestor.waitForVerdict('offline', { maxWaitMs: 3_000 });
    expect(verdict).toEqual({
      agent: 'offline',
      status: 'fail',
      state: 'Failed',
      reason: 'Failed: internal.verifier.not_reachable (severity level 6)',
    });
  });

  it('waiting past maxWaitMs is a typed timeout', async () => {
    // A verifier whose agent never leaves Start, so the wait can only time out.
    const tls = {
      key: certificates.server.key,
      cert: certificates.server.cert,
      ca: certificates.ca.cert,
      requestCert: true,
    };
    const stuck = await createTestServer({ tls });
    stuck.route('GET', '/version', (_request, response) =>
      sendJson(response, 200, envelope(200, 'Success', { current_version: '2.6' })),
    );
    stuck.route('GET', '/v2.6/agents/slow', (_request, response) =>
      sendJson(
        response,
        200,
        envelope(200, 'Success', { ...FIXTURE_AGENT_STATUS, operational_state: 1, attestation_status: 'PENDING' }),
      ),
    );
    const stuckDriver = createKeylimeDriver({
      verifier: { url: stuck.url },
      registrar: { url: stuck.url },
      tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
      attestor: { pollIntervalMs: 10 },
    });
    try {
      const caught = await error(stuckDriver.attestor.waitForVerdict('slow', { maxWaitMs: 200 }));
      expect(caught.code).toBe('timeout');
      expect(caught.message).toContain('agent is in Start');
      expect(stuck.requests.filter((request) => request.path === '/v2.6/agents/slow').length).toBeGreaterThanOrEqual(1);
    } finally {
      await stuckDriver.dispose();
      await stuck.close();
    }
  });

  it('stopping an agent through ext fails it; reactivating leaves it stopped, as Keylime does; re-enrolling brings it back', async () => {
    await driver.attestor.enroll({ agent: 'stopped', node: 'n', policy });
    expect((await driver.attestor.waitForVerdict('stopped')).status).toBe('pass');
    await driver.ext.verifier.agents.stop('stopped');
    expect(await driver.attestor.status('stopped')).toMatchObject({ status: 'fail', state: 'Tenant Quote Failed' });
    await driver.ext.verifier.agents.reactivate('stopped');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await driver.attestor.status('stopped')).toMatchObject({ status: 'fail', state: 'Tenant Quote Failed' });
    await driver.attestor.remove('stopped');
    await driver.attestor.enroll({ agent: 'stopped', node: 'n', policy });
    expect((await driver.attestor.waitForVerdict('stopped')).status).toBe('pass');
  });
});

describe('watch', () => {
  it('yields each change and emits a revocation the moment a trusted agent fails', async () => {
    await driver.attestor.enroll({ agent: 'watched', node: 'node-3', policy });
    await driver.attestor.waitForVerdict('watched');
    const revocations: RevocationEvent[] = [];
    const unsubscribe = driver.ext.events.on('attestation.revoked', (event) => revocations.push(event));
    const controller = new AbortController();
    const seen: AttestationVerdict[] = [];
    for await (const verdict of driver.attestor.watch(['watched'], { signal: controller.signal })) {
      seen.push(verdict);
      if (verdict.status === 'pass') simulator.revoke('watched', 'ima.validation.ima-ng.not_in_allowlist');
      if (verdict.status === 'fail') controller.abort();
    }
    unsubscribe();
    expect(seen.map((verdict) => verdict.status)).toEqual(['pass', 'fail']);
    expect(revocations).toEqual([
      {
        agent: 'watched',
        state: 'Invalid Quote',
        reason: 'Invalid Quote: ima.validation.ima-ng.not_in_allowlist (severity level 6)',
        at: expect.any(String),
      },
    ]);
  });

  it('a failure the watch sees first is a revocation if the verifier had trusted the agent, and not otherwise', async () => {
    await driver.attestor.enroll({ agent: 'revoked-earlier', node: 'n', policy });
    await driver.attestor.waitForVerdict('revoked-earlier');
    simulator.revoke('revoked-earlier');
    await driver.attestor.enroll({ agent: 'bad-from-start', node: 'n', policy });
    expect((await driver.attestor.waitForVerdict('bad-from-start')).status).toBe('fail');
    const revoked: string[] = [];
    const unsubscribe = driver.ext.events.on('attestation.revoked', ({ agent }) => revoked.push(agent));
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const verdict of driver.attestor.watch(['revoked-earlier', 'bad-from-start'], {
      signal: controller.signal,
    })) {
      seen.push(`${verdict.agent}:${verdict.status}`);
      if (seen.length === 2) controller.abort();
    }
    unsubscribe();
    expect(seen).toEqual(['revoked-earlier:fail', 'bad-from-start:fail']);
    expect(revoked).toEqual(['revoked-earlier']);
  });

  it('a transient verifier fault does not look like a verdict change', async () => {
    await driver.attestor.enroll({ agent: 'flaky', node: 'n', policy });
    await driver.attestor.waitForVerdict('flaky');
    const controller = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const verdict of driver.attestor.watch(['flaky'], { signal: controller.signal, intervalMs: 10 }))
        seen.push(verdict.status);
    })();
    await new Promise((resolve) => setTimeout(resolve, 40));
    simulator.verifier.server.inject({ kind: 'status', status: 503, times: 6 }, { path: /\/agents\/flaky$/ });
    await new Promise((resolve) => setTimeout(resolve, 150));
    controller.abort();
    await watching;
    expect(seen).toEqual(['pass']);
  });

  it('an agent that disappears from the verifier is reported failed', async () => {
    const controller = new AbortController();
    const seen: AttestationVerdict[] = [];
    for await (const verdict of driver.attestor.watch(['never-enrolled'], { signal: controller.signal })) {
      seen.push(verdict);
      controller.abort();
    }
    expect(seen).toEqual([
      { agent: 'never-enrolled', status: 'fail', state: 'Unknown', reason: expect.stringContaining('not found') },
    ]);
  });

  it('bad agent ids are refused', () => {
    expect(() => driver.attestor.watch(['ok', 'not ok'])).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});

describe('remove', () => {
  it('follows a 202 until the agent is gone, and a second remove is fine', async () => {
    await driver.attestor.enroll({ agent: 'removed', node: 'n', policy });
    await driver.attestor.waitForVerdict('removed');
    await driver.attestor.remove('removed');
    expect(simulator.state.verifier.has('removed')).toBe(false);
    const deletes = simulator.verifier.server.requests.filter(
      (request) => request.method === 'DELETE' && request.path.endsWith('/removed'),
    );
    expect(deletes).toHaveLength(1);
    await driver.attestor.remove('removed');
    expect((await error(driver.attestor.status('removed'))).code).toBe('not-found');
    // The agent stays registered: the registrar belongs to the node's owner.
    expect(simulator.state.registrar.has('removed')).toBe(true);
  });
});
