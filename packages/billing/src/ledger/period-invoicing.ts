import type { Store } from '@ocx/core';
import type { ProjectProfile } from '../directory/project-profile.js';
import type { Adjustment } from '../invoice/adjustment.js';
import { buildInvoices } from '../invoice/build-invoices.js';
import type { Invoice, InvoiceStatus } from '../invoice/invoice.js';
import type { Rounding } from '../money/rounding.js';
import { billingPeriod } from '../period/billing-period.js';
import type { BillingPriceList } from '../price-list/price-list-schema.js';
import type { LineGranularity } from '../rating/prepare-pieces.js';
import { correctionLines, type RatingResult, ratePeriod } from '../rating/rate-period.js';
import type { RatedLine } from '../rating/rated-line.js';
import type { UnratedUsage } from '../rating/usage-part.js';
import type { StoredUsagePart } from './ingest-usage.js';
import { allocationIntervals } from './quota-history.js';
import { COLLECTIONS, usagePrefix } from './storage-keys.js';

/** What the ledger needs to rate and invoice a period. */
export interface InvoicingContext {
  store: Store;
  /** Price lists given as options; a list stored with `priceLists.put` replaces one for the same landlord. */
  configuredPriceLists: ReadonlyMap<string, BillingPriceList>;
  rounding: Rounding;
  granularity: LineGranularity;
  gracePeriodMs: number;
}

/** Everything that prices a period, read once. */
export interface PricingInputs {
  priceLists: Map<string, BillingPriceList>;
  profiles: Map<string, ProjectProfile>;
}

/** Read the price lists and project profiles in force now. */
export async function loadPricingInputs(context: InvoicingContext): Promise<PricingInputs> {
  const priceLists = new Map(context.configuredPriceLists);
  for await (const { value } of context.store.list<BillingPriceList>(COLLECTIONS.priceLists))
    priceLists.set(value.landlord, value);
  const profiles = new Map<string, ProjectProfile>();
  for await (const { value } of context.store.list<ProjectProfile>(COLLECTIONS.projects)) profiles.set(value.id, value);
  return { priceLists, profiles };
}

/** Rate a period from the store, with the usage parts `include` admits. */
export async function rateStoredPeriod(
  context: InvoicingContext,
  inputs: PricingInputs,
  periodId: string,
  include: (part: StoredUsagePart) => boolean,
): Promise<RatingResult> {
  const period = billingPeriod(periodId);
  const usage: StoredUsagePart[] = [];
  for await (const { value } of context.store.list<StoredUsagePart>(COLLECTIONS.usage, {
    prefix: usagePrefix(periodId),
  }))
    if (include(value)) usage.push(value);
  const allocations = await allocationIntervals(
    context.store,
    Date.parse(period.start),
    Date.parse(period.end),
    inputs.profiles,
  );
  return ratePeriod({
    period,
    usage,
    allocations,
    priceLists: inputs.priceLists,
    granularity: context.granularity,
    rounding: context.rounding,
  });
}

/** The invoices of a period as they stand: its own lines, corrections of finalized periods, adjustments. */
export async function invoicePeriod(
  context: InvoicingContext,
  periodId: string,
  status: InvoiceStatus,
  finalizedAt?: string,
): Promise<{ invoices: Invoice[]; unrated: UnratedUsage[] }> {
  const period = billingPeriod(periodId);
  const inputs = await loadPricingInputs(context);
  const own = await rateStoredPeriod(context, inputs, periodId, (part) => part.lateFor === undefined);
  const lines: RatedLine[] = [...own.lines];
  const unrated = [...own.unrated];
  for await (const { value } of context.store.list<{ target: string; period: string }>(COLLECTIONS.late, {
    prefix: `${periodId}|`,
  })) {
    // What the finalized period comes to with the late usage billed up to here, less what it came to before.
    const before = await rateStoredPeriod(
      context,
      inputs,
      value.period,
      (part) => part.lateFor === undefined || part.lateFor < periodId,
    );
    const after = await rateStoredPeriod(
      context,
      inputs,
      value.period,
      (part) => part.lateFor === undefined || part.lateFor <= periodId,
    );
    lines.push(...correctionLines(before.lines, after.lines, periodId, value.period));
    unrated.push(...after.unrated.filter((item) => !before.unrated.some((earlier) => earlier.key === item.key)));
  }
  const adjustments: Adjustment[] = [];
  for await (const { value } of context.store.list<Adjustment>(COLLECTIONS.adjustments, { prefix: `${periodId}|` }))
    adjustments.push(value);
  const invoices = buildInvoices({
    period,
    lines,
    adjustments,
    profiles: inputs.profiles,
    rounding: context.rounding,
    status,
    finalizeAfter: new Date(Date.parse(period.end) + context.gracePeriodMs).toISOString(),
    ...(finalizedAt === undefined ? {} : { finalizedAt }),
  });
  return { invoices, unrated };
}
