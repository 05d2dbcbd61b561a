import { timingSafeEqual } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import { KEY_BYTES, keyCommitment } from '../format/segment-cipher.js';

/**
 * A plain `Uint8Array` copy: shamir-secret-sharing checks `constructor === Uint8Array`, which a
 * Node `Buffer` fails.
 */
function plain(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** Split a key into `shares` Shamir shares, any `threshold` of which rebuild it. Each share is the key's length + 1 (its x-coordinate last). */
export async function splitKey(key: Uint8Array, shares: number, threshold: number): Promise<Uint8Array[]> {
  return split(plain(key), shares, threshold);
}

/** The x-coordinate of a share (its last byte). */
export function shareX(share: Uint8Array): number {
  return share[share.byteLength - 1] as number;
}

/** Rebuild the key from at least `threshold` shares (shamir-secret-sharing's `combine`). */
export async function combineShares(shares: readonly Uint8Array[]): Promise<Uint8Array> {
  return combine(shares.map(plain));
}

/**
 * The share at x-coordinate `x` of the same polynomial, from `threshold` other shares — so a lost
 * key share is rebuilt exactly as it was and no other target's share has to change.
 *
 * The library only interpolates at 0, so shift the polynomial: over GF(2⁸), q(z) = p(z ⊕ x) has the
 * same degree and q(0) = p(x); the given shares are points of q at x_i ⊕ x (never 0, all distinct),
 * so `combine` of the relabelled shares is p(x).
 */
export async function regenerateShare(shares: readonly Uint8Array[], x: number): Promise<Uint8Array> {
  const relabelled = shares.map((share) => {
    const copy = plain(share);
    copy[copy.byteLength - 1] = shareX(share) ^ x;
    return copy;
  });
  const value = await combine(relabelled);
  const share = new Uint8Array(value.byteLength + 1);
  share.set(value);
  share[value.byteLength] = x;
  return share;
}

/** One key share as found on a target or released by a key-release service. */
export interface IndexedShare {
  /** The placement entry it belongs to. */
  shareIndex: number;
  share: Uint8Array;
}

/** Every way to choose `size` items of `items`, in order; at most `limit`. */
function* subsets<T>(items: readonly T[], size: number, limit: number): Generator<T[]> {
  const chosen: number[] = [];
  let produced = 0;
  function* from(start: number): Generator<T[]> {
    if (chosen.length === size) {
      produced += 1;
      yield chosen.map((index) => items[index] as T);
      return;
    }
    for (let index = start; index <= items.length - (size - chosen.length) && produced < limit; index += 1) {
      chosen.push(index);
      yield* from(index + 1);
      chosen.pop();
    }
  }
  yield* from(0);
}

/** Subsets of shares tried before giving up: C(n, k) stays far below it for real placements. */
const MAX_COMBINATIONS = 1_000;

/**
 * Rebuild an object's key from the shares at hand: try sets of `threshold` shares until one gives
 * the key whose commitment the manifests hold. A tampered or foreign share only makes its sets fail.
 * Returns `undefined` when no set verifies.
 */
export async function recoverKey(
  shares: readonly IndexedShare[],
  threshold: number,
  expected: { commitment: string; objectId: string; uploadId: string },
): Promise<{ key: Uint8Array; used: IndexedShare[] } | undefined> {
  const wanted = Buffer.from(expected.commitment, 'hex');
  const usable = shares.filter((entry) => entry.share.byteLength === KEY_BYTES + 1);
  for (const set of subsets(usable, threshold, MAX_COMBINATIONS)) {
    if (new Set(set.map((entry) => shareX(entry.share))).size !== set.length) continue;
    const key = await combineShares(set.map((entry) => entry.share));
    const commitment = Buffer.from(keyCommitment(key, expected.objectId, expected.uploadId), 'hex');
    if (commitment.length === wanted.length && timingSafeEqual(commitment, wanted)) return { key, used: set };
    key.fill(0);
  }
  return undefined;
}
