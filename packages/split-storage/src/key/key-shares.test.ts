import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyCommitment } from '../format/segment-cipher.js';
import { combineShares, recoverKey, regenerateShare, shareX, splitKey } from './key-shares.js';

describe('Shamir key shares (shamir-secret-sharing)', () => {
  it('splits a Buffer key (the library wants a plain Uint8Array) and any k shares rebuild it', async () => {
    const key = randomBytes(32);
    const shares = await splitKey(key, 5, 3);
    expect(shares.every((share) => share.byteLength === 33)).toBe(true);
    expect(Buffer.from(await combineShares([shares[4]!, shares[0]!, shares[2]!])).equals(key)).toBe(true);
    expect(Buffer.from(await combineShares(shares.slice(0, 2))).equals(key)).toBe(false);
  });

  it('regenerates a lost share exactly, from any k others', async () => {
    const key = randomBytes(32);
    const shares = await splitKey(key, 4, 3);
    for (let lost = 0; lost < 4; lost += 1) {
      const others = shares.filter((_, index) => index !== lost).slice(0, 3);
      const rebuilt = await regenerateShare(others, shareX(shares[lost]!));
      expect(Buffer.from(rebuilt).equals(Buffer.from(shares[lost]!))).toBe(true);
    }
  });

  it('recovers the committed key past a tampered share, and gives up when no set verifies', async () => {
    const key = randomBytes(32);
    const shares = (await splitKey(key, 3, 2)).map((share, shareIndex) => ({ shareIndex, share }));
    shares[0]!.share[5] = (shares[0]!.share[5] as number) ^ 0xff;
    const expected = { commitment: keyCommitment(key, 'o', 'u'), objectId: 'o', uploadId: 'u' };
    const recovered = await recoverKey(shares, 2, expected);
    expect(Buffer.from(recovered!.key).equals(key)).toBe(true);
    expect(recovered!.used.map((share) => share.shareIndex)).toEqual([1, 2]);
    expect(await recoverKey(shares.slice(0, 2), 2, expected)).toBeUndefined();
  });
});
