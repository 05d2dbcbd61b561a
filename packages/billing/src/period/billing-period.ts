import { OcxError } from '@ocx/core';

/** A calendar month in UTC, the billing period of the exchange: `[start, end)`. */
export interface BillingPeriod {
  /** `YYYY-MM`, e.g. `2026-11`. */
  id: string;
  /** First instant of the month, ISO-8601 UTC. */
  start: string;
  /** First instant of the next month (exclusive). */
  end: string;
}

const PERIOD_ID = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True when `id` is a period id such as `2026-11`. */
export function isBillingPeriodId(id: string): boolean {
  return PERIOD_ID.test(id);
}

/**
 * The billing period with this id.
 *
 * @example
 * ```ts
 * billingPeriod('2026-11'); // { id: '2026-11', start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }
 * ```
 */
export function billingPeriod(id: string): BillingPeriod {
  const match = PERIOD_ID.exec(id);
  if (match === null) {
    throw new OcxError({
      code: 'validation',
      message: `Not a billing period: ${JSON.stringify(id.slice(0, 20))} (expected YYYY-MM)`,
      issues: [{ path: 'period', message: 'expected YYYY-MM' }],
      fault: 'client',
    });
  }
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  return {
    id,
    start: new Date(Date.UTC(year, month, 1)).toISOString(),
    end: new Date(Date.UTC(year, month + 1, 1)).toISOString(),
  };
}

/** The billing period that holds the instant `time` (milliseconds or ISO string). */
export function billingPeriodOf(time: number | string | Date): BillingPeriod {
  const date = new Date(time);
  return billingPeriod(periodIdOf(date.getUTCFullYear(), date.getUTCMonth()));
}

/** The period after `id`. */
export function nextBillingPeriod(id: string): BillingPeriod {
  const period = billingPeriod(id);
  return billingPeriodOf(period.end);
}

/** Every period overlapping the half-open window `[startMs, endMs)`, in order. */
export function billingPeriodsBetween(startMs: number, endMs: number): BillingPeriod[] {
  const periods: BillingPeriod[] = [];
  let period = billingPeriodOf(startMs);
  while (Date.parse(period.start) < endMs) {
    periods.push(period);
    period = billingPeriodOf(period.end);
  }
  return periods;
}

function periodIdOf(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`;
}
