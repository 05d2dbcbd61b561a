import { OcxError } from '@ocx/core';
import { createTestCertificates, createTestServer, type TestCertificates, type TestServer } from '@ocx/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  verifierAgentFixtures as agents,
  envelope,
  FIXTURE_ADD_AGENT_BODY,
  FIXTURE_AGENT,
  FIXTURE_AGENT_STATUS,
  FIXTURE_MB_POLICY,
  FIXTURE_REGISTRAR_RECORD,
  FIXTURE_RUNTIME_POLICY_JSON,
  verifierPolicyFixtures as policies,
  registrarFixtures,
  type WireFixture,
} from '../__fixtures__/index.js';
import { serveFixture } from '../__fixtures__/serve-fixtures.js';
import { createKeylimeClient, type KeylimeClient } from './index.js';

const VERSION = '2.5';
let certificates: TestCertificates;
let verifier: TestServer;
let registrar: TestServer;
let client: KeylimeClient;

beforeAll(async () => {
  certificates = await createTestCertificates();
  const tls = {
    key: certificates.server.key,
    cert: certificates.server.cert,
    ca: certificates.ca.cert,
    requestCert: true,
  };
  verifier = await createTestServer({ tls });
  registrar = await createTestServer({ tls });
});
afterAll(async () => {
  await verifier?.close();
  await registrar?.close();
});
afterEach(async () => {
  await client?.close();
  verifier.reset();
  registrar.reset();
});

function connect(options: { apiVersion?: string } = {}): KeylimeClient {
  serveFixture(verifier, agents.version, VERSION);
  serveFixture(registrar, registrarFixtures.version, VERSION);
  client = createKeylimeClient({
    verifier: { url: verifier.url },
    registrar: { url: registrar.url },
    tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
    retries: 0,
    ...options,
  });
  return client;
}

/** The one request the server saw for the fixture, checked against the fixture's request. */
function expectSent(server: TestServer, fixture: WireFixture): void {
  const path = `${fixture.request.versioned === false ? '' : `/v${VERSION}`}${fixture.request.path}`;
  const sent = server.requests.filter((request) => request.method === fixture.request.method && request.path === path);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.query).toEqual(fixture.request.query ?? {});
  if (fixture.request.body === undefined) expect(sent[0]!.body).toBe('');
  else expect(JSON.parse(sent[0]!.body)).toEqual(fixture.request.body);
  // Every call carried the client certificate.
  expect(sent[0]!.clientCertificateSubject).toBe('client');
}

/** The OcxError a call rejects with. */
async function rejection(promise: Promise<unknown>): Promise<OcxError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(OcxError.is(error), `expected an OcxError, got ${String(error)}`).toBe(true);
  return error as OcxError;
}

async function expectError(promise: Promise<unknown>, code: string, fixture: WireFixture): Promise<OcxError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(OcxError.is(error), `expected an OcxError, got ${String(error)}`).toBe(true);
  const ocx = error as OcxError;
  expect(ocx.code).toBe(code);
  expect(ocx.status).toBe(fixture.response.status);
  expect(ocx.backendMessage).toBe((fixture.response.body as { status: string }).status);
  return ocx;
}

describe('version negotiation', () => {
  it('uses the highest shared 2.x version and asks each server once', async () => {
    const keylime = connect();
    serveFixture(verifier, agents.getAgent, VERSION);
    serveFixture(registrar, registrarFixtures.getAgent, VERSION);
    expect(await keylime.verifier.apiVersion()).toBe('2.5');
    await keylime.verifier.agents.get(FIXTURE_AGENT);
    await keylime.verifier.agents.get(FIXTURE_AGENT);
    await keylime.registrar.agents.get(FIXTURE_AGENT);
    expect(verifier.requests.filter((request) => request.path === '/version')).toHaveLength(1);
    expect(registrar.requests.filter((request) => request.path === '/version')).toHaveLength(1);
  });

  it('an older server: the highest version it offers', async () => {
    const keylime = connect();
    verifier.route('GET', '/version', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(envelope(200, 'Success', { current_version: '2.1', supported_versions: ['1.0', '2.0', '2.1'] })),
      );
    });
    expect(await keylime.verifier.apiVersion()).toBe('2.1');
  });

  it('a preferred version the server offers is used', async () => {
    const keylime = connect({ apiVersion: '2.3' });
    expect(await keylime.verifier.apiVersion()).toBe('2.3');
  });

  it('a server with no 2.x version is a capability error, and measured-boot routes need 2.3', async () => {
    const keylime = connect();
    verifier.route('GET', '/version', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(envelope(200, 'Success', { current_version: '3.0', supported_versions: ['3.0'] })));
    });
    await expect(keylime.verifier.agents.list()).rejects.toMatchObject({ code: 'capability' });
    registrar.route('GET', '/version', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(envelope(200, 'Success', { current_version: '2.2' })));
    });
    const old = createKeylimeClient({
      verifier: { url: registrar.url },
      registrar: { url: registrar.url },
      tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
    });
    await expect(old.verifier.measuredBootPolicies.list()).rejects.toMatchObject({ code: 'capability' });
    expect(registrar.requests.some((request) => request.path.includes('mbpolicies'))).toBe(false);
    await old.close();
  });
});

describe('verifier agent calls send and read what the fixtures recorded', () => {
  it('add', async () => {
    const keylime = connect();
    serveFixture(verifier, agents.addAgent, VERSION);
    await keylime.verifier.agents.add(FIXTURE_AGENT, FIXTURE_ADD_AGENT_BODY);
    expectSent(verifier, agents.addAgent);
  });

  it('get, list (rows flattened), bulk list', async () => {
    const keylime = connect();
    for (const fixture of [agents.getAgent, agents.listAgents]) serveFixture(verifier, fixture, VERSION);
    expect(await keylime.verifier.agents.get(FIXTURE_AGENT)).toEqual(FIXTURE_AGENT_STATUS);
    expect(await keylime.verifier.agents.list()).toEqual([FIXTURE_AGENT]);
    expectSent(verifier, agents.getAgent);
    verifier.reset();
    serveFixture(verifier, agents.version, VERSION);
    serveFixture(verifier, agents.listAgentsBulk, VERSION);
    expect(await keylime.verifier.agents.listWithStatus()).toEqual({ [FIXTURE_AGENT]: FIXTURE_AGENT_STATUS });
    expectSent(verifier, agents.listAgentsBulk);
  });

  it('stop and reactivate', async () => {
    const keylime = connect();
    serveFixture(verifier, agents.stopAgent, VERSION);
    serveFixture(verifier, agents.reactivateAgent, VERSION);
    await keylime.verifier.agents.stop(FIXTURE_AGENT);
    await keylime.verifier.agents.reactivate(FIXTURE_AGENT);
    expectSent(verifier, agents.stopAgent);
    expectSent(verifier, agents.reactivateAgent);
  });

  it('delete answered 200 is done; 202 is followed with GET until 404', async () => {
    const keylime = connect();
    serveFixture(verifier, agents.deleteAgentStopped, VERSION);
    expect(await keylime.verifier.agents.delete(FIXTURE_AGENT)).toBe('deleted');

    verifier.reset();
    serveFixture(verifier, agents.version, VERSION);
    serveFixture(verifier, agents.deleteAgentPolled, VERSION);
    let gets = 0;
    verifier.route('GET', `/v${VERSION}/agents/${FIXTURE_AGENT}`, (_request, response) => {
      gets += 1;
      const fixture = gets < 3 ? { ...FIXTURE_AGENT_STATUS, operational_state: 8 } : undefined;
      const body = fixture === undefined ? agents.getAgentUnknown.response.body : envelope(200, 'Success', fixture);
      response.writeHead(fixture === undefined ? 404 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
    expect(await keylime.verifier.agents.delete(FIXTURE_AGENT, { pollIntervalMs: 10 })).toBe('deleted');
    expect(gets).toBe(3);
  });

  it('Keylime’s refusals become typed errors carrying its message', async () => {
    const keylime = connect();
    for (const fixture of [agents.getAgentUnknown, agents.deleteAgentUnknown, agents.stopAgentUnknown])
      serveFixture(verifier, fixture, VERSION);
    await expectError(keylime.verifier.agents.get('no-such-agent'), 'not-found', agents.getAgentUnknown);
    await expectError(keylime.verifier.agents.delete('no-such-agent'), 'not-found', agents.deleteAgentUnknown);
    expect(await keylime.verifier.agents.delete('no-such-agent', { ignoreMissing: true })).toBe('absent');
    // The wire says 400 "Exception error: No row was found…" (AgentsHandler.put's `.one()`); the
    // client calls it what it is, keeping the wire status.
    const unknownStop = await expectError(
      keylime.verifier.agents.stop('no-such-agent'),
      'not-found',
      agents.stopAgentUnknown,
    );
    expect(unknownStop.status).toBe(400);

    serveFixture(verifier, agents.addAgentConflict, VERSION);
    const conflict = await expectError(
      keylime.verifier.agents.add(FIXTURE_AGENT, FIXTURE_ADD_AGENT_BODY),
      'conflict',
      agents.addAgentConflict,
    );
    expect(conflict.backend).toBe('keylime-verifier');
    expect(conflict.operation).toBe('add_agent');
  });

  it('a bad agent id or a bad body is refused before anything is sent', async () => {
    const keylime = connect();
    const badId = await rejection(keylime.verifier.agents.get('bad id'));
    expect(badId).toMatchObject({ code: 'validation' });
    expect(badId.issues[0]?.path).toBe('agent');
    const badBody = await rejection(
      keylime.verifier.agents.add(FIXTURE_AGENT, {
        ...FIXTURE_ADD_AGENT_BODY,
        tpm_policy: JSON.stringify({ 24: ['00'.repeat(32)], mask: '0x1' }),
      }),
    );
    expect(badBody).toMatchObject({ code: 'validation' });
    expect(badBody.issues.map((issue) => issue.path)).toContain('request.tpm_policy.24');
    expect(verifier.requests).toHaveLength(0);
  });
});

describe('policy calls send and read what the fixtures recorded', () => {
  it('runtime policies: create, get, list, delete; conflicts and unknown names are typed', async () => {
    const keylime = connect();
    for (const fixture of [
      policies.createRuntimePolicy,
      policies.getRuntimePolicy,
      policies.listRuntimePolicies,
      policies.deleteRuntimePolicy,
    ]) {
      serveFixture(verifier, fixture, VERSION);
    }
    await keylime.verifier.runtimePolicies.create('web-servers', { policy: FIXTURE_RUNTIME_POLICY_JSON });
    expectSent(verifier, policies.createRuntimePolicy);
    const stored = await keylime.verifier.runtimePolicies.get('web-servers');
    expect(JSON.parse(stored.runtime_policy ?? '')).toEqual(FIXTURE_RUNTIME_POLICY_JSON);
    expect(await keylime.verifier.runtimePolicies.list()).toEqual([FIXTURE_AGENT, 'web-servers']);
    await keylime.verifier.runtimePolicies.delete('web-servers');
    expectSent(verifier, policies.deleteRuntimePolicy);

    verifier.reset();
    serveFixture(verifier, agents.version, VERSION);
    for (const fixture of [
      policies.createRuntimePolicyConflict,
      policies.getRuntimePolicyUnknown,
      policies.replaceRuntimePolicyUnknown,
    ]) {
      serveFixture(verifier, fixture, VERSION);
    }
    await expectError(
      keylime.verifier.runtimePolicies.create('web-servers', { policy: FIXTURE_RUNTIME_POLICY_JSON }),
      'conflict',
      policies.createRuntimePolicyConflict,
    );
    await expectError(keylime.verifier.runtimePolicies.get('nothing'), 'not-found', policies.getRuntimePolicyUnknown);
    await expectError(
      keylime.verifier.runtimePolicies.replace('nothing', { policy: FIXTURE_RUNTIME_POLICY_JSON }),
      'not-found',
      policies.replaceRuntimePolicyUnknown,
    );
  });

  it('a runtime policy Keylime’s schema refuses, or a name the verifier would not decode, is refused before it is sent', async () => {
    const keylime = connect();
    const { generator: _generator, ...meta } = FIXTURE_RUNTIME_POLICY_JSON.meta;
    const withoutGenerator = await rejection(
      keylime.verifier.runtimePolicies.create('web-servers', {
        policy: { ...FIXTURE_RUNTIME_POLICY_JSON, meta } as never,
      }),
    );
    expect(withoutGenerator.issues.map((issue) => issue.path)).toContain('policy.meta.generator');
    const badName = await rejection(
      keylime.verifier.runtimePolicies.create('web servers', { policy: FIXTURE_RUNTIME_POLICY_JSON }),
    );
    expect(badName.issues[0]?.path).toBe('name');
    expect(verifier.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });

  it('a malformed runtime policy is refused before it is sent', async () => {
    const keylime = connect();
    const error = await rejection(
      keylime.verifier.runtimePolicies.create('web-servers', {
        policy: { ...FIXTURE_RUNTIME_POLICY_JSON, digests: { '/bin/sh': ['xyz'] } },
      }),
    );
    expect(error).toMatchObject({ code: 'validation' });
    expect(error.issues[0]?.path).toBe('policy.digests./bin/sh.0');
    expect(verifier.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });

  it('measured-boot policies: create, get, list, delete', async () => {
    const keylime = connect();
    for (const fixture of [
      policies.createMbPolicy,
      policies.getMbPolicy,
      policies.listMbPolicies,
      policies.deleteMbPolicy,
      policies.getMbPolicyUnknown,
    ]) {
      serveFixture(verifier, fixture, VERSION);
    }
    await keylime.verifier.measuredBootPolicies.create('secure-boot', FIXTURE_MB_POLICY);
    expectSent(verifier, policies.createMbPolicy);
    expect(await keylime.verifier.measuredBootPolicies.get('secure-boot')).toEqual({
      name: 'secure-boot',
      mb_policy: JSON.stringify(FIXTURE_MB_POLICY),
    });
    expect(await keylime.verifier.measuredBootPolicies.list()).toEqual([FIXTURE_AGENT, 'secure-boot']);
    serveFixture(verifier, policies.replaceMbPolicy, VERSION);
    await keylime.verifier.measuredBootPolicies.replace('secure-boot', { ...FIXTURE_MB_POLICY, has_secureboot: true });
    expectSent(verifier, policies.replaceMbPolicy);
    serveFixture(verifier, policies.replaceMbPolicyUnknown, VERSION);
    await expectError(
      keylime.verifier.measuredBootPolicies.replace('nothing', FIXTURE_MB_POLICY),
      'conflict',
      policies.replaceMbPolicyUnknown,
    );
    await keylime.verifier.measuredBootPolicies.delete('secure-boot');
    await expectError(keylime.verifier.measuredBootPolicies.get('nothing'), 'not-found', policies.getMbPolicyUnknown);
  });
});

describe('answers without Keylime’s envelope', () => {
  it('the web framework’s bare 404 and 405 are typed errors, and a 500 without a body is retryable', async () => {
    const keylime = connect();
    serveFixture(verifier, { ...agents.unknownRoute, request: { method: 'GET', path: '/agents/gone' } }, VERSION);
    serveFixture(verifier, { ...agents.wrongMethod, request: { method: 'PUT', path: '/agents/x/stop' } }, VERSION);
    serveFixture(
      verifier,
      { ...policies.createRuntimePolicyWithoutPolicy, request: { method: 'GET', path: '/allowlists/' } },
      VERSION,
    );
    expect(await rejection(keylime.verifier.agents.get('gone'))).toMatchObject({ code: 'not-found', status: 404 });
    expect(await rejection(keylime.verifier.agents.stop('x'))).toMatchObject({ code: 'http', status: 405 });
    expect(await rejection(keylime.verifier.runtimePolicies.list())).toMatchObject({
      code: 'http',
      status: 500,
      retryable: true,
    });
  });
});

describe('registrar calls send and read what the fixtures recorded', () => {
  it('list, get, delete, and its refusals', async () => {
    const keylime = connect();
    for (const fixture of Object.values(registrarFixtures)) serveFixture(registrar, fixture, VERSION);
    // Routes added later win: the unknown/inactive ones do not shadow the example agent's.
    serveFixture(registrar, registrarFixtures.getAgent, VERSION);
    serveFixture(registrar, registrarFixtures.deleteAgent, VERSION);
    expect(await keylime.registrar.agents.list()).toEqual(
      (registrarFixtures.listAgents.response.body.results as { uuids: string[] }).uuids,
    );
    expect(await keylime.registrar.agents.get(FIXTURE_AGENT)).toEqual(FIXTURE_REGISTRAR_RECORD);
    await keylime.registrar.agents.delete(FIXTURE_AGENT);
    expectSent(registrar, registrarFixtures.deleteAgent);
    await expectError(keylime.registrar.agents.get('no-such-agent'), 'not-found', registrarFixtures.getAgentUnknown);
    await keylime.registrar.agents.delete('no-such-agent', { ignoreMissing: true });
  });
});
