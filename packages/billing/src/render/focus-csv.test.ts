import { describe, expect, it } from 'vitest';
import type { Invoice } from '../invoice/invoice.js';
import { billingPeriod } from '../period/billing-period.js';
import type { RatedLine } from '../rating/rated-line.js';
import { FOCUS_COLUMNS, renderFocusCsv } from './focus-csv.js';
import { renderJson } from './render-json.js';

const line: RatedLine = {
  lineId: '2026-11-abc',
  period: '2026-11',
  category: 'usage',
  window: { start: '2026-11-02T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' },
  currency: 'USD',
  landlord: 'landlord-a',
  service: 'compute',
  organization: 'bu',
  project: 'genomics',
  user: 'alice',
  resource: { id: 'vm-1', type: 'server', name: '=HYPERLINK("x")' },
  metric: 'vcpu-hours',
  unit: 'vCPU·h',
  quantity: '96',
  pricingQuantity: '96',
  pricingUnit: 'vCPU·h',
  unitPrice: '0.0132',
  amount: '1.27',
  priceListId: 'prices-a',
  priceListVersion: '2026.1',
  tier: 'tier 1',
  fundedBy: 'landlord',
  aggregationKey: 'k',
  sources: 24,
  description: 'Virtual CPU, "fast"',
};
const credit: RatedLine = {
  ...line,
  lineId: 'c',
  category: 'credit',
  amount: '-1.5',
  unitPrice: '-1.5',
  quantity: '1',
  pricingQuantity: '1',
  pricingUnit: 'credit',
  resource: undefined,
  metric: undefined,
  landlord: undefined,
  fundedBy: 'exchange',
  description: 'New PI credit',
  correctionOf: undefined,
};
const invoice = {
  id: '2026-11/bu/genomics/USD',
  period: billingPeriod('2026-11'),
  lines: [line, { ...line, lineId: 'late', correctionOf: '2026-10' }, credit],
  status: 'finalized',
} as unknown as Invoice;

function parse(csv: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < csv.length; index += 1) {
    const character = csv[index]!;
    if (quoted) {
      if (character === '"' && csv[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(cell);
      cell = '';
    } else if (character === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += 1;
    } else cell += character;
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((name, index) => [name, cells[index] ?? ''])));
}

describe('renderFocusCsv', () => {
  it('writes one row per line in the FOCUS columns with exact amounts', () => {
    const rows = parse(
      renderFocusCsv([invoice], { invoiceIssuerName: 'OCX', landlordNames: { 'landlord-a': 'Landlord A' } }),
    );
    expect(Object.keys(rows[0]!)).toEqual([...FOCUS_COLUMNS]);
    expect(rows[0]).toMatchObject({
      BilledCost: '1.27',
      EffectiveCost: '1.27',
      ListCost: '1.27',
      ListUnitPrice: '0.0132',
      BillingCurrency: 'USD',
      BillingPeriodStart: '2026-11-01T00:00:00.000Z',
      BillingPeriodEnd: '2026-12-01T00:00:00.000Z',
      ChargePeriodStart: '2026-11-02T00:00:00.000Z',
      ChargeCategory: 'Usage',
      ChargeClass: '',
      ChargeDescription: 'Virtual CPU, "fast"',
      ConsumedQuantity: '96',
      PricingQuantity: '96',
      ProviderName: 'Landlord A',
      ServiceName: 'compute',
      ServiceCategory: 'Compute',
      SubAccountId: 'genomics',
      BillingAccountId: 'bu',
      ResourceName: `'=HYPERLINK("x")`,
      x_PriceListVersion: '2026.1',
      x_UserId: 'alice',
    });
    expect(rows[1]).toMatchObject({ ChargeClass: 'Correction', x_CorrectionOf: '2026-10' });
    expect(rows[2]).toMatchObject({
      ChargeCategory: 'Credit',
      BilledCost: '-1.5',
      ListCost: '0',
      ProviderName: 'OCX',
      x_FundedBy: 'exchange',
      ConsumedQuantity: '',
    });
  });

  it('renders JSON with amounts as strings', () => {
    expect(JSON.parse(renderJson(invoice)).lines[0].amount).toBe('1.27');
  });
});
