import { describe, expect, it } from 'vitest';
import { compareApiVersions, negotiateApiVersion } from './api-version.js';

describe('API version negotiation', () => {
  it('picks the highest 2.x version both sides speak', () => {
    expect(
      negotiateApiVersion({ current_version: '2.6', supported_versions: ['1.0', '2.0', '2.5', '2.6', '3.0'] }),
    ).toBe('2.6');
    expect(negotiateApiVersion({ current_version: '2.9', supported_versions: ['2.2', '2.9'] })).toBe('2.2');
  });

  it('a server that reports only its current version (before 2.5) is taken at its word', () => {
    expect(negotiateApiVersion({ current_version: '2.1' })).toBe('2.1');
  });

  it('a preferred version wins when shared, and is ignored otherwise', () => {
    const info = { current_version: '2.6', supported_versions: ['2.0', '2.3', '2.6'] };
    expect(negotiateApiVersion(info, { preferred: '2.3' })).toBe('2.3');
    expect(negotiateApiVersion(info, { preferred: '2.4' })).toBe('2.6');
  });

  it('no shared version is a capability error naming what was offered', () => {
    expect(() =>
      negotiateApiVersion(
        { current_version: '3.0', supported_versions: ['1.0', '3.0'] },
        { backend: 'keylime-verifier' },
      ),
    ).toThrow(expect.objectContaining({ code: 'capability', message: expect.stringContaining('1.0, 3.0') }));
  });

  it('compares versions numerically', () => {
    expect(compareApiVersions('2.10', '2.9')).toBeGreaterThan(0);
    expect(compareApiVersions('2.1', '2.1')).toBe(0);
    expect(compareApiVersions('1.0', '2.0')).toBeLessThan(0);
  });
});
