import type { Invoice } from '../invoice/invoice.js';
import { sectionOf } from '../invoice/resource-sections.js';
import type { RatedLine } from '../rating/rated-line.js';

/**
 * The columns written, in order: FOCUS 1.x columns, then `x_` columns (FOCUS's prefix for
 * provider-specific ones) carrying what FOCUS has no column for.
 */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceId',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'x_LineId',
  'x_LineCategory',
  'x_CorrectionOf',
  'x_FundedBy',
  'x_PriceListVersion',
  'x_Tier',
  'x_UserId',
  'x_InvoiceStatus',
] as const;

/** Names the CSV shows for ids, where known. */
export interface FocusCsvOptions {
  /** The exchange, which issues the invoices. */
  invoiceIssuerName: string;
  landlordNames?: Readonly<Record<string, string>>;
  organizationNames?: Readonly<Record<string, string>>;
  projectNames?: Readonly<Record<string, string>>;
}

/**
 * Render invoices as CSV in the FinOps FOCUS columns, one row per line. Amounts are the lines'
 * exact decimal strings; times are ISO-8601 UTC. Text cells that a spreadsheet would read as a
 * formula (`=`, `+`, `-`, `@`) are prefixed with `'`.
 *
 * @example
 * ```ts
 * const csv = renderFocusCsv(await billing.invoices.list('2026-11'), { invoiceIssuerName: 'MOC Exchange' });
 * ```
 */
export function renderFocusCsv(invoices: readonly Invoice[], options: FocusCsvOptions): string {
  const rows = [FOCUS_COLUMNS.join(',')];
  for (const invoice of invoices) {
    for (const line of invoice.lines)
      rows.push(
        FOCUS_COLUMNS.map((column) => cell(focusValue(column, line, invoice, options), NUMERIC.has(column))).join(','),
      );
  }
  return `${rows.join('\r\n')}\r\n`;
}

const NUMERIC = new Set<string>([
  'BilledCost',
  'ConsumedQuantity',
  'ContractedCost',
  'EffectiveCost',
  'ListCost',
  'ListUnitPrice',
  'PricingQuantity',
]);

function chargeCategory(line: RatedLine): string {
  switch (line.category) {
    case 'usage':
    case 'allocation':
      return 'Usage';
    case 'credit':
    case 'discount':
      return 'Credit';
    default:
      return 'Adjustment';
  }
}

function focusValue(
  column: (typeof FOCUS_COLUMNS)[number],
  line: RatedLine,
  invoice: Invoice,
  options: FocusCsvOptions,
): string {
  const isCharge = line.category === 'usage' || line.category === 'allocation' || line.category === 'minimum';
  switch (column) {
    case 'BilledCost':
    case 'EffectiveCost':
    case 'ContractedCost':
      return line.amount;
    case 'ListCost':
      return isCharge ? line.amount : '0';
    case 'ListUnitPrice':
      return line.unitPrice;
    case 'BillingAccountId':
      return line.organization;
    case 'BillingAccountName':
      return options.organizationNames?.[line.organization] ?? line.organization;
    case 'BillingCurrency':
      return line.currency;
    case 'BillingPeriodStart':
      return invoice.period.start;
    case 'BillingPeriodEnd':
      return invoice.period.end;
    case 'ChargeCategory':
      return chargeCategory(line);
    case 'ChargeClass':
      return line.correctionOf === undefined ? '' : 'Correction';
    case 'ChargeDescription':
      return line.description ?? [line.metric, line.tier].filter((part) => part !== undefined).join(', ');
    case 'ChargePeriodStart':
      return line.window.start;
    case 'ChargePeriodEnd':
      return line.window.end;
    case 'ConsumedQuantity':
      return isCharge ? line.quantity : '';
    case 'ConsumedUnit':
      return isCharge ? (line.unit ?? '') : '';
    case 'InvoiceId':
      return invoice.id;
    case 'InvoiceIssuerName':
      return options.invoiceIssuerName;
    case 'PricingQuantity':
      return line.pricingQuantity;
    case 'PricingUnit':
      return line.pricingUnit;
    case 'ProviderName':
    case 'PublisherName':
      return line.landlord === undefined
        ? options.invoiceIssuerName
        : (options.landlordNames?.[line.landlord] ?? line.landlord);
    case 'ResourceId':
      return line.resource?.id ?? '';
    case 'ResourceName':
      return line.resource?.name ?? line.resource?.id ?? '';
    case 'ResourceType':
      return line.resource?.type ?? '';
    case 'ServiceCategory':
      return line.resource === undefined ? 'Other' : sectionOf(line.resource.type, line.metric).category;
    case 'ServiceName':
      return line.service ?? '';
    case 'SkuId':
      return line.metric === undefined ? '' : `${line.landlord ?? ''}/${line.service ?? '*'}/${line.metric}`;
    case 'SkuPriceId':
      return line.priceListId === undefined
        ? ''
        : `${line.priceListId}@${line.priceListVersion}/${line.metric}/${line.tier ?? 'unit'}`;
    case 'SubAccountId':
      return line.project;
    case 'SubAccountName':
      return options.projectNames?.[line.project] ?? line.project;
    case 'x_LineId':
      return line.lineId;
    case 'x_LineCategory':
      return line.category;
    case 'x_CorrectionOf':
      return line.correctionOf ?? '';
    case 'x_FundedBy':
      return line.fundedBy;
    case 'x_PriceListVersion':
      return line.priceListVersion ?? '';
    case 'x_Tier':
      return line.tier ?? '';
    case 'x_UserId':
      return line.user ?? '';
    case 'x_InvoiceStatus':
      return invoice.status;
  }
}

/** One CSV cell (RFC 4180), with formula-like text neutralized. */
function cell(value: string, numeric: boolean): string {
  const safe = !numeric && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
