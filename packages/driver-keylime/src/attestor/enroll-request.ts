import { randomBytes } from 'node:crypto';
import { OcxError } from '@ocx/core';
import type { AddAgentRequest } from '../client/add-agent-request.js';
import type { RegistrarAgent } from '../client/registrar-schemas.js';
import type { KeylimePolicies } from '../policy/keylime-policies.js';

/** Enrollment settings that are the tenant's choice, not the registrar's. */
export interface EnrollmentDefaults {
  /** The agent's API version sent as `supported_version` when the registrar does not say. Default `2.1`. */
  agentApiVersion?: string;
  acceptTpmHashAlgs?: string[];
  acceptTpmEncryptionAlgs?: string[];
  acceptTpmSigningAlgs?: string[];
}

/**
 * The verifier's add-agent body for one registered agent. A real `keylime_tenant add` first asks
 * the agent itself for a quote and delivers U, one half of the bootstrap key, to it; the SDK has
 * no agent to talk to, so it enrolls with the verifier from the registrar's record (AK, mTLS
 * certificate, address) and a freshly generated V. The verifier then attests the node on its
 * own; a payload sealed with the bootstrap key cannot be released this way.
 */
export function buildEnrollRequest(
  agent: string,
  node: string,
  registered: RegistrarAgent,
  policies: KeylimePolicies,
  defaults: EnrollmentDefaults = {},
): AddAgentRequest {
  const port = typeof registered.port === 'string' ? Number(registered.port) : registered.port;
  if (!registered.ip || port === null || port === undefined || !Number.isInteger(port)) {
    throw new OcxError({
      code: 'state',
      backend: 'keylime-registrar',
      operation: 'enroll',
      message: `Agent ${agent} is registered without a contact address (ip/port), so the verifier could not reach it`,
    });
  }
  const supported = (registered as { supported_version?: unknown }).supported_version;
  return {
    v: randomBytes(32).toString('base64'),
    cloudagent_ip: registered.ip,
    cloudagent_port: port,
    tpm_policy: policies.tpmPolicy,
    runtime_policy: policies.runtimePolicy,
    mb_policy: policies.mbPolicy,
    metadata: JSON.stringify({ ocx_node: node }),
    ak_tpm: registered.aik_tpm,
    mtls_cert: registered.mtls_cert ?? null,
    supported_version: typeof supported === 'string' ? supported : (defaults.agentApiVersion ?? '2.1'),
    ...(defaults.acceptTpmHashAlgs === undefined ? {} : { accept_tpm_hash_algs: defaults.acceptTpmHashAlgs }),
    ...(defaults.acceptTpmEncryptionAlgs === undefined
      ? {}
      : { accept_tpm_encryption_algs: defaults.acceptTpmEncryptionAlgs }),
    ...(defaults.acceptTpmSigningAlgs === undefined ? {} : { accept_tpm_signing_algs: defaults.acceptTpmSigningAlgs }),
  };
}
