import { OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { FIXTURE_RUNTIME_POLICY, FIXTURE_RUNTIME_POLICY_JSON } from '../__fixtures__/index.js';
import { decodeMeasuredBootPolicy, encodeMeasuredBootPolicy } from './measured-boot-policy.js';
import { createRuntimePolicy, decodeRuntimePolicy, encodeRuntimePolicy } from './runtime-policy.js';

function issues(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (OcxError.is(error) && error.code === 'validation') return error.issues.map((issue) => issue.path);
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('runtime policies', () => {
  it('an allowlist becomes a complete version-1 policy, encoded as the verifier wants it', () => {
    const policy = createRuntimePolicy({ digests: { '/usr/bin/bash': ['AB'.repeat(32)] } });
    expect(policy).toEqual(FIXTURE_RUNTIME_POLICY_JSON);
    expect(encodeRuntimePolicy(policy)).toBe(FIXTURE_RUNTIME_POLICY);
    expect(decodeRuntimePolicy(FIXTURE_RUNTIME_POLICY)).toEqual(FIXTURE_RUNTIME_POLICY_JSON);
  });

  it('refuses bad digests and exclude patterns that do not compile, naming them', () => {
    expect(issues(() => createRuntimePolicy({ digests: { '/bin/sh': ['not-hex'] } }))).toEqual(['digests./bin/sh.0']);
    expect(issues(() => createRuntimePolicy({ digests: {}, excludes: ['(unclosed'] }))).toEqual(['excludes.0']);
  });

  it('refuses what Keylime’s RUNTIME_POLICY_SCHEMA refuses: no generator or release, an empty digest list', () => {
    const { generator: _generator, ...meta } = FIXTURE_RUNTIME_POLICY_JSON.meta;
    expect(issues(() => encodeRuntimePolicy({ ...FIXTURE_RUNTIME_POLICY_JSON, meta }))).toContain('meta.generator');
    const { release: _release, ...withoutRelease } = FIXTURE_RUNTIME_POLICY_JSON;
    expect(issues(() => encodeRuntimePolicy(withoutRelease))).toContain('release');
    expect(issues(() => createRuntimePolicy({ digests: { '/bin/sh': [] } }))).toEqual(['digests./bin/sh']);
    expect(
      issues(() =>
        encodeRuntimePolicy({
          ...FIXTURE_RUNTIME_POLICY_JSON,
          ima: { ...FIXTURE_RUNTIME_POLICY_JSON.ima, dm_policy: {} },
        }),
      ),
    ).toContain('ima.dm_policy');
  });

  it('refuses a policy missing what Keylime requires', () => {
    const { ima: _ima, ...withoutIma } = FIXTURE_RUNTIME_POLICY_JSON;
    expect(issues(() => encodeRuntimePolicy(withoutIma))).toContain('ima');
    expect(
      issues(() =>
        encodeRuntimePolicy({ ...FIXTURE_RUNTIME_POLICY_JSON, ima: { ignored_keyrings: [], log_hash_alg: 'md5' } }),
      ),
    ).toContain('ima.log_hash_alg');
    expect(issues(() => decodeRuntimePolicy('!!!not base64'))).toContain('');
  });
});

describe('measured-boot policies', () => {
  it('must be a JSON object', () => {
    expect(encodeMeasuredBootPolicy({ has_secureboot: true })).toBe('{"has_secureboot":true}');
    expect(issues(() => encodeMeasuredBootPolicy(['not', 'an', 'object']))).toContain('');
    expect(decodeMeasuredBootPolicy('{"kernels":[]}')).toEqual({ kernels: [] });
    expect(issues(() => decodeMeasuredBootPolicy('[1]'))).toContain('');
  });
});
