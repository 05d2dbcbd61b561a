import { envelope, FIXTURE_AGENT, FIXTURE_OTHER_AGENT, type WireFixture } from './wire-fixture.js';

const SOURCE = 'keylime/web/registrar/agents_controller.py; docs/rest_apis/2_5/registrar.rst';

/** The AK of the documentation's example agent (TPM2B_PUBLIC, base64). */
export const FIXTURE_AIK_TPM =
  'ARgAAQALAAUAcgAAABAAFAALCAAAAAAAAQDjZ4J2HO7ekIONAX/eYIzt7ziiVAqE/1D7I9oEwIE88dIfqH0FQLJAg8u3+ZOgsJDQr9HiMhZRPhv8hRuia8ULdAomyOFA1cVzlBF+xcPUEemOIofbvcBNAoTY/x49r8LpqAEUBBiUeOniQbjfRaV2S5cEAA92wHLQAPLF9Sbf3zNxCnbhtRkEi6C3NYl8/FJqyu5Z9vvwEBBOFFTPasAxMtPm6a+Z5KJ4rDflipfaVcUvTKLIBRI7wkuXqhTR8BeIByK9upQ3iBo+FbYjWSf+BaN+wodMNgPbzxyL+tuxVqiPefBbv+sTWVxmYfo5i84FlbNOAW3APH8c+jZ3tgbt';

/** A stand-in for an agent's self-signed mTLS certificate. */
export const FIXTURE_MTLS_CERT =
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFixture\n-----END CERTIFICATE-----\n';

/** The registrar's record of the example agent. */
export const FIXTURE_REGISTRAR_RECORD = {
  aik_tpm: FIXTURE_AIK_TPM,
  ek_tpm: 'AToAAQALAAMAsgAgg3GXZ0SEs/gakMyNRqXXJP1S124GUgtk8qHaGzMUaaoABgCAAEMAEAgAAAAAAAEA0YwlPPIoXryMvbD5cIokN9Ok',
  ekcert: 'MIIEGTCCAoGgAwIBAgIBBTANBgkqhkiG9w0BAQsFADAYMRYwFAYDVQQDEw1zd3RwbS1sb2NhbGNh',
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
        current_version: '2.6',
        supported_versions: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '3.0'],
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
    source: SOURCE,
    request: { method: 'GET', path: '/agents/no-such-agent' },
    response: { status: 404, body: envelope(404, "Agent with ID 'no-such-agent' not found") },
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
} satisfies Record<string, WireFixture>;
