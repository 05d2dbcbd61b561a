import {
  BARE_RESPONSE_HEADERS,
  envelope,
  FIXTURE_AGENT,
  FIXTURE_OTHER_AGENT,
  type WireFixture,
} from './wire-fixture.js';

const SOURCE = 'keylime/web/registrar/agents_controller.py; docs/rest_apis/2_5/registrar.rst';
const SERVER = 'keylime/web/registrar_server.py; keylime/web/base/route.py';

/** The AK of the documentation's example agent (TPM2B_PUBLIC, base64). */
export const FIXTURE_AIK_TPM =
  'ARgAAQALAAUAcgAAABAAFAALCAAAAAAAAQDjZ4J2HO7ekIONAX/eYIzt7ziiVAqE/1D7I9oEwIE88dIfqH0FQLJAg8u3+ZOgsJDQr9HiMhZRPhv8hRuia8ULdAomyOFA1cVzlBF+xcPUEemOIofbvcBNAoTY/x49r8LpqAEUBBiUeOniQbjfRaV2S5cEAA92wHLQAPLF9Sbf3zNxCnbhtRkEi6C3NYl8/FJqyu5Z9vvwEBBOFFTPasAxMtPm6a+Z5KJ4rDflipfaVcUvTKLIBRI7wkuXqhTR8BeIByK9upQ3iBo+FbYjWSf+BaN+wodMNgPbzxyL+tuxVqiPefBbv+sTWVxmYfo5i84FlbNOAW3APH8c+jZ3tgbt';

/** A stand-in for an agent's self-signed mTLS certificate. */
export const FIXTURE_MTLS_CERT =
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFixture\n-----END CERTIFICATE-----\n';

/**
 * The registrar's record of the example agent, in RegistrarAgent.render's field order
 * (keylime/models/registrar/registrar_agent.py): the id first, the EK certificate as base64 DER.
 */
export const FIXTURE_REGISTRAR_RECORD = {
  agent_id: FIXTURE_AGENT,
  ek_tpm: 'AToAAQALAAMAsgAgg3GXZ0SEs/gakMyNRqXXJP1S124GUgtk8qHaGzMUaaoABgCAAEMAEAgAAAAAAAEA0YwlPPIoXryMvbD5cIokN9Ok',
  ekcert: 'MIIEGTCCAoGgAwIBAgIBBTANBgkqhkiG9w0BAQsFADAYMRYwFAYDVQQDEw1zd3RwbS1sb2NhbGNh',
  aik_tpm: FIXTURE_AIK_TPM,
  mtls_cert: FIXTURE_MTLS_CERT,
  ip: '127.0.0.1',
  port: 9002,
  regcount: 1,
};

/** Registrar calls, by name. */
export const registrarFixtures = {
  version: {
    source: 'keylime/web/registrar/version_controller.py',
    request: { method: 'GET', path: '/version', versioned: false },
    response: {
      status: 200,
      body: envelope(200, 'Success', {
        current_version: '2.5',
        supported_versions: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '3.0'],
      }),
    },
  },
  listAgents: {
    source: SOURCE,
    request: { method: 'GET', path: '/agents/' },
    response: { status: 200, body: envelope(200, 'Success', { uuids: [FIXTURE_AGENT, FIXTURE_OTHER_AGENT] }) },
  },
  getAgent: {
    source: SOURCE,
    request: { method: 'GET', path: `/agents/${FIXTURE_AGENT}` },
    response: { status: 200, body: envelope(200, 'Success', FIXTURE_REGISTRAR_RECORD) },
  },
  getAgentUnknown: {
    source: `${SOURCE}; keylime/web/base/controller.py Controller.respond (json.dumps indent=4)`,
    request: { method: 'GET', path: '/agents/no-such-agent' },
    response: {
      status: 404,
      body: envelope(404, "Agent with ID 'no-such-agent' not found"),
      text: '{\n    "code": 404,\n    "status": "Agent with ID \'no-such-agent\' not found",\n    "results": {}\n}',
      headers: { 'content-type': 'application/json' },
    },
  },
  getAgentInactive: {
    source: SOURCE,
    request: { method: 'GET', path: `/agents/${FIXTURE_OTHER_AGENT}` },
    response: { status: 404, body: envelope(404, `Agent with ID '${FIXTURE_OTHER_AGENT}' has not been activated`) },
  },
  deleteAgent: {
    source: SOURCE,
    request: { method: 'DELETE', path: `/agents/${FIXTURE_AGENT}` },
    response: { status: 200, body: envelope(200, 'Success') },
  },
  deleteAgentUnknown: {
    source: SOURCE,
    request: { method: 'DELETE', path: '/agents/no-such-agent' },
    response: { status: 404, body: envelope(404, "Agent with ID 'no-such-agent' not found") },
  },
  listAgentsAnyMinorVersion: {
    source: `${SERVER} (the registrar routes /v2.:minor and checks no version)`,
    request: { method: 'GET', path: '/v2.9/agents/', versioned: false },
    response: { status: 200, body: envelope(200, 'Success', { uuids: [FIXTURE_AGENT, FIXTURE_OTHER_AGENT] }) },
  },
  unknownRoute: {
    source: `${SERVER}; keylime/web/base/default_controller.py not_found`,
    request: { method: 'GET', path: '/versions', versioned: false },
    response: { status: 404, headers: BARE_RESPONSE_HEADERS },
  },
  wrongMethod: {
    source: `${SERVER}; keylime/web/base/default_controller.py method_not_allowed`,
    request: { method: 'PATCH', path: `/agents/${FIXTURE_AGENT}` },
    response: { status: 405, headers: BARE_RESPONSE_HEADERS },
  },
} satisfies Record<string, WireFixture>;
