import { OcxError } from '@ocx/core';
import { createTestCertificates, type TestCertificates } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ADD_AGENT_BODY } from '../__fixtures__/index.js';
import { sendRaw } from '../__fixtures__/send-raw.js';
import { OperationalStates, operationalStateName } from '../operational-state.js';
import { createKeylimeSimulator, FAILURE_EVENTS, type KeylimeSimulator } from './index.js';

let certificates: TestCertificates;
let simulator: KeylimeSimulator;

beforeAll(async () => {
  certificates = await createTestCertificates();
  simulator = await createKeylimeSimulator({
    certificates,
    release: 'current',
    versions: { current: '2.5', supported: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '3.0'] },
    quoteIntervalMs: 30,
    retryIntervalMs: 15,
    maxRetries: 3,
    agents: [
      { uuid: 'passing' },
      { uuid: 'turns-bad', outcome: { invalidQuoteAt: 150, reason: 'measured_boot.invalid_pcr_4' } },
      { uuid: 'offline', outcome: 'unreachable' },
      { uuid: 'goes-offline' },
    ],
  });
});
afterAll(async () => simulator?.close());

const tls = () => ({ ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key });

async function enroll(agent: string): Promise<void> {
  const answer = await sendRaw(simulator.verifier.url, tls(), {
    method: 'POST',
    path: `/v2.5/agents/${agent}`,
    body: FIXTURE_ADD_AGENT_BODY,
  });
  expect(answer.status).toBe(200);
}

/** Wait until the agent's stored history (by state name) has `length` entries ending in `last`. */
async function trace(agent: string, last: string, length: number, timeoutMs = 3_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const names = () => (simulator.state.verifier.get(agent)?.history ?? []).map(operationalStateName);
  while (Date.now() < deadline) {
    if (names().at(-1) === last && names().length >= length) return names();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${agent} never reached ${last}; saw ${names().join(' → ')}`);
}

describe('simulated agents are stored as Keylime’s process_agent stores them', () => {
  it('a passing agent shows Start, Get Quote (first quote), Provide V (until the next quote), then Get Quote', async () => {
    await enroll('passing');
    expect(await trace('passing', 'Get Quote', 4)).toEqual(['Start', 'Get Quote', 'Provide V', 'Get Quote']);
    const first = simulator.state.verifier.get('passing')!.attestationCount;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(simulator.state.verifier.get('passing')!.attestationCount).toBeGreaterThan(first);
    expect(simulator.state.verifier.get('passing')!.severityLevel).toBeNull();
  });

  it('an agent scripted to send an invalid quote at a time passes first, then fails with the event', async () => {
    await enroll('turns-bad');
    expect(await trace('turns-bad', 'Invalid Quote', 5)).toEqual([
      'Start',
      'Get Quote',
      'Provide V',
      'Get Quote',
      'Invalid Quote',
    ]);
    const record = simulator.state.verifier.get('turns-bad')!;
    expect(record.lastEventId).toBe('measured_boot.invalid_pcr_4');
    expect(record.severityLevel).toBe(6);
    expect(Date.now() - record.enrolledAt).toBeGreaterThanOrEqual(150);
    // The verifier stops polling an agent that failed with the highest severity.
    const count = record.attestationCount;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(simulator.state.verifier.get('turns-bad')!.attestationCount).toBe(count);
    expect(simulator.state.verifier.get('turns-bad')!.operationalState).toBe(9);
  });

  it('an unreachable agent shows Get Quote while the verifier retries, never Get Quote (retry), then Failed', async () => {
    await enroll('offline');
    const deadline = Date.now() + 3_000;
    while ((simulator.state.verifier.get('offline')?.loop?.numRetries ?? 0) < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 2));
    expect(simulator.state.verifier.get('offline')!.operationalState).toBe(OperationalStates.GET_QUOTE);
    expect(await trace('offline', 'Failed', 3)).toEqual(['Start', 'Get Quote', 'Failed']);
    const record = simulator.state.verifier.get('offline')!;
    expect(record.lastEventId).toBe(FAILURE_EVENTS.notReachable);
    expect(record.history).not.toContain(OperationalStates.GET_QUOTE_RETRY);
  });

  it('an agent nobody scripted is unreachable: there is no such agent to ask', async () => {
    await enroll('never-registered');
    await trace('never-registered', 'Failed', 3);
  });

  it('scriptAgent changes a trusted agent: it stops answering, retries, and fails', async () => {
    await enroll('goes-offline');
    await trace('goes-offline', 'Get Quote', 4);
    simulator.scriptAgent('goes-offline', 'unreachable');
    expect(await trace('goes-offline', 'Failed', 5)).toEqual([
      'Start',
      'Get Quote',
      'Provide V',
      'Get Quote',
      'Failed',
    ]);
  });

  it('revoke fails a polled agent at once; an unknown one is not-found', async () => {
    simulator.revoke('passing');
    expect(simulator.state.verifier.get('passing')!.operationalState).toBe(9);
    expect(simulator.state.verifier.get('passing')!.lastEventId).toBe(FAILURE_EVENTS.notInAllowlist);
    expect(() => simulator.revoke('nobody')).toThrow(OcxError);
  });
});

describe('the simulator demands client certificates from its own CA', () => {
  it('refuses a client certificate from another CA during the handshake', async () => {
    const foreign = {
      ca: certificates.ca.cert,
      cert: certificates.otherClient.cert,
      key: certificates.otherClient.key,
    };
    await expect(sendRaw(simulator.verifier.url, foreign, { method: 'GET', path: '/version' })).rejects.toThrow();
    await expect(sendRaw(simulator.registrar.url, foreign, { method: 'GET', path: '/version' })).rejects.toThrow();
  });

  it('answers the same request with the right certificate', async () => {
    const answer = await sendRaw(simulator.verifier.url, tls(), { method: 'GET', path: '/version' });
    expect(answer.status).toBe(200);
  });
});

describe('simulator options', () => {
  it('a bad option is a validation error naming it', async () => {
    const error = await createKeylimeSimulator({ certificates, quoteIntervalMs: -1 }).catch(
      (caught: unknown) => caught,
    );
    expect(OcxError.is(error) && error.code).toBe('validation');
    expect((error as OcxError).issues[0]?.path).toBe('quoteIntervalMs');
  });

  it('a bad scripted outcome is refused and changes nothing', () => {
    expect(() => simulator.scriptAgent('passing', { invalidQuoteAt: -5 })).toThrow(/outcome/);
    expect(simulator.state.outcomes.get('passing')).toBe('pass');
  });
});
