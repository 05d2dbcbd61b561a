/**
 * The UTC calendar month holding `now`, half-open `[start, end)`: the period spend limits hold for,
 * the same one `@ocx/billing` invoices by default.
 *
 * @example
 * ```ts
 * billingMonth(new Date('2026-11-17T08:00:00Z')); // { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }
 * ```
 */
export function billingMonth(now: Date): { start: string; end: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start: start.toISOString(), end: end.toISOString() };
}
