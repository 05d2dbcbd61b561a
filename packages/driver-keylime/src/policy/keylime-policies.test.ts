import { OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { keylimePoliciesFrom } from './keylime-policies.js';
import { decodeRuntimePolicy } from './runtime-policy.js';

describe('an attestation policy becomes Keylime’s three policies', () => {
  it('pcrs → tpm_policy; allowlist → runtime policy, with IMA’s PCR 10 in the mask; measuredBoot → mb_policy', () => {
    const policies = keylimePoliciesFrom({
      pcrs: { 0: ['00'.repeat(32)] },
      allowlist: { '/usr/bin/bash': ['ab'.repeat(32)] },
      measuredBoot: { has_secureboot: true },
    });
    expect(JSON.parse(policies.tpmPolicy)).toEqual({ 0: ['00'.repeat(32)], mask: '0x401' });
    expect(decodeRuntimePolicy(policies.runtimePolicy).digests).toEqual({ '/usr/bin/bash': ['ab'.repeat(32)] });
    expect(policies.mbPolicy).toBe('{"has_secureboot":true}');
  });

  it('an empty policy asks for nothing: empty mask, no runtime or measured-boot policy', () => {
    expect(keylimePoliciesFrom({})).toEqual({ tpmPolicy: '{"mask":"0x0"}', runtimePolicy: '', mbPolicy: null });
  });

  it('bad fields are named under policy.', () => {
    const paths = (policy: unknown): string[] => {
      try {
        keylimePoliciesFrom(policy as never);
      } catch (error) {
        if (OcxError.is(error) && error.code === 'validation') return error.issues.map((issue) => issue.path);
        throw error;
      }
      return [];
    };
    expect(paths({ pcrs: { 30: ['00'.repeat(32)] } })).toContain('policy.pcrs.30');
    expect(paths({ pcrs: { 0: ['00'.repeat(32)] }, hashAlgorithm: 'sha1' })).toContain('policy.pcrs.0.0');
    expect(paths({ allowlist: { '/bin/sh': ['abc'] } })).toContain('policy.allowlist.digests./bin/sh.0');
    expect(paths({ measuredBoot: 'secure' })).toContain('policy.measuredBoot');
    expect(paths('not a policy')).toContain('policy');
  });
});
