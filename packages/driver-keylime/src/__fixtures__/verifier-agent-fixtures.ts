import { FIXTURE_AIK_TPM, FIXTURE_MTLS_CERT } from './registrar-fixtures.js';
import {
  BARE_RESPONSE_HEADERS,
  envelope,
  FIXTURE_AGENT,
  FIXTURE_OTHER_AGENT,
  type WireFixture,
} from './wire-fixture.js';

const HANDLER = 'keylime/cloud_verifier_tornado.py AgentsHandler';
const DOCS = 'docs/rest_apis/2_5/verifier.rst';
const ROUTES = 'keylime/web/verifier_server.py; keylime/web/base/route.py, default_controller.py';

/** The add-agent body without one field. */
function without(key: keyof typeof FIXTURE_ADD_AGENT_BODY): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = FIXTURE_ADD_AGENT_BODY;
  return rest;
}

/** A TPM policy as the tenant sends it: PCR → digests, and the quote mask (PCRs 0 and 10). */
export const FIXTURE_TPM_POLICY = JSON.stringify({ 0: ['0'.repeat(64)], mask: '0x401' });

/** A runtime policy allowing one file. */
export const FIXTURE_RUNTIME_POLICY_JSON = {
  meta: { version: 1, generator: 3 },
  release: 0,
  digests: { '/usr/bin/bash': ['ab'.repeat(32)] },
  excludes: [] as string[],
  keyrings: {},
  ima: { ignored_keyrings: [] as string[], log_hash_alg: 'sha1' as const, dm_policy: null },
  'ima-buf': {},
  'verification-keys': '',
};
/** {@link FIXTURE_RUNTIME_POLICY_JSON}, base64 as the verifier wants it. */
export const FIXTURE_RUNTIME_POLICY = Buffer.from(JSON.stringify(FIXTURE_RUNTIME_POLICY_JSON)).toString('base64');

/** The add-agent body for the example agent, as the SDK sends it. */
export const FIXTURE_ADD_AGENT_BODY = {
  v: Buffer.alloc(32, 7).toString('base64'),
  cloudagent_ip: '127.0.0.1',
  cloudagent_port: 9002,
  tpm_policy: FIXTURE_TPM_POLICY,
  runtime_policy: FIXTURE_RUNTIME_POLICY,
  runtime_policy_name: null,
  runtime_policy_key: '',
  runtime_policy_sig: '',
  mb_policy: null,
  mb_policy_name: null,
  mb_refstate: 'null',
  ima_sign_verification_keys: '[]',
  metadata: JSON.stringify({ ocx_node: 'node-1' }),
  revocation_key: '',
  accept_tpm_hash_algs: ['sha512', 'sha384', 'sha256'],
  accept_tpm_encryption_algs: ['ecc', 'rsa'],
  accept_tpm_signing_algs: ['ecschnorr', 'rsassa'],
  ak_tpm: FIXTURE_AIK_TPM,
  mtls_cert: FIXTURE_MTLS_CERT,
  supported_version: '2.1',
};

/** Fields of an agent's status that change from poll to poll. */
const STATUS_DYNAMIC = [
  'attestation_count',
  'last_received_quote',
  'last_successful_attestation',
  'verifier_port',
] as const;

/** The verifier's status of the example agent once attested (Get Quote, PASS). */
export const FIXTURE_AGENT_STATUS = {
  operational_state: 3,
  v: FIXTURE_ADD_AGENT_BODY.v,
  ip: '127.0.0.1',
  port: 9002,
  tpm_policy: FIXTURE_TPM_POLICY,
  meta_data: FIXTURE_ADD_AGENT_BODY.metadata,
  has_mb_refstate: 0,
  has_runtime_policy: 1,
  accept_tpm_hash_algs: ['sha512', 'sha384', 'sha256'],
  accept_tpm_encryption_algs: ['ecc', 'rsa'],
  accept_tpm_signing_algs: ['ecschnorr', 'rsassa'],
  hash_alg: 'sha256',
  enc_alg: 'rsa2048',
  sign_alg: 'rsassa',
  verifier_id: 'default',
  verifier_ip: '127.0.0.1',
  verifier_port: 8881,
  severity_level: null,
  last_event_id: null,
  attestation_count: 240,
  last_received_quote: 1676644582,
  last_successful_attestation: 1676644582,
  attestation_status: 'PASS',
};

/** The same agent after a quote violated the policy. */
export const FIXTURE_AGENT_STATUS_INVALID_QUOTE = {
  ...FIXTURE_AGENT_STATUS,
  operational_state: 9,
  severity_level: 6,
  last_event_id: 'pcr_validation.invalid_pcr_0',
  attestation_status: 'FAIL',
};

/** Verifier agent calls, by name. */
export const verifierAgentFixtures = {
  version: {
    source: 'keylime/web/verifier/server_info_controller.py',
    request: { method: 'GET', path: '/version', versioned: false },
    response: {
      status: 200,
      body: envelope(200, 'Success', {
        current_version: '2.5',
        supported_versions: ['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '3.0'],
      }),
    },
  },
  addAgent: {
    source: `${HANDLER}.post; ${DOCS}`,
    request: { method: 'POST', path: `/agents/${FIXTURE_AGENT}`, body: FIXTURE_ADD_AGENT_BODY },
    response: { status: 200, body: envelope(200, 'Success') },
  },
  addAgentConflict: {
    source: `${HANDLER}.post`,
    request: { method: 'POST', path: `/agents/${FIXTURE_AGENT}`, body: FIXTURE_ADD_AGENT_BODY },
    response: {
      status: 409,
      body: envelope(409, `Agent of uuid ${FIXTURE_AGENT} already exists. Please use delete or update.`),
    },
  },
  addAgentWithoutCertificate: {
    source: `${HANDLER}.post`,
    request: {
      method: 'POST',
      path: `/agents/${FIXTURE_OTHER_AGENT}`,
      body: { ...FIXTURE_ADD_AGENT_BODY, mtls_cert: null },
    },
    response: { status: 400, body: envelope(400, 'mTLS certificate for agent is required!') },
  },
  addAgentMissingField: {
    source: `${HANDLER}.post (json_body["cloudagent_ip"] raises KeyError)`,
    request: { method: 'POST', path: `/agents/${FIXTURE_OTHER_AGENT}`, body: { v: null } },
    response: { status: 400, body: envelope(400, "Exception error: 'cloudagent_ip'") },
  },
  addAgentBadId: {
    source: `${HANDLER}.post; keylime/common/validators.py valid_agent_id`,
    request: { method: 'POST', path: '/agents/bad%20id', body: FIXTURE_ADD_AGENT_BODY },
    response: { status: 400, body: envelope(400, 'agent_id not not valid') },
  },
  addAgentPortNotANumber: {
    source: `${HANDLER}.post (int(json_body["cloudagent_port"]) is read before tpm_policy)`,
    request: {
      method: 'POST',
      path: `/agents/${FIXTURE_OTHER_AGENT}`,
      body: { ...without('tpm_policy'), cloudagent_port: 'abc' },
    },
    response: { status: 400, body: envelope(400, "Exception error: invalid literal for int() with base 10: 'abc'") },
  },
  addAgentWithoutRuntimePolicy: {
    source: `${HANDLER}.post (base64.b64decode(json_body.get("runtime_policy")) of None)`,
    request: { method: 'POST', path: `/agents/${FIXTURE_OTHER_AGENT}`, body: without('runtime_policy') },
    response: {
      status: 400,
      body: envelope(400, "Exception error: argument should be a bytes-like object or ASCII string, not 'NoneType'"),
    },
  },
  addAgentUnknownRuntimePolicyName: {
    source: `${HANDLER}.post (a name without a policy must name a stored one)`,
    request: {
      method: 'POST',
      path: `/agents/${FIXTURE_OTHER_AGENT}`,
      body: { ...FIXTURE_ADD_AGENT_BODY, runtime_policy: '', runtime_policy_name: 'nothing' },
    },
    response: { status: 404, body: envelope(404, 'Could not find IMA policy with name nothing!') },
  },
  addAgentRuntimePolicyNameTaken: {
    source: `${HANDLER}.post (a name with a policy must be new; checked before the agent's own existence)`,
    request: {
      method: 'POST',
      path: `/agents/${FIXTURE_AGENT}`,
      body: { ...FIXTURE_ADD_AGENT_BODY, runtime_policy_name: 'web-servers' },
    },
    response: {
      status: 409,
      body: envelope(
        409,
        'IMA policy with name web-servers already exists. Please use a different name or delete the allowlist from the verifier.',
      ),
    },
  },
  addAgentWithoutMbPolicyName: {
    source: `${HANDLER}.post (json_body["mb_policy_name"] is read after the runtime policy is stored)`,
    request: { method: 'POST', path: `/agents/${FIXTURE_OTHER_AGENT}`, body: without('mb_policy_name') },
    response: { status: 400, body: envelope(400, "Exception error: 'mb_policy_name'") },
  },
  getAgent: {
    source: `keylime/cloud_verifier_common.py process_get_status; ${DOCS}`,
    request: { method: 'GET', path: `/agents/${FIXTURE_AGENT}` },
    response: { status: 200, body: envelope(200, 'Success', FIXTURE_AGENT_STATUS) },
    dynamic: STATUS_DYNAMIC,
  },
  getAgentInvalidQuote: {
    source: `${HANDLER}; keylime/common/states.py; keylime/failure.py`,
    request: { method: 'GET', path: `/agents/${FIXTURE_AGENT}` },
    response: { status: 200, body: envelope(200, 'Success', FIXTURE_AGENT_STATUS_INVALID_QUOTE) },
    dynamic: STATUS_DYNAMIC,
  },
  getAgentUnknown: {
    source: `${HANDLER}.get; keylime/web_util.py echo_json_response (json.dumps)`,
    request: { method: 'GET', path: '/agents/no-such-agent' },
    response: {
      status: 404,
      body: envelope(404, 'agent id not found'),
      text: '{"code": 404, "status": "agent id not found", "results": {}}',
      headers: { 'content-type': 'application/json' },
    },
  },
  listAgents: {
    source: `${HANDLER}.get (SQLAlchemy rows serialise as one-element lists)`,
    request: { method: 'GET', path: '/agents/' },
    response: { status: 200, body: envelope(200, 'Success', { uuids: [[FIXTURE_AGENT]] }) },
  },
  listAgentsBlankBulk: {
    source: `${HANDLER}.get (get_restful_params uses parse_qsl, which drops blank values)`,
    request: { method: 'GET', path: '/agents/', query: { bulk: '' } },
    response: { status: 200, body: envelope(200, 'Success', { uuids: [[FIXTURE_AGENT]] }) },
  },
  listAgentsBulk: {
    source: `${HANDLER}.get (bulk)`,
    request: { method: 'GET', path: '/agents/', query: { bulk: 'True' } },
    response: { status: 200, body: envelope(200, 'Success', { [FIXTURE_AGENT]: FIXTURE_AGENT_STATUS }) },
  },
  stopAgent: {
    source: `${HANDLER}.put (stop)`,
    request: { method: 'PUT', path: `/agents/${FIXTURE_AGENT}/stop` },
    response: { status: 200, body: envelope(200, 'Success') },
  },
  stopAgentUnknown: {
    source: `${HANDLER}.put (.one() raises NoResultFound; the catch-all answers 400)`,
    request: { method: 'PUT', path: '/agents/no-such-agent/stop' },
    response: { status: 400, body: envelope(400, 'Exception error: No row was found when one was required') },
  },
  reactivateAgent: {
    source: `${HANDLER}.put (reactivate: 200 even for a stopped agent, whose loop then ends at once)`,
    request: { method: 'PUT', path: `/agents/${FIXTURE_AGENT}/reactivate` },
    response: { status: 200, body: envelope(200, 'Success') },
  },
  deleteAgentPolled: {
    source: `${HANDLER}.delete (agent still polled: Terminated, 202)`,
    request: { method: 'DELETE', path: `/agents/${FIXTURE_AGENT}` },
    response: { status: 202, body: envelope(202, 'Accepted') },
  },
  deleteAgentStopped: {
    source: `${HANDLER}.delete (Saved, Failed, Terminated, Tenant Quote Failed, Invalid Quote: 200)`,
    request: { method: 'DELETE', path: `/agents/${FIXTURE_AGENT}` },
    response: { status: 200, body: envelope(200, 'Success') },
  },
  deleteAgentUnknown: {
    source: `${HANDLER}.delete`,
    request: { method: 'DELETE', path: '/agents/no-such-agent' },
    response: { status: 404, body: envelope(404, 'agent id not found') },
  },
  unsupportedVersion: {
    source: 'keylime/web_util.py validate_api_version (/v2.:minor routes reach the handler)',
    request: { method: 'GET', path: '/v2.9/agents/', versioned: false },
    response: { status: 400, body: envelope(400, 'API Version not supported') },
  },
  unknownMajorVersion: {
    source: `${ROUTES} (no route for /v9.x: not_found, no body)`,
    request: { method: 'GET', path: '/v9.9/agents/', versioned: false },
    response: { status: 404, headers: BARE_RESPONSE_HEADERS },
  },
  unknownRoute: {
    source: `${ROUTES} (not_found)`,
    request: { method: 'GET', path: '/nothing' },
    response: { status: 404, headers: BARE_RESPONSE_HEADERS },
  },
  wrongMethod: {
    source: `${ROUTES} (method_not_allowed: the path has GET, POST and DELETE routes)`,
    request: { method: 'PUT', path: `/agents/${FIXTURE_AGENT}` },
    response: { status: 405, headers: BARE_RESPONSE_HEADERS },
  },
  versionsPath: {
    source: 'keylime/cloud_verifier_tornado.py VersionHandler.get (no "version" token in /versions)',
    request: { method: 'GET', path: '/versions', versioned: false },
    response: { status: 400, body: envelope(400, 'URI not supported') },
  },
  versionRoot: {
    source: 'keylime/cloud_verifier_tornado.py MainHandler.get',
    request: { method: 'GET', path: '/' },
    response: { status: 405, body: envelope(405, 'Not Implemented: Use /agents/ interface instead') },
  },
} satisfies Record<string, WireFixture>;
