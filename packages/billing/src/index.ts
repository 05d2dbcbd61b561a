/**
 * `@ocx/billing`: price lists, rating, invoices, settlement between landlords, and renderers for the OCX SDK.
 * @packageDocumentation
 */

export type { Billing } from './billing.js';
export type { BillingEventSink, BillingEvents } from './billing-events.js';
export type { BillingOptions } from './billing-options.js';
export { BillingOptionsSchema } from './billing-options.js';
export { createBilling } from './create-billing.js';
export type { ProjectProfile, ProjectProfileInput } from './directory/project-profile.js';
export { ProjectProfileSchema } from './directory/project-profile.js';
export type { InstanceActionColumn, InstanceActionRow } from './instances/instance-action-row.js';
export { checkInstanceActionRows, INSTANCE_ACTION_COLUMNS } from './instances/instance-action-row.js';
export type {
  InstanceBilling,
  InstanceBillingInput,
  InstanceServiceUnit,
} from './instances/instance-billing-schema.js';
export {
  ERROR_STATE,
  InstanceBillingSchema,
  InstanceServiceUnitSchema,
  NO_STATE,
} from './instances/instance-billing-schema.js';
export { loadNercOutages, NercOutagesSchema } from './instances/nerc-outages.js';
export { NERC_PRICE_LIST, nercPriceList } from './instances/nerc-price-list.js';
export {
  parseActionTimestamp,
  parseInstanceActionsCsv,
  parseInstanceActionsJson,
} from './instances/parse-instance-actions.js';
export type {
  InstanceBillingResult,
  InstanceCharge,
  InstanceInvoiceRow,
  RateInstanceActionsInput,
} from './instances/rate-instance-actions.js';
export { rateInstanceActions } from './instances/rate-instance-actions.js';
export type { Adjustment, AdjustmentInput } from './invoice/adjustment.js';
export { AdjustmentSchema } from './invoice/adjustment.js';
export type { BuildInvoicesInput } from './invoice/build-invoices.js';
export { buildInvoices, totalsOf } from './invoice/build-invoices.js';
export type { Invoice, InvoiceStatus, InvoiceTotals } from './invoice/invoice.js';
export { invoiceIdOf } from './invoice/invoice.js';
export type { ProjectSummary, SummaryRow, SummarySection } from './invoice/project-summary.js';
export { summarizeProject, UNATTRIBUTED_USER } from './invoice/project-summary.js';
export type { SummarySectionId } from './invoice/resource-sections.js';
export { SUMMARY_SECTIONS, sectionOf } from './invoice/resource-sections.js';
export type { RollupDimension, RollupRow } from './invoice/rollup.js';
export { rollup } from './invoice/rollup.js';
export type { UsageIngestResult } from './ledger/ingest-usage.js';
export type { PeriodState } from './ledger/period-state.js';
export type { QuotaIngestResult } from './ledger/quota-history.js';
export type { Rounding, RoundingInput } from './money/rounding.js';
export { DEFAULT_ROUNDING, RoundingSchema } from './money/rounding.js';
export type { BillingPeriod } from './period/billing-period.js';
export {
  billingPeriod,
  billingPeriodOf,
  billingPeriodsBetween,
  isBillingPeriodId,
  nextBillingPeriod,
} from './period/billing-period.js';
export { catalogPriceList } from './price-list/catalog-price-list.js';
export { loadPriceList, parsePriceList } from './price-list/load-price-list.js';
export type {
  AggregationScope,
  BillingPriceList,
  BillingPriceListInput,
  Outage,
  Policies,
  PriceListVersion,
  Pricing,
  Rate,
  ServiceUnit,
  Tier,
} from './price-list/price-list-schema.js';
export {
  AggregationScopeSchema,
  BillingPriceListSchema,
  OutageSchema,
  PoliciesSchema,
  PriceListVersionSchema,
  PricingSchema,
  RateSchema,
  ServiceUnitSchema,
  TierSchema,
} from './price-list/price-list-schema.js';
export { referencePriceList } from './price-list/reference-price-list.js';
export type { LineGranularity } from './rating/prepare-pieces.js';
export type { RatePeriodInput, RatingResult } from './rating/rate-period.js';
export { correctionLines, ratePeriod } from './rating/rate-period.js';
export type { ColumnDictionaries, ColumnRatingResult, UsageColumns } from './rating/rate-usage-columns.js';
export { rateUsageColumns } from './rating/rate-usage-columns.js';
export type { FundedBy, LineCategory, RatedLine } from './rating/rated-line.js';
export type { AllocationInterval, UnratedUsage, UsagePart } from './rating/usage-part.js';
export type { FocusCsvOptions } from './render/focus-csv.js';
export { FOCUS_COLUMNS, renderFocusCsv } from './render/focus-csv.js';
export type { HeadlessBrowser, HeadlessPage } from './render/headless-chromium.js';
export {
  CHROMIUM_ARGS,
  chromiumPath,
  DEFAULT_CHROMIUM_PATH,
  launchHeadlessChromium,
} from './render/headless-chromium.js';
export type { NercCsvOptions } from './render/nerc-csv.js';
export { NERC_CSV_COLUMNS, renderNercInvoiceCsv } from './render/nerc-csv.js';
export type { HtmlBillOptions } from './render/render-html.js';
export { renderHtmlBill } from './render/render-html.js';
export { renderJson } from './render/render-json.js';
export { renderPdf } from './render/render-pdf.js';
export type { ExchangeStatement, LandlordStatement, Settlement } from './settlement/settle.js';
export { settle } from './settlement/settle.js';
