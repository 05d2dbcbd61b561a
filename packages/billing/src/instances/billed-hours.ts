import type { InstanceBilling } from './instance-billing-schema.js';

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The billed and credited time of one instance (or one flavor of it) in a period. */
export interface BilledTime {
  /** Time in billed states before the outage credit, in ms. */
  usedMs: number;
  /** Billed time inside outage windows, each window on its own. */
  creditedMs: number;
  /** What is charged after the credit and the hour rounding, in ms (whole hours unless `none`). */
  chargedMs: number;
}

function overlap(startMs: number, endMs: number, windows: ReadonlyArray<readonly [number, number]>): number {
  let total = 0;
  for (const [from, to] of windows) {
    const start = Math.max(startMs, from);
    const end = Math.min(endMs, to);
    if (end > start) total += end - start;
  }
  return total;
}

const roundUpToHour = (ms: number) => Math.ceil(Math.max(0, ms) / HOUR_MS) * HOUR_MS;

/**
 * Apply the outage credit and the hour rounding to an instance's billed intervals:
 * `none` keeps exact time; `interval` rounds each interval up; `day` rounds each UTC day up;
 * `period` rounds the total up once (NERC). The credit is taken before rounding.
 */
export function billedTime(
  intervals: ReadonlyArray<{ startMs: number; endMs: number }>,
  windows: ReadonlyArray<readonly [number, number]>,
  rounding: InstanceBilling['hourRounding'],
): BilledTime {
  let usedMs = 0;
  let creditedMs = 0;
  let chargedMs = 0;
  const days = rounding === 'day' ? new Map<number, number>() : undefined;
  for (const { startMs, endMs } of intervals) {
    const credit = overlap(startMs, endMs, windows);
    usedMs += endMs - startMs;
    creditedMs += credit;
    if (rounding === 'interval') chargedMs += roundUpToHour(endMs - startMs - credit);
    if (days !== undefined) {
      for (let day = Math.floor(startMs / DAY_MS) * DAY_MS; day < endMs; day += DAY_MS) {
        const start = Math.max(startMs, day);
        const end = Math.min(endMs, day + DAY_MS);
        const net = end - start - overlap(start, end, windows);
        days.set(day, (days.get(day) ?? 0) + net);
      }
    }
  }
  if (rounding === 'none') chargedMs = Math.max(0, usedMs - creditedMs);
  if (rounding === 'period') chargedMs = roundUpToHour(usedMs - creditedMs);
  if (days !== undefined) for (const net of days.values()) chargedMs += roundUpToHour(net);
  return { usedMs, creditedMs, chargedMs };
}
