import { describe, expect, it } from 'vitest';
import { FIXTURE_AGENT_STATUS, FIXTURE_AGENT_STATUS_INVALID_QUOTE } from '../__fixtures__/index.js';
import { failureReason, verdictFromAgent } from './verdict.js';

const status = (fields: Record<string, unknown>) =>
  ({ ...FIXTURE_AGENT_STATUS, ...fields }) as typeof FIXTURE_AGENT_STATUS & { operational_state: number };

describe('verdicts from the verifier’s status', () => {
  it('Get Quote with PASS is a pass', () => {
    expect(verdictFromAgent('a', FIXTURE_AGENT_STATUS as never)).toEqual({
      agent: 'a',
      status: 'pass',
      state: 'Get Quote',
    });
  });

  it('Invalid Quote is a fail with Keylime’s event and severity as the reason', () => {
    expect(verdictFromAgent('a', FIXTURE_AGENT_STATUS_INVALID_QUOTE as never)).toEqual({
      agent: 'a',
      status: 'fail',
      state: 'Invalid Quote',
      reason: 'Invalid Quote: pcr_validation.invalid_pcr_0 (severity level 6)',
    });
  });

  it('Failed and Tenant Quote Failed are fails; FAIL in any state is a fail', () => {
    expect(
      verdictFromAgent(
        'a',
        status({
          operational_state: 7,
          attestation_status: 'FAIL',
          last_event_id: 'internal.verifier.not_reachable',
        }) as never,
      ),
    ).toMatchObject({
      status: 'fail',
      state: 'Failed',
      reason: expect.stringContaining('not_reachable'),
    });
    expect(
      verdictFromAgent(
        'a',
        status({
          operational_state: 10,
          attestation_status: 'FAIL',
          last_event_id: null,
          severity_level: null,
        }) as never,
      ),
    ).toMatchObject({
      status: 'fail',
      reason: 'Tenant Quote Failed: polling was stopped',
    });
    expect(verdictFromAgent('a', status({ operational_state: 3, attestation_status: 'FAIL' }) as never).status).toBe(
      'fail',
    );
  });

  it('everything else is pending: Start, Provide V, retries, Get Quote before a verified quote', () => {
    for (const state of [0, 1, 2, 4, 5, 6, 8]) {
      expect(
        verdictFromAgent('a', status({ operational_state: state, attestation_status: 'PENDING' }) as never).status,
      ).toBe('pending');
    }
    expect(verdictFromAgent('a', status({ operational_state: 3, attestation_status: 'PENDING' }) as never).status).toBe(
      'pending',
    );
  });

  it('Provide V after a verified quote is a pass: Keylime stores it until the next quote', () => {
    expect(verdictFromAgent('a', status({ operational_state: 5, attestation_status: 'PASS' }) as never)).toEqual({
      agent: 'a',
      status: 'pass',
      state: 'Provide V',
    });
    const { attestation_status: _omitted, ...old } = FIXTURE_AGENT_STATUS;
    expect(verdictFromAgent('a', { ...old, operational_state: 5 } as never).status).toBe('pass');
    expect(verdictFromAgent('a', { ...old, operational_state: 5, attestation_count: 0 } as never).status).toBe(
      'pending',
    );
  });

  it('an attestation_status this client does not know is neither a pass nor a fail', () => {
    expect(verdictFromAgent('a', status({ operational_state: 3, attestation_status: 'TIMEOUT' }) as never).status).toBe(
      'pending',
    );
  });

  it('a verifier without attestation_status passes on a verified quote count', () => {
    const { attestation_status: _omitted, ...old } = FIXTURE_AGENT_STATUS;
    expect(verdictFromAgent('a', old as never).status).toBe('pass');
    expect(verdictFromAgent('a', { ...old, attestation_count: 0 } as never).status).toBe('pending');
  });

  it('a failure without an event still says which state', () => {
    expect(failureReason({ operational_state: 7, last_event_id: null, severity_level: null })).toBe(
      'Failed: the verifier reported no failure event',
    );
  });
});
