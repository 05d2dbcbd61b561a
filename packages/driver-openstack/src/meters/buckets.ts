/** A half-open interval `[from, to)` in milliseconds since the epoch. */
export type Interval = readonly [from: number, to: number];

/** The whole buckets of a window that have ended: `[start, end)`, both on bucket boundaries. */
export interface BucketRange {
  start: number;
  end: number;
  bucketMs: number;
}

/**
 * The whole buckets (aligned to the epoch, so hours start on the hour) that lie inside the window
 * and have ended by `now`. A bucket is reported only once it has ended and only when it lies
 * wholly inside the window, so its record never changes after it was first collected and two
 * adjoining windows split on a bucket boundary give exactly the records of the whole.
 */
export function endedBuckets(
  window: { start: number; end: number },
  bucketMs: number,
  now: number,
): BucketRange | undefined {
  const start = Math.ceil(window.start / bucketMs) * bucketMs;
  const end = Math.floor(Math.min(window.end, now) / bucketMs) * bucketMs;
  return end > start ? { start, end, bucketMs } : undefined;
}

/** Milliseconds of `[from, to)` not covered by any of `gaps` (gaps may overlap each other). */
function coveredMs(from: number, to: number, gaps: readonly Interval[]): number {
  let total = to - from;
  let cursor = from;
  for (const [gapFrom, gapTo] of [...gaps].sort((a, b) => a[0] - b[0])) {
    const overlapFrom = Math.max(cursor, gapFrom);
    const overlapTo = Math.min(to, gapTo);
    if (overlapTo > overlapFrom) {
      total -= overlapTo - overlapFrom;
      cursor = overlapTo;
    }
  }
  return Math.max(0, total);
}

/** One bucket's share of an interval. */
export interface BucketShare {
  bucketStart: number;
  /** The part of the bucket the interval covers: the record's window. */
  from: number;
  to: number;
  /** Milliseconds counted (the covered part minus any gaps). */
  ms: number;
}

/**
 * The buckets of `range` an interval touches, with how much of each it covers, less `gaps`
 * (e.g. the time a server was stopped). Buckets with nothing counted are skipped.
 */
export function* bucketShares(
  interval: Interval,
  range: BucketRange,
  gaps: readonly Interval[] = [],
): Generator<BucketShare> {
  const from = Math.max(interval[0], range.start);
  const to = Math.min(interval[1], range.end);
  if (to <= from) return;
  for (let bucket = Math.floor(from / range.bucketMs) * range.bucketMs; bucket < to; bucket += range.bucketMs) {
    const shareFrom = Math.max(bucket, from);
    const shareTo = Math.min(bucket + range.bucketMs, to);
    const ms = coveredMs(shareFrom, shareTo, gaps);
    if (ms > 0) yield { bucketStart: bucket, from: shareFrom, to: shareTo, ms };
  }
}
