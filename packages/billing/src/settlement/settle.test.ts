import { describe, expect, it } from 'vitest';
import type { Adjustment } from '../invoice/adjustment.js';
import { buildInvoices } from '../invoice/build-invoices.js';
import { DEFAULT_ROUNDING } from '../money/rounding.js';
import { billingPeriod } from '../period/billing-period.js';
import type { RatedLine } from '../rating/rated-line.js';
import { settle } from './settle.js';

const period = billingPeriod('2026-11');
function charge(landlord: string, service: string, amount: string, project = 'genomics'): RatedLine {
  return {
    lineId: `${landlord}-${service}-${amount}-${project}`,
    period: period.id,
    category: 'usage',
    window: { start: period.start, end: period.end },
    currency: 'USD',
    landlord,
    service,
    organization: 'bu',
    project,
    quantity: '1',
    pricingQuantity: '1',
    pricingUnit: 'u',
    unitPrice: amount,
    amount,
    fundedBy: 'landlord',
    aggregationKey: `${landlord}|${service}|${amount}|${project}`,
    sources: 1,
  };
}

describe('settle', () => {
  it('pays each landlord its gross less the fee, and charges exchange-funded credits to the exchange', () => {
    const lines = [
      charge('a', 'compute', '10.01'),
      charge('a', 'storage', '5'),
      charge('b', 'metal', '33.33'),
      charge('b', 'metal', '1', 'outreach'),
    ];
    const adjustments: Adjustment[] = [
      {
        id: 'pi',
        period: period.id,
        kind: 'credit',
        organization: 'bu',
        project: 'genomics',
        amount: '4',
        currency: 'USD',
        description: 'New PI credit',
      },
      {
        id: 'promo',
        period: period.id,
        kind: 'discount',
        organization: 'bu',
        project: 'genomics',
        percent: '10',
        landlord: 'b',
        description: 'Landlord B promotion',
      },
    ];
    const invoices = buildInvoices({
      period,
      lines,
      adjustments,
      rounding: DEFAULT_ROUNDING,
      status: 'finalized',
      finalizeAfter: period.end,
    });
    const settlement = settle({ period: period.id, invoices, feePercent: '7.5', rounding: DEFAULT_ROUNDING });
    // a: 15.01 gross, fee 7.5 % = 1.12575 → 1.13; b: 33.33 + 1 − 3.33 (10 % of 33.33, half-even) = 31.
    expect(
      settlement.statements.map(({ landlord, gross, fee, net, invoices: count }) => ({
        landlord,
        gross,
        fee,
        net,
        count,
      })),
    ).toEqual([
      { landlord: 'a', gross: '15.01', fee: '1.13', net: '13.88', count: 1 },
      { landlord: 'b', gross: '31', fee: '2.32', net: '28.68', count: 2 },
    ]);
    expect(settlement.exchange).toEqual([{ currency: 'USD', fees: '3.45', funded: '-4', net: '-0.55' }]);
    expect(settlement.totals).toEqual([{ currency: 'USD', invoiced: '42.01', settled: '42.01', balanced: true }]);
    expect(settlement.statements[0]?.byService.map((row) => [row.key, row.amount])).toEqual([
      ['compute', '10.01'],
      ['storage', '5'],
    ]);
  });
});
