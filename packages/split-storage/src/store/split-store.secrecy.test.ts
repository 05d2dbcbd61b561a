import { describe, expect, it } from 'vitest';
import {
  collect,
  everythingHeldBy,
  expectNoPlaintextIn,
  expectOcx,
  keysEnding,
  landlords,
  rejectionOf,
  SMALL,
  secretText,
} from '../test-support/fixtures.js';
import { createSplitStore } from './create-split-store.js';

describe('what one landlord holds', () => {
  it.each([
    { layout: 'xor', count: 2, threshold: 2 },
    { layout: 'replicated', count: 3, threshold: 2 },
  ] as const)('contains no plaintext substring ($layout)', async ({ count, threshold }) => {
    const targets = landlords(count);
    const store = createSplitStore({ targets, threshold, ...SMALL });
    const plaintext = secretText(20_000);
    await store.put('patient-0042', plaintext);
    for (const target of targets) {
      const held = everythingHeldBy(target);
      expect(held.length).toBeGreaterThan(plaintext.length);
      expectNoPlaintextIn(held, plaintext);
      expect(held.includes(Buffer.from('TOP-SECRET'))).toBe(false);
    }
    expect((await collect((await store.get('patient-0042')).body)).equals(plaintext)).toBe(true);
  });

  it('xor: each data share looks uniformly random, even for an all-zero object, and pads are fresh per put', async () => {
    const targets = landlords(2);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    const zeros = new Uint8Array(64 * 1024);
    await store.put('zeros-1', zeros);
    await store.put('zeros-2', zeros);
    for (const target of targets) {
      const parts = keysEnding(target, 'part-00000000');
      expect(parts).toHaveLength(2);
      const [first, second] = parts.map((key) => Buffer.from(target.objects.get(key)!));
      const zeroBytes = first!.filter((byte) => byte === 0).length;
      expect(zeroBytes / first!.length).toBeLessThan(0.01); // uniform: ≈ 1/256
      expect(first!.equals(second!)).toBe(false);
    }
  });

  it('a store that reaches only one landlord cannot read, and gets no byte', async () => {
    const [bu, harvard] = landlords(2);
    await createSplitStore({ targets: [bu!, harvard!], threshold: 2, ...SMALL }).put('x', secretText(5000));
    const [, stranger] = landlords(3).slice(1);
    const onlyBu = createSplitStore({ targets: [bu!, stranger!], threshold: 2, ...SMALL });
    expectOcx(await rejectionOf(onlyBu.get('x')), 'not-found');
  });

  it('one released key share is not enough to open an object', async () => {
    const store = createSplitStore({ targets: landlords(3), threshold: 2, ...SMALL });
    await store.put('x', secretText(5000));
    const one = await store.keyShares('x', { landlords: ['bu'] });
    expect(one).toHaveLength(1);
    const error = expectOcx(await rejectionOf(store.get('x', { keyShares: one })), 'not-found');
    expect(error.message).toContain('1 of the 2 key shares');
    const two = await store.keyShares('x', { landlords: ['bu', 'mit'] });
    expect((await collect((await store.get('x', { keyShares: two })).body)).equals(secretText(5000))).toBe(true);
  });

  it('a key share on its own holds no key bytes: the manifest and share files carry no key', async () => {
    const targets = landlords(2);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    await store.put('x', secretText(100));
    const shares = await store.keyShares('x');
    expect(shares.map((share) => share.share.byteLength)).toEqual([33, 33]);
    // Each landlord's share differs from the other's; neither equals a 32-byte key padded.
    expect(Buffer.from(shares[0]!.share).equals(Buffer.from(shares[1]!.share))).toBe(false);
  });
});
