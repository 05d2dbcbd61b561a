import type { BillingPeriod } from '../period/billing-period.js';
import type { RatedLine } from '../rating/rated-line.js';

/** An invoice's state: a draft changes as usage arrives; a finalized invoice never changes. */
export type InvoiceStatus = 'draft' | 'finalized';

/** The sums of an invoice by kind of line; `total` is exactly the sum of every line. */
export interface InvoiceTotals {
  /** Usage, allocation and minimum lines of this period. */
  charges: string;
  /** Corrections of finalized periods billed here. */
  corrections: string;
  discounts: string;
  credits: string;
  rounding: string;
  total: string;
}

/**
 * One project's bill for one period and currency. `chargeback` invoices are owed; `showback`
 * invoices only show the cost.
 */
export interface Invoice {
  /** `period/organization/project/currency`. */
  id: string;
  period: BillingPeriod;
  organization: string;
  project: string;
  currency: string;
  mode: 'chargeback' | 'showback';
  status: InvoiceStatus;
  /** When the period's drafts may be finalized: the period's end plus the grace period. */
  finalizeAfter: string;
  finalizedAt?: string;
  lines: RatedLine[];
  totals: InvoiceTotals;
  /** Every `priceListId@version` a line was priced with. */
  priceListVersions: string[];
  /** Credits larger than what they could apply to, with what was left unapplied. */
  unappliedCredits: Array<{ adjustmentId: string; amount: string }>;
}

/** The id of a project's invoice. */
export function invoiceIdOf(period: string, organization: string, project: string, currency: string): string {
  return `${period}/${organization}/${project}/${currency}`;
}
