import { createTestCertificates, type TestCertificates } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  verifierAgentFixtures as agents,
  FIXTURE_ADD_AGENT_BODY,
  FIXTURE_AGENT,
  FIXTURE_OTHER_AGENT,
  FIXTURE_REGISTRAR_RECORD,
  verifierPolicyFixtures as policies,
  registrarFixtures,
  type WireFixture,
} from '../__fixtures__/index.js';
import { normaliseDynamic } from '../__fixtures__/normalise.js';
import { fixturePath, sendRaw } from '../__fixtures__/send-raw.js';
import { OperationalStates } from '../operational-state.js';
import { createKeylimeSimulator, type KeylimeSimulator } from './index.js';

const VERSION = '2.6';
let certificates: TestCertificates;
let simulator: KeylimeSimulator;

beforeAll(async () => {
  certificates = await createTestCertificates();
  simulator = await createKeylimeSimulator({ certificates, quoteIntervalMs: 40, retryIntervalMs: 20 });
  // The registrar holds the documentation's example agent, and one that never activated.
  simulator.state.registrar.set(FIXTURE_AGENT, { ...FIXTURE_REGISTRAR_RECORD, active: true });
  simulator.state.registrar.set(FIXTURE_OTHER_AGENT, { ...FIXTURE_REGISTRAR_RECORD, active: false });
  simulator.state.outcomes.set(FIXTURE_AGENT, 'pass');
});
afterAll(async () => simulator?.close());

const tls = () => ({ ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key });

/** Send the fixture's request to the simulator and expect the fixture's answer. */
async function expectFixture(fixture: WireFixture, baseUrl = simulator.verifier.url): Promise<void> {
  const answer = await sendRaw(baseUrl, tls(), {
    method: fixture.request.method,
    path: fixturePath(fixture, VERSION),
    body: fixture.request.body,
  });
  expect(answer.status, fixture.source).toBe(fixture.response.status);
  if (fixture.response.body === undefined) {
    expect(answer.text).toBe('');
    return;
  }
  expect(normaliseDynamic(answer.body, fixture.dynamic)).toEqual(
    normaliseDynamic(fixture.response.body, fixture.dynamic),
  );
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const stateOf = (agent: string) => simulator.state.verifier.get(agent)?.operationalState;

describe('the simulated registrar answers as the fixtures recorded', () => {
  it('version, list, show, not found, not activated, delete', async () => {
    const registrar = simulator.registrar.url;
    await expectFixture(registrarFixtures.version, registrar);
    await expectFixture(registrarFixtures.listAgents, registrar);
    await expectFixture(registrarFixtures.getAgent, registrar);
    await expectFixture(registrarFixtures.getAgentUnknown, registrar);
    await expectFixture(registrarFixtures.getAgentInactive, registrar);
    await expectFixture(registrarFixtures.deleteAgentUnknown, registrar);
    await expectFixture(registrarFixtures.deleteAgent, registrar);
    expect(simulator.state.registrar.has(FIXTURE_AGENT)).toBe(false);
    simulator.state.registrar.set(FIXTURE_AGENT, { ...FIXTURE_REGISTRAR_RECORD, active: true });
  });
});

describe('the simulated verifier answers as the fixtures recorded', () => {
  it('version and an unsupported version', async () => {
    await expectFixture(agents.version);
    await expectFixture(agents.unsupportedVersion);
  });

  it('refuses bad add requests without storing anything', async () => {
    await expectFixture(agents.addAgentBadId);
    await expectFixture(agents.addAgentMissingField);
    await expectFixture(agents.addAgentWithoutCertificate);
    expect(simulator.state.verifier.size).toBe(0);
  });

  it('adds an agent, which attests; a second add is a conflict', async () => {
    await expectFixture(agents.addAgent);
    await expectFixture(agents.addAgentConflict);
    await until(() => stateOf(FIXTURE_AGENT) === OperationalStates.GET_QUOTE);
    await expectFixture(agents.getAgent);
    await expectFixture(agents.listAgents);
    await expectFixture({ ...agents.listAgentsBulk, dynamic: agents.getAgent.dynamic });
    await expectFixture(agents.getAgentUnknown);
  });

  it('runtime and measured-boot policies: create, conflict, show, list, delete, in use', async () => {
    await expectFixture(policies.createRuntimePolicy);
    await expectFixture(policies.createRuntimePolicyConflict);
    await expectFixture(policies.getRuntimePolicy);
    await expectFixture(policies.getRuntimePolicyUnknown);
    await expectFixture(policies.replaceRuntimePolicyUnknown);
    await expectFixture(policies.deleteRuntimePolicyInUse);
    await expectFixture(policies.deleteRuntimePolicy);
    await expectFixture({
      ...policies.listRuntimePolicies,
      response: {
        status: 200,
        body: { code: 200, status: 'Success', results: { 'runtimepolicy names': [FIXTURE_AGENT] } },
      },
    });
    await expectFixture(policies.createMbPolicy);
    await expectFixture(policies.getMbPolicy);
    await expectFixture(policies.replaceMbPolicyUnknown);
    await expectFixture(policies.replaceMbPolicy);
    expect(JSON.parse(simulator.state.mbPolicies.get('secure-boot') ?? '{}')).toMatchObject({ has_secureboot: true });
    await expectFixture(policies.listMbPolicies);
    await expectFixture(policies.getMbPolicyUnknown);
    await expectFixture(policies.deleteMbPolicy);
  });

  it('an invalid quote shows as Invalid Quote with the failure event', async () => {
    simulator.revoke(FIXTURE_AGENT, 'pcr_validation.invalid_pcr_0');
    await expectFixture(agents.getAgentInvalidQuote);
  });

  it('stop, reactivate, and stop of an unknown agent', async () => {
    await expectFixture(agents.stopAgent);
    expect(stateOf(FIXTURE_AGENT)).toBe(OperationalStates.TENANT_FAILED);
    await expectFixture(agents.stopAgentUnknown);
    simulator.scriptAgent(FIXTURE_AGENT, 'pass');
    await expectFixture(agents.reactivateAgent);
    // Back to Start and polling again (the first quote may already have come under load).
    expect(stateOf(FIXTURE_AGENT)).not.toBe(OperationalStates.TENANT_FAILED);
    await until(() => stateOf(FIXTURE_AGENT) === OperationalStates.GET_QUOTE);
  });

  it('delete while polled is 202 and the agent goes; delete when stopped is 200; unknown is 404', async () => {
    await expectFixture(agents.deleteAgentPolled);
    expect(stateOf(FIXTURE_AGENT)).toBe(OperationalStates.TERMINATED);
    await until(() => !simulator.state.verifier.has(FIXTURE_AGENT));
    // The verifier deletes the runtime policy named after the agent together with it.
    expect(simulator.state.runtimePolicies.has(FIXTURE_AGENT)).toBe(false);
    await expectFixture(agents.getAgentUnknown);

    await sendRaw(simulator.verifier.url, tls(), {
      method: 'POST',
      path: `/v${VERSION}/agents/${FIXTURE_AGENT}`,
      body: FIXTURE_ADD_AGENT_BODY,
    });
    await expectFixture(agents.stopAgent);
    await expectFixture(agents.deleteAgentStopped);
    expect(simulator.state.verifier.has(FIXTURE_AGENT)).toBe(false);
    await expectFixture(agents.deleteAgentUnknown);
  });
});
