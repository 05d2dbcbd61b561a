import type { Clock, Quota, Store, TypedEmitter, UsageRecordInput } from '@ocx/core';
import type { BillingEvents } from './billing-events.js';
import type { ProjectProfile, ProjectProfileInput } from './directory/project-profile.js';
import type { Adjustment, AdjustmentInput } from './invoice/adjustment.js';
import type { Invoice } from './invoice/invoice.js';
import type { ProjectSummary } from './invoice/project-summary.js';
import type { UsageIngestResult } from './ledger/ingest-usage.js';
import type { PeriodState } from './ledger/period-state.js';
import type { QuotaIngestResult } from './ledger/quota-history.js';
import type { Rounding } from './money/rounding.js';
import type { BillingPriceList, BillingPriceListInput } from './price-list/price-list-schema.js';
import type { RatingResult } from './rating/rate-period.js';
import type { Settlement } from './settlement/settle.js';

/**
 * The billing system of an exchange, over a core `Store`: price lists, usage and quota history
 * in, rated lines, invoices (draft → finalized) and settlements out.
 */
export interface Billing {
  readonly store: Store;
  readonly clock: Clock;
  readonly rounding: Rounding;
  readonly feePercent: string;
  /** `invoice.finalized`, `billing.period-finalized`, `billing.usage-ingested`, `billing.rerated`. */
  readonly events: TypedEmitter<BillingEvents>;
  readonly priceLists: {
    /** Store a landlord's price list (replacing its previous one) and re-rate every open period. */
    put(list: BillingPriceListInput): Promise<BillingPriceList>;
    get(landlord: string): Promise<BillingPriceList | undefined>;
    list(): Promise<BillingPriceList[]>;
  };
  readonly projects: {
    /** Store what bills say about a project (name, organization, lead, users, chargeback or showback). */
    put(profile: ProjectProfileInput): Promise<ProjectProfile>;
    get(id: string): Promise<ProjectProfile | undefined>;
  };
  readonly adjustments: {
    /** Add a credit or discount to an open period; a finalized period refuses it (`state`). */
    add(adjustment: AdjustmentInput): Promise<Adjustment>;
    list(period: string): Promise<Adjustment[]>;
  };
  /** Store usage records once each (idempotent on source + id); late usage lands in the next open period. */
  ingest(records: readonly UsageRecordInput[]): Promise<UsageIngestResult>;
  /** Store quota history for allocation charging (idempotent). */
  ingestQuotaHistory(quotas: readonly Quota[]): Promise<QuotaIngestResult>;
  /** Rate a period's own usage and allocations with the price lists in force now. */
  rate(period: string): Promise<RatingResult>;
  readonly invoices: {
    /** A period's invoices: the finalized ones as stored, or for an open period fresh drafts (stored too). */
    list(period: string): Promise<Invoice[]>;
    get(id: string): Promise<Invoice | undefined>;
  };
  /** The one-page project summary of an invoice (with its project's profile and quota periods). */
  summarize(invoiceId: string): Promise<ProjectSummary>;
  /** Rate open periods again and store their drafts (all open periods, or one). */
  refreshDrafts(period?: string): Promise<Invoice[]>;
  /** Finalize, in order, every open period whose grace period has ended by `now`; returns the invoices finalized. */
  finalizeDue(now?: Date): Promise<Invoice[]>;
  /** A period's settlement: `final` once finalized, else `provisional` from the drafts. */
  settle(period: string): Promise<Settlement>;
  /** Periods the ledger knows, oldest first. */
  periods(): Promise<PeriodState[]>;
}
