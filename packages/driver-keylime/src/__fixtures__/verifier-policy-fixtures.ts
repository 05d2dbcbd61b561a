import { FIXTURE_RUNTIME_POLICY, FIXTURE_RUNTIME_POLICY_JSON } from './verifier-agent-fixtures.js';
import { BARE_RESPONSE_HEADERS, envelope, FIXTURE_AGENT, type WireFixture } from './wire-fixture.js';

const IMA = 'keylime/cloud_verifier_tornado.py AllowlistHandler; keylime/ima/ima.py';
const MB = 'keylime/cloud_verifier_tornado.py MbpolicyHandler; keylime/mba/mba.py mb_policy_db_contents';

const base64 = (text: string) => Buffer.from(text).toString('base64');
const { generator: _generator, ...metaWithoutGenerator } = FIXTURE_RUNTIME_POLICY_JSON.meta;

/** A measured-boot reference state (the shape `keylime-policy create measured-boot` writes). */
export const FIXTURE_MB_POLICY = { has_secureboot: false, scrtm_and_bios: [], kernels: [] };

/** Named runtime and measured-boot policy calls, by name. */
export const verifierPolicyFixtures = {
  createRuntimePolicy: {
    source: IMA,
    request: {
      method: 'POST',
      path: '/allowlists/web-servers',
      body: { runtime_policy: FIXTURE_RUNTIME_POLICY, runtime_policy_key: '' },
    },
    response: { status: 201, body: envelope(201, 'Created') },
  },
  createRuntimePolicyConflict: {
    source: IMA,
    request: {
      method: 'POST',
      path: '/allowlists/web-servers',
      body: { runtime_policy: FIXTURE_RUNTIME_POLICY, runtime_policy_key: '' },
    },
    response: { status: 409, body: envelope(409, 'Runtime policy with name web-servers already exists') },
  },
  getRuntimePolicy: {
    source: `${IMA} (_show_v2 asks for "tmp_policy", a typo, so it is always null)`,
    request: { method: 'GET', path: '/allowlists/web-servers' },
    response: {
      status: 200,
      body: envelope(200, 'Success', {
        name: 'web-servers',
        tmp_policy: null,
        runtime_policy: JSON.stringify(FIXTURE_RUNTIME_POLICY_JSON),
      }),
    },
  },
  getRuntimePolicyOfAgent: {
    source: `${IMA} (an agent enrolled with a policy but no name stores it under its id, as sent)`,
    request: { method: 'GET', path: `/allowlists/${FIXTURE_AGENT}` },
    response: {
      status: 200,
      body: envelope(200, 'Success', {
        name: FIXTURE_AGENT,
        tmp_policy: null,
        runtime_policy: JSON.stringify(FIXTURE_RUNTIME_POLICY_JSON),
      }),
    },
  },
  createRuntimePolicyNotJson: {
    source: `${IMA} verify_runtime_policy`,
    request: {
      method: 'POST',
      path: '/allowlists/broken',
      body: { runtime_policy: base64('not json'), runtime_policy_key: '' },
    },
    response: { status: 400, body: envelope(400, 'Runtime policy is not valid JSON!') },
  },
  createRuntimePolicyMalformed: {
    source: `${IMA} runtime_policy_db_contents (RUNTIME_POLICY_SCHEMA requires meta.generator)`,
    request: {
      method: 'POST',
      path: '/allowlists/broken',
      body: {
        runtime_policy: base64(JSON.stringify({ ...FIXTURE_RUNTIME_POLICY_JSON, meta: metaWithoutGenerator })),
        runtime_policy_key: '',
      },
    },
    response: {
      status: 400,
      body: envelope(400, "Runtime policy is malformatted: 'generator' is a required property"),
    },
  },
  createRuntimePolicyWithoutPolicy: {
    source: `${IMA} (b64decode(None) raises outside any handler; the web framework answers 500)`,
    request: { method: 'POST', path: '/allowlists/broken', body: { runtime_policy_key: '' } },
    response: { status: 500, headers: BARE_RESPONSE_HEADERS },
  },
  getRuntimePolicyUnknown: {
    source: IMA,
    request: { method: 'GET', path: '/allowlists/nothing' },
    response: { status: 404, body: envelope(404, 'Runtime policy nothing not found') },
  },
  listRuntimePolicies: {
    source: IMA,
    request: { method: 'GET', path: '/allowlists/' },
    response: {
      status: 200,
      body: envelope(200, 'Success', { 'runtimepolicy names': [FIXTURE_AGENT, 'web-servers'] }),
    },
  },
  replaceRuntimePolicyUnknown: {
    source: IMA,
    request: {
      method: 'PUT',
      path: '/allowlists/nothing',
      body: { runtime_policy: FIXTURE_RUNTIME_POLICY, runtime_policy_key: '' },
    },
    response: {
      status: 404,
      body: envelope(404, 'Runtime policy with name nothing does not already exist, use POST to create'),
    },
  },
  deleteRuntimePolicy: {
    source: IMA,
    request: { method: 'DELETE', path: '/allowlists/web-servers' },
    response: { status: 204 },
  },
  deleteRuntimePolicyInUse: {
    source: IMA,
    request: { method: 'DELETE', path: `/allowlists/${FIXTURE_AGENT}` },
    response: {
      status: 409,
      body: envelope(409, `Can't delete allowlist as it's currently in use by agent ${FIXTURE_AGENT}`),
    },
  },
  createMbPolicy: {
    source: MB,
    request: {
      method: 'POST',
      path: '/mbpolicies/secure-boot',
      body: { mb_policy: JSON.stringify(FIXTURE_MB_POLICY) },
    },
    response: { status: 201, body: envelope(201, 'Created') },
  },
  replaceMbPolicy: {
    source: MB,
    request: {
      method: 'PUT',
      path: '/mbpolicies/secure-boot',
      body: { mb_policy: JSON.stringify({ ...FIXTURE_MB_POLICY, has_secureboot: true }) },
    },
    response: { status: 201, body: envelope(201, 'Created') },
  },
  replaceMbPolicyUnknown: {
    source: MB,
    request: { method: 'PUT', path: '/mbpolicies/nothing', body: { mb_policy: JSON.stringify(FIXTURE_MB_POLICY) } },
    response: { status: 409, body: envelope(409, 'Measured boot policy with name nothing does not already exist') },
  },
  getMbPolicy: {
    source: MB,
    request: { method: 'GET', path: '/mbpolicies/secure-boot' },
    response: {
      status: 200,
      body: envelope(200, 'Success', { name: 'secure-boot', mb_policy: JSON.stringify(FIXTURE_MB_POLICY) }),
    },
  },
  getMbPolicyOfAgent: {
    source: `${MB}; cloud_verifier_tornado AgentsHandler.post (every agent without a named one gets its own row)`,
    request: { method: 'GET', path: `/mbpolicies/${FIXTURE_AGENT}` },
    response: { status: 200, body: envelope(200, 'Success', { name: FIXTURE_AGENT, mb_policy: null }) },
  },
  createMbPolicyUnchecked: {
    source: `${MB} (the policy is stored as sent, not parsed)`,
    request: { method: 'POST', path: '/mbpolicies/unchecked', body: { mb_policy: 'not json' } },
    response: { status: 201, body: envelope(201, 'Created') },
  },
  getMbPolicyUnchecked: {
    source: MB,
    request: { method: 'GET', path: '/mbpolicies/unchecked' },
    response: { status: 200, body: envelope(200, 'Success', { name: 'unchecked', mb_policy: 'not json' }) },
  },
  getMbPolicyUnknown: {
    source: MB,
    request: { method: 'GET', path: '/mbpolicies/nothing' },
    response: { status: 404, body: envelope(404, 'Measured boot policy nothing not found') },
  },
  listMbPolicies: {
    source: MB,
    request: { method: 'GET', path: '/mbpolicies/' },
    response: { status: 200, body: envelope(200, 'Success', { 'mbpolicy names': [FIXTURE_AGENT, 'secure-boot'] }) },
  },
  deleteMbPolicy: {
    source: MB,
    request: { method: 'DELETE', path: '/mbpolicies/secure-boot' },
    response: { status: 204 },
  },
} satisfies Record<string, WireFixture>;
