import { describe, expect, it } from 'vitest';
import { bucketShares, endedBuckets } from './buckets.js';

const H = 3_600_000;

describe('buckets', () => {
  it('takes only whole buckets that have ended', () => {
    expect(endedBuckets({ start: 0.5 * H, end: 10 * H }, H, 4.2 * H)).toEqual({ start: H, end: 4 * H, bucketMs: H });
    expect(endedBuckets({ start: 0, end: H }, H, 0.9 * H)).toBeUndefined();
  });

  it('splits an interval over buckets, less gaps', () => {
    const range = { start: 0, end: 3 * H, bucketMs: H };
    expect([...bucketShares([0.5 * H, Number.POSITIVE_INFINITY], range)].map((share) => share.ms)).toEqual([
      0.5 * H,
      H,
      H,
    ]);
    expect(
      [
        ...bucketShares([0, 3 * H], range, [
          [0.25 * H, 1.5 * H],
          [H, 1.25 * H],
        ]),
      ].map((share) => share.ms),
    ).toEqual([0.25 * H, 0.5 * H, H]);
    expect([...bucketShares([5 * H, 6 * H], range)]).toEqual([]);
  });
});
