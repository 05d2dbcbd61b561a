import { describe, expect, it } from 'vitest';
import { memoryTarget } from '../target/memory-target.js';
import { expectOcx, landlords, rejectionOf, SMALL } from '../test-support/fixtures.js';
import { createSplitStore } from './create-split-store.js';
import type { SplitStoreOptions } from './split-store-options.js';

function refusal(options: SplitStoreOptions) {
  try {
    createSplitStore(options);
  } catch (error) {
    return expectOcx(error, 'validation');
  }
  return expect.fail('expected the placement to be refused');
}

describe('placements that could let one party read are refused, naming the field, writing nothing', () => {
  it('two targets of one landlord', () => {
    const targets = [memoryTarget({ landlord: 'bu' }), memoryTarget({ landlord: 'bu', service: 'swift' })];
    const error = refusal({ targets, threshold: 2 });
    expect(error.issues.map((issue) => issue.path)).toEqual(['targets.1.landlord']);
    expect(error.message).toContain('targets.1.landlord');
    for (const target of targets) expect(target.objects.size).toBe(0);
  });

  it('two landlords of one organization (compared without case)', () => {
    const targets = [
      memoryTarget({ landlord: 'bu-rcs', organization: 'Boston University' }),
      memoryTarget({ landlord: 'harvard', organization: 'Harvard' }),
      memoryTarget({ landlord: 'bu-hic', organization: 'BOSTON UNIVERSITY' }),
    ];
    const error = refusal({ targets, threshold: 2 });
    expect(error.issues.map((issue) => issue.path)).toEqual(['targets.2.organization']);
    for (const target of targets) expect(target.objects.size).toBe(0);
  });

  it.each([
    { threshold: 1, path: 'threshold' },
    { threshold: 0, path: 'threshold' },
    { threshold: 2.5, path: 'threshold' },
    { threshold: 4, path: 'threshold' },
  ])('threshold $threshold of 3 targets', ({ threshold, path }) => {
    const error = refusal({ targets: landlords(3), threshold });
    expect(error.issues.map((issue) => issue.path)).toContain(path);
  });

  it('a single target', () => {
    const error = refusal({ targets: landlords(1), threshold: 2 });
    expect(error.issues.map((issue) => issue.path)).toContain('targets');
  });

  it('xor with k < n', () => {
    const error = refusal({ targets: landlords(3), threshold: 2, layout: 'xor' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['layout']);
  });

  it('something that is not a target', () => {
    const error = refusal({ targets: [landlords(1)[0]!, { landlord: 'x', service: 'y' } as never], threshold: 2 });
    expect(error.issues.map((issue) => issue.path)).toContain('targets.1.put');
  });

  it('a target that buffers less than one part', () => {
    const [a, b] = landlords(2);
    const error = refusal({ targets: [a!, { ...b!, maxPutBytes: 1000 }], threshold: 2, ...SMALL });
    expect(error.issues.map((issue) => issue.path)).toEqual(['targets.1.maxPutBytes']);
  });

  it('bad geometry and key prefix', () => {
    const error = refusal({ targets: landlords(2), threshold: 2, segmentSize: 10, keyPrefix: '/abs' });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['keyPrefix', 'segmentSize']);
  });

  it('a bad object id is refused before anything is written', async () => {
    const targets = landlords(2);
    const store = createSplitStore({ targets, threshold: 2 });
    for (const id of ['', 'line\nbreak', '\uD800lone']) {
      const error = expectOcx(await rejectionOf(store.put(id, new Uint8Array(1))), 'validation');
      expect(error.issues[0]?.path).toBe('objectId');
    }
    for (const target of targets) expect(target.objects.size).toBe(0);
  });

  it('k-of-n with distinct landlords is accepted; the default layout follows k and n', () => {
    expect(createSplitStore({ targets: landlords(2), threshold: 2 }).layout).toBe('xor');
    expect(createSplitStore({ targets: landlords(3), threshold: 2 }).layout).toBe('replicated');
    expect(createSplitStore({ targets: landlords(3), threshold: 3, layout: 'replicated' }).layout).toBe('replicated');
  });
});
