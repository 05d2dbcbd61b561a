import { OcxError } from '@ocx/core';
import { createTestCertificates, type TestCertificates } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ADD_AGENT_BODY } from '../__fixtures__/index.js';
import { sendRaw } from '../__fixtures__/send-raw.js';
import { createKeylimeClient, type KeylimeClient } from '../client/index.js';
import { OperationalStates } from '../operational-state.js';
import { createKeylimeSimulator, type KeylimeSimulator } from './index.js';

// Repeated calls, as the real Keylime 7.13.1 answers them. Sources: keylime/keylime @v7.13.1,
// keylime/cloud_verifier_tornado.py `AgentsHandler.delete` / `AgentsHandler.post`, and
// keylime/web/registrar/agents_controller.py `AgentsController.delete`.

let certificates: TestCertificates;
let simulator: KeylimeSimulator;
let client: KeylimeClient;

beforeAll(async () => {
  certificates = await createTestCertificates();
  // A long quote interval keeps a DELETEd agent in Terminated long enough to DELETE it again.
  simulator = await createKeylimeSimulator({
    certificates,
    quoteIntervalMs: 5_000,
    agents: [{ uuid: 'twice' }, { uuid: 'again' }, { uuid: 'enrolled-twice' }, { uuid: 'registered' }],
  });
  client = createKeylimeClient({
    verifier: { url: simulator.verifier.url },
    registrar: { url: simulator.registrar.url },
    tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
    retries: 0,
  });
});
afterAll(async () => {
  await client?.close();
  await simulator?.close();
});

const tls = () => ({ ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key });
const verifier = (method: string, path: string, body?: unknown) =>
  sendRaw(simulator.verifier.url, tls(), { method, path, body });
const registrar = (method: string, path: string) => sendRaw(simulator.registrar.url, tls(), { method, path });
const envelope = (code: number, status: string, results: unknown = {}) => ({ code, status, results });

async function enroll(agent: string) {
  return verifier('POST', `/v2.4/agents/${agent}`, FIXTURE_ADD_AGENT_BODY);
}

/** Wait for the agent's first quote: from then on the verifier polls it every quote interval. */
async function polled(agent: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while ((simulator.state.verifier.get(agent)?.attestationCount ?? 0) === 0) {
    if (Date.now() > deadline) throw new Error(`${agent} was never polled`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Keylime simulator: repeated calls answer as the real verifier and registrar', () => {
  it('DELETE of a polled agent: 202 (Terminated), then at once 200, then 404 "agent id not found"', async () => {
    // Real: AgentsHandler.delete — an agent in SAVED, FAILED, TERMINATED, TENANT_FAILED or
    // INVALID_QUOTE is deleted at once (200 "Success"); any other state is set to TERMINATED and
    // answered 202 "Accepted". So a second DELETE, while the first waits for the next poll, finds
    // TERMINATED and deletes (200); a third finds no row: 404 "agent id not found".
    expect((await enroll('twice')).status).toBe(200);
    await polled('twice');
    const first = await verifier('DELETE', '/v2.4/agents/twice');
    expect(first).toMatchObject({ status: 202, body: envelope(202, 'Accepted') });
    expect(simulator.state.verifier.get('twice')?.operationalState).toBe(OperationalStates.TERMINATED);
    // The row is still there until it goes: enrolling the same agent again is refused meanwhile.
    expect((await enroll('twice')).status).toBe(409);
    const second = await verifier('DELETE', '/v2.4/agents/twice');
    expect(second).toMatchObject({ status: 200, body: envelope(200, 'Success') });
    expect(simulator.state.verifier.has('twice')).toBe(false);
    const third = await verifier('DELETE', '/v2.4/agents/twice');
    expect(third).toMatchObject({ status: 404, body: envelope(404, 'agent id not found') });
  });

  it('the client: a second delete is `deleted`, a third is not-found, or `absent` with ignoreMissing', async () => {
    expect((await enroll('again')).status).toBe(200);
    await polled('again');
    expect((await verifier('DELETE', '/v2.4/agents/again')).status).toBe(202);
    expect(await client.verifier.agents.delete('again')).toBe('deleted');
    const error = await client.verifier.agents.delete('again').catch((caught: unknown) => caught);
    expect(OcxError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'not-found', status: 404, backend: 'keylime-verifier' });
    expect(await client.verifier.agents.delete('again', { ignoreMissing: true })).toBe('absent');
  });

  it('POST of an agent already enrolled: 409 "Agent of uuid … already exists"; the client says conflict', async () => {
    // Real: AgentsHandler.post — `if agent_data is not None` after the policy checks:
    // 409 f"Agent of uuid {agent_id} already exists. Please use delete or update."
    expect((await enroll('enrolled-twice')).status).toBe(200);
    const again = await enroll('enrolled-twice');
    expect(again).toMatchObject({
      status: 409,
      body: envelope(409, 'Agent of uuid enrolled-twice already exists. Please use delete or update.'),
    });
    const error = await client.verifier.agents
      .add('enrolled-twice', FIXTURE_ADD_AGENT_BODY as never)
      .catch((caught: unknown) => caught);
    expect(OcxError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'conflict', status: 409 });
  });

  it('registrar DELETE twice: 200 "Success", then 404 "Agent with ID \'…\' not found"', async () => {
    // Real: keylime/web/registrar/agents_controller.py AgentsController.delete — `agent =
    // RegistrarAgent.get(agent_id)`; none: respond(404, f"Agent with ID '{agent_id}' not found").
    expect(await registrar('DELETE', '/v2.4/agents/registered')).toMatchObject({ status: 200 });
    const again = await registrar('DELETE', '/v2.4/agents/registered');
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 404, status: "Agent with ID 'registered' not found" });
    await expect(client.registrar.agents.delete('registered', { ignoreMissing: true })).resolves.toBeUndefined();
  });
});
