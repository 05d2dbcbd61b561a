import { OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { createTpmPolicy, parseTpmPolicy, pcrMask } from './tpm-policy.js';

const sha256 = (byte: string) => byte.repeat(32);

function validationPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (OcxError.is(error) && error.code === 'validation') return error.issues.map((issue) => issue.path);
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('TPM policies', () => {
  it('builds Keylime’s JSON with the quote mask of its PCRs', () => {
    const json = createTpmPolicy({ pcrs: { 15: [sha256('00')], 22: [sha256('ff')] } });
    expect(JSON.parse(json)).toEqual({ 15: [sha256('00')], 22: [sha256('ff')], mask: '0x408000' });
    // The documentation's example mask for PCRs 15 and 22.
    expect(pcrMask([15, 22])).toBe('0x408000');
  });

  it('lower-cases digests and adds extra quote PCRs to the mask only', () => {
    const json = createTpmPolicy({ pcrs: { 0: ['AB'.repeat(20)] }, quotePcrs: [10] });
    expect(JSON.parse(json)).toEqual({ 0: ['ab'.repeat(20)], mask: '0x401' });
  });

  it('refuses PCR indexes outside 0–23 and written with leading zeros, naming them', () => {
    expect(validationPaths(() => createTpmPolicy({ pcrs: { 24: [sha256('00')] } }))).toContain('pcrs.24');
    expect(validationPaths(() => createTpmPolicy({ pcrs: { '07': [sha256('00')] } }))).toContain('pcrs.07');
  });

  it('refuses digests that are not hex or of no known length', () => {
    expect(validationPaths(() => createTpmPolicy({ pcrs: { 0: ['xyz'] } }))).toContain('pcrs.0.0');
    expect(validationPaths(() => createTpmPolicy({ pcrs: { 0: ['ab'.repeat(10)] } }))).toContain('pcrs.0.0');
  });

  it('with a hash algorithm, every digest must be that algorithm’s length', () => {
    expect(() => createTpmPolicy({ pcrs: { 0: [sha256('00')] }, hashAlgorithm: 'sha256' })).not.toThrow();
    const paths = validationPaths(() =>
      createTpmPolicy({ pcrs: { 0: [sha256('00'), 'ab'.repeat(20)] }, hashAlgorithm: 'sha256' }),
    );
    expect(paths).toEqual(['pcrs.0.1']);
  });

  it('refuses an empty digest list and unknown options', () => {
    expect(validationPaths(() => createTpmPolicy({ pcrs: { 0: [] } }))).toContain('pcrs.0');
    expect(validationPaths(() => createTpmPolicy({ pcrs: {}, mask: '0x1' } as never))).toContain('');
  });

  it('parses a stored policy and refuses one without a mask', () => {
    expect(parseTpmPolicy('{"0": [], "mask": "0x1"}')).toEqual({ 0: [], mask: '0x1' });
    expect(validationPaths(() => parseTpmPolicy('{"0": []}'))).toContain('mask');
    expect(validationPaths(() => parseTpmPolicy('{"mask": "0x1", "foo": []}'))).toContain('foo');
    expect(validationPaths(() => parseTpmPolicy('not json'))).toContain('');
  });
});
