import { type CallOptions, OcxError } from '@ocx/core';
import { z } from 'zod';
import { encodeMeasuredBootPolicy } from '../policy/measured-boot-policy.js';
import { encodeRuntimePolicy, type RuntimePolicy } from '../policy/runtime-policy.js';
import { createTpmPolicy, type TpmPolicyInput } from '../policy/tpm-policy.js';
import { checkPolicyName } from './agent-id.js';
import { MEASURED_BOOT_POLICY_MIN_VERSION } from './api-version.js';
import type { KeylimeEndpoint } from './keylime-endpoint.js';
import {
  MeasuredBootPolicyNamesSchema,
  type MeasuredBootPolicyRecord,
  MeasuredBootPolicyRecordSchema,
  RuntimePolicyNamesSchema,
  type RuntimePolicyRecord,
  RuntimePolicyRecordSchema,
} from './verifier-schemas.js';

/** A named runtime policy to store: the policy, and optionally a TPM policy stored with it. */
export interface RuntimePolicyInput {
  policy: RuntimePolicy;
  tpmPolicy?: TpmPolicyInput;
}

/** Named policies on the verifier: list, get, create, replace, delete. */
export interface PolicyCollection<Input, Stored> {
  list(options?: CallOptions): Promise<string[]>;
  /** An unknown name is `not-found`. */
  get(name: string, options?: CallOptions): Promise<Stored>;
  /** A name in use is `conflict`. The policy is validated before it is sent. */
  create(name: string, input: Input, options?: CallOptions): Promise<void>;
  /** Replace an existing policy (an unknown name is refused by the verifier). */
  replace(name: string, input: Input, options?: CallOptions): Promise<void>;
  /** A policy an agent uses is `conflict`. */
  delete(name: string, options?: CallOptions & { ignoreMissing?: boolean }): Promise<void>;
}

interface CollectionSpec<Input, Stored> {
  /** The route, `allowlists` or `mbpolicies`. */
  route: string;
  /** Operation names use it: `create_runtime_policy`. */
  noun: string;
  minVersion?: string;
  record: z.ZodType<Stored>;
  names: z.ZodType<string[]>;
  body: (input: Input) => Record<string, unknown>;
}

function createPolicyCollection<Input, Stored>(
  endpoint: KeylimeEndpoint,
  spec: CollectionSpec<Input, Stored>,
): PolicyCollection<Input, Stored> {
  const base = { minVersion: spec.minVersion };
  const write = async (method: 'POST' | 'PUT', name: string, input: Input, options: CallOptions = {}) => {
    const operation = `${method === 'POST' ? 'create' : 'replace'}_${spec.noun}`;
    const checked = encodeURIComponent(checkPolicyName(name, 'name', operation));
    const json = spec.body(input);
    await endpoint.call({
      ...base,
      method,
      path: `/${spec.route}/${checked}`,
      operation,
      results: z.unknown(),
      json,
      signal: options.signal,
    });
  };
  return {
    async list(options = {}) {
      const { results } = await endpoint.call({
        ...base,
        method: 'GET',
        path: `/${spec.route}/`,
        operation: `list_${spec.noun}s`,
        results: spec.names,
        signal: options.signal,
      });
      return results ?? [];
    },
    async get(name, options = {}) {
      const operation = `get_${spec.noun}`;
      const checked = encodeURIComponent(checkPolicyName(name, 'name', operation));
      const { results } = await endpoint.call({
        ...base,
        method: 'GET',
        path: `/${spec.route}/${checked}`,
        operation,
        results: spec.record,
        signal: options.signal,
      });
      return results as Stored;
    },
    create: (name, input, options) => write('POST', name, input, options),
    replace: (name, input, options) => write('PUT', name, input, options),
    async delete(name, options = {}) {
      const operation = `delete_${spec.noun}`;
      const checked = encodeURIComponent(checkPolicyName(name, 'name', operation));
      try {
        await endpoint.call({
          ...base,
          method: 'DELETE',
          path: `/${spec.route}/${checked}`,
          operation,
          results: z.unknown(),
          signal: options.signal,
        });
      } catch (error) {
        if (options.ignoreMissing && OcxError.is(error) && error.code === 'not-found') return;
        throw error;
      }
    },
  };
}

/** Runtime (IMA allowlist) policies: `/v2.x/allowlists/{name}`. */
export function createRuntimePolicies(
  endpoint: KeylimeEndpoint,
): PolicyCollection<RuntimePolicyInput, RuntimePolicyRecord> {
  return createPolicyCollection(endpoint, {
    route: 'allowlists',
    noun: 'runtime_policy',
    record: RuntimePolicyRecordSchema,
    names: RuntimePolicyNamesSchema,
    body: (input) => ({
      runtime_policy: encodeRuntimePolicy(input?.policy, { prefix: 'policy' }),
      runtime_policy_key: '',
      ...(input?.tpmPolicy === undefined
        ? {}
        : { tpm_policy: createTpmPolicy(input.tpmPolicy, { prefix: 'tpmPolicy' }) }),
    }),
  });
}

/** Measured-boot reference states: `/v2.x/mbpolicies/{name}` (API 2.3 and later). */
export function createMeasuredBootPolicies(
  endpoint: KeylimeEndpoint,
): PolicyCollection<Record<string, unknown>, MeasuredBootPolicyRecord> {
  return createPolicyCollection(endpoint, {
    route: 'mbpolicies',
    noun: 'mb_policy',
    minVersion: MEASURED_BOOT_POLICY_MIN_VERSION,
    record: MeasuredBootPolicyRecordSchema,
    names: MeasuredBootPolicyNamesSchema,
    body: (input) => ({ mb_policy: encodeMeasuredBootPolicy(input, { prefix: 'policy' }) }),
  });
}
