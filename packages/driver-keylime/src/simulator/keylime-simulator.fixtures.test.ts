import { createTestCertificates, type TestCertificates } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  verifierAgentFixtures as agents,
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

const VERSION = '2.5';
let certificates: TestCertificates;
let simulator: KeylimeSimulator;

const registerFixtureAgents = () => {
  // The registrar holds the documentation's example agent, and one that never activated.
  simulator.state.registrar.set(FIXTURE_AGENT, { ...FIXTURE_REGISTRAR_RECORD, active: true });
  simulator.state.registrar.set(FIXTURE_OTHER_AGENT, { ...FIXTURE_REGISTRAR_RECORD, active: false });
};

beforeAll(async () => {
  certificates = await createTestCertificates();
  // The fixtures were recorded from Keylime master when it advertised 2.5: its web-framework routing.
  simulator = await createKeylimeSimulator({
    certificates,
    release: 'current',
    versions: { current: '2.5', supported: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '3.0'] },
    quoteIntervalMs: 40,
    retryIntervalMs: 20,
  });
  registerFixtureAgents();
  simulator.state.outcomes.set(FIXTURE_AGENT, 'pass');
});
afterAll(async () => simulator?.close());

const tls = () => ({ ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key });

/** Send the fixture's request to the simulator and expect the fixture's answer, byte for byte where pinned. */
async function expectFixture(fixture: WireFixture, baseUrl = simulator.verifier.url): Promise<void> {
  const answer = await sendRaw(baseUrl, tls(), {
    method: fixture.request.method,
    path: fixturePath(fixture, VERSION),
    body: fixture.request.body,
    rawBody: fixture.request.rawBody,
  });
  expect(answer.status, fixture.source).toBe(fixture.response.status);
  for (const [name, value] of Object.entries(fixture.response.headers ?? {}))
    expect(answer.headers[name], `${name}: ${fixture.source}`).toBe(value);
  if (fixture.response.text !== undefined) expect(answer.text).toBe(fixture.response.text);
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
/** Periodic attestation: Get Quote again after Provide V (Keylime stores 3, 5, then 3 after a first quote). */
const attesting = (agent: string) => {
  const history = simulator.state.verifier.get(agent)?.history ?? [];
  return history.at(-1) === OperationalStates.GET_QUOTE && history.includes(OperationalStates.PROVIDE_V);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the simulated registrar answers as the fixtures recorded', () => {
  it('version, list, show (id first, indent-4 JSON), not found, not activated, any 2.x minor, bare 404/405, delete', async () => {
    const registrar = simulator.registrar.url;
    for (const fixture of [
      registrarFixtures.version,
      registrarFixtures.listAgents,
      registrarFixtures.getAgent,
      registrarFixtures.getAgentUnknown,
      registrarFixtures.getAgentInactive,
      registrarFixtures.deleteAgentUnknown,
      registrarFixtures.listAgentsAnyMinorVersion,
      registrarFixtures.unknownRoute,
      registrarFixtures.wrongMethod,
      registrarFixtures.deleteAgent,
    ]) {
      await expectFixture(fixture, registrar);
    }
    expect(simulator.state.registrar.has(FIXTURE_AGENT)).toBe(false);
    registerFixtureAgents();
  });
});

describe('the simulated verifier routes as Keylime’s web framework does', () => {
  it('version; an unknown 2.x minor is refused by the handler, an unknown major has no route', async () => {
    for (const fixture of [
      agents.version,
      agents.unsupportedVersion,
      agents.unknownMajorVersion,
      agents.unknownRoute,
      agents.versionsPath,
      agents.versionRoot,
    ]) {
      await expectFixture(fixture);
    }
  });

  it('the root redirects to the latest 3.x, and every answer echoes a cleaned X-Request-ID', async () => {
    const root = await sendRaw(simulator.verifier.url, tls(), {
      method: 'GET',
      path: '/',
      headers: { 'x-request-id': 'abc-123 !x' },
    });
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/v3.0/');
    expect(root.headers['x-request-id']).toBe('abc123x');
  });
});

describe('the simulated verifier answers agent calls as the fixtures recorded', () => {
  it('refuses bad add requests in Keylime’s order, storing nothing until the runtime policy is stored', async () => {
    for (const fixture of [
      agents.addAgentBadId,
      agents.addAgentMissingField,
      agents.addAgentPortNotANumber,
      agents.addAgentWithoutCertificate,
      agents.addAgentWithoutRuntimePolicy,
      agents.addAgentUnknownRuntimePolicyName,
    ]) {
      await expectFixture(fixture);
    }
    expect(simulator.state.verifier.size).toBe(0);
    expect(simulator.state.runtimePolicies.size).toBe(0);
    // Keylime stores the agent's runtime policy before it reads mb_policy_name; the refusal leaves it.
    await expectFixture(agents.addAgentWithoutMbPolicyName);
    expect(simulator.state.verifier.size).toBe(0);
    expect([...simulator.state.runtimePolicies.keys()]).toEqual([FIXTURE_OTHER_AGENT]);
    const cleanup = await sendRaw(simulator.verifier.url, tls(), {
      method: 'DELETE',
      path: `/v${VERSION}/allowlists/${FIXTURE_OTHER_AGENT}`,
    });
    expect(cleanup.status).toBe(204);
  });

  it('adds an agent, which attests; a second add is a conflict; lists, bulk and a blank bulk', async () => {
    await expectFixture(agents.addAgent);
    await expectFixture(agents.addAgentConflict);
    await until(() => attesting(FIXTURE_AGENT));
    for (const fixture of [agents.getAgent, agents.listAgents, agents.listAgentsBlankBulk, agents.getAgentUnknown]) {
      await expectFixture(fixture);
    }
    await expectFixture({ ...agents.listAgentsBulk, dynamic: agents.getAgent.dynamic });
    await expectFixture(agents.wrongMethod);
  });
});

describe('the simulated verifier answers policy calls as the fixtures recorded', () => {
  it('runtime policies: create, conflicts (a named policy before the agent), show, list, refusals, delete', async () => {
    for (const fixture of [
      policies.createRuntimePolicy,
      policies.createRuntimePolicyConflict,
      agents.addAgentRuntimePolicyNameTaken,
      policies.getRuntimePolicy,
      policies.getRuntimePolicyOfAgent,
      policies.listRuntimePolicies,
      policies.getRuntimePolicyUnknown,
      policies.replaceRuntimePolicyUnknown,
      policies.createRuntimePolicyNotJson,
      policies.createRuntimePolicyMalformed,
      policies.createRuntimePolicyWithoutPolicy,
      policies.deleteRuntimePolicyInUse,
      policies.deleteRuntimePolicy,
    ]) {
      await expectFixture(fixture);
    }
    expect(simulator.state.runtimePolicies.has('broken')).toBe(false);
  });

  it('measured-boot policies: stored as sent, the agent’s own (null) one listed, 409 for an unknown update', async () => {
    await expectFixture(policies.createMbPolicy);
    await expectFixture(policies.getMbPolicy);
    await expectFixture(policies.replaceMbPolicyUnknown);
    await expectFixture(policies.replaceMbPolicy);
    expect(JSON.parse(simulator.state.mbPolicies.get('secure-boot') ?? '{}')).toMatchObject({ has_secureboot: true });
    for (const fixture of [
      policies.listMbPolicies,
      policies.getMbPolicyOfAgent,
      policies.getMbPolicyUnknown,
      policies.deleteMbPolicy,
      policies.createMbPolicyUnchecked,
      policies.getMbPolicyUnchecked,
    ]) {
      await expectFixture(fixture);
    }
  });
});

describe('the simulated verifier’s agent life cycle on the wire', () => {
  it('an invalid quote shows as Invalid Quote with the failure event', async () => {
    simulator.revoke(FIXTURE_AGENT, 'pcr_validation.invalid_pcr_0');
    await expectFixture(agents.getAgentInvalidQuote);
  });

  it('reactivate polls a failed agent again, keeping its recorded failure', async () => {
    await expectFixture(agents.reactivateAgent);
    await until(() => stateOf(FIXTURE_AGENT) === OperationalStates.GET_QUOTE);
    expect(simulator.state.verifier.get(FIXTURE_AGENT)).toMatchObject({
      severityLevel: 6,
      lastEventId: 'pcr_validation.invalid_pcr_0',
    });
  });

  it('stop; reactivate of a stopped agent answers 200 but leaves it stopped; stop of an unknown agent', async () => {
    await expectFixture(agents.stopAgent);
    expect(stateOf(FIXTURE_AGENT)).toBe(OperationalStates.TENANT_FAILED);
    await expectFixture(agents.reactivateAgent);
    await sleep(150);
    expect(stateOf(FIXTURE_AGENT)).toBe(OperationalStates.TENANT_FAILED);
    await expectFixture(agents.stopAgentUnknown);
  });

  it('delete when stopped is 200 and takes the agent’s own policies; while polled 202, gone at the next poll', async () => {
    await expectFixture(agents.deleteAgentStopped);
    expect(simulator.state.verifier.has(FIXTURE_AGENT)).toBe(false);
    expect(simulator.state.runtimePolicies.has(FIXTURE_AGENT)).toBe(false);
    expect(simulator.state.mbPolicies.has(FIXTURE_AGENT)).toBe(false);
    await expectFixture(agents.addAgent);
    await until(() => attesting(FIXTURE_AGENT));
    await expectFixture(agents.deleteAgentPolled);
    expect(stateOf(FIXTURE_AGENT)).toBe(OperationalStates.TERMINATED);
    await until(() => !simulator.state.verifier.has(FIXTURE_AGENT));
    await expectFixture(agents.deleteAgentUnknown);
  });
});
