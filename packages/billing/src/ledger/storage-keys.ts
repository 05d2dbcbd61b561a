/**
 * Collections the billing ledger keeps in the core `Store`. Keys are plain printable text (no NUL),
 * so that every durable store can hold them; record identities are URI-encoded so `|` separates parts.
 */
export const COLLECTIONS = {
  /** Idempotency index: one document per usage record (source, id). */
  usageIndex: 'billing-usage-index',
  /** Usage parts, keyed by period first so a period is one prefix scan. */
  usage: 'billing-usage',
  quotas: 'billing-quota-history',
  priceLists: 'billing-price-lists',
  projects: 'billing-projects',
  adjustments: 'billing-adjustments',
  periods: 'billing-periods',
  invoices: 'billing-invoices',
  /** `target|period`: a finalized period has late usage corrected in an open target period. */
  late: 'billing-late-usage',
} as const;

/** The identity of a usage record, from its (source, id) idempotency key. */
export function recordKeyOf(record: { source: string; id: string }): string {
  return `${encodeURIComponent(record.source)}|${encodeURIComponent(record.id)}`;
}

/** The key of one period's part of a usage record. */
export function usagePartKey(period: string, recordKey: string, part: number): string {
  return `${period}|${recordKey}|${part}`;
}

/** The key prefix of one period's usage parts. */
export function usagePrefix(period: string): string {
  return `${period}|`;
}
