import { describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../invoice/project-summary.js';
import { billingPeriod } from '../period/billing-period.js';
import { displayAmount } from './html-text.js';
import { renderHtmlBill } from './render-html.js';

const summary: ProjectSummary = {
  invoiceId: '2026-11/bu/genomics/USD',
  period: billingPeriod('2026-11'),
  status: 'draft',
  mode: 'chargeback',
  currency: 'USD',
  project: { id: 'genomics', name: '<script>alert(1)</script>' },
  organization: { id: 'bu', name: 'Boston & Co' },
  lead: { name: 'Ada', email: 'ada@bu.example' },
  sections: [
    {
      id: 'virtual-machines',
      title: 'Virtual machines',
      metrics: [{ metric: 'vcpu-hours', unit: 'vCPU·h' }],
      rows: [
        {
          resource: { id: 'vm-1', type: 'server' },
          landlord: 'landlord-a',
          quantities: { 'vcpu-hours': '96' },
          amount: '1.2672',
        },
      ],
      amount: '1.2672',
    },
  ],
  quotaPeriods: [],
  users: [],
  adjustments: [],
  totals: { charges: '1.2672', corrections: '0', discounts: '0', credits: '0', rounding: '0.0028', total: '1.27' },
  byService: [{ key: 'compute', currency: 'USD', amount: '1.2672', lines: 1 }],
  byLandlord: [{ key: 'landlord-a', currency: 'USD', amount: '1.27', lines: 2 }],
  byDay: [
    { key: '2026-11-02', currency: 'USD', amount: '1' },
    { key: '2026-11-03', currency: 'USD', amount: '0.2672' },
  ].map((row) => ({ ...row, lines: 1 })),
  priceListVersions: ['prices-a@1'],
};

describe('renderHtmlBill', () => {
  it('escapes every text and shows exact amounts, never rounded for display', () => {
    const html = renderHtmlBill(summary, { issuer: 'OCX' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('Boston &#38; Co');
    expect(html).toContain('USD 1.2672');
    expect(html).toContain('id="invoice-total" data-amount="1.27">USD 1.27<');
    expect(html).toContain('DRAFT');
  });

  it('scales bars to the largest amount', () => {
    const html = renderHtmlBill(summary, { issuer: 'OCX' });
    const heights = [...html.matchAll(/<rect class="bar" x="\d+" y="[\d.]+" width="\d+" height="([\d.]+)"/g)].map(
      (match) => Number(match[1]),
    );
    expect(heights).toEqual([120, 32.06]);
  });

  it('pads amounts to the currency scale without dropping digits', () => {
    expect(displayAmount('12.5', 2)).toBe('12.50');
    expect(displayAmount('0.0028', 2)).toBe('0.0028');
    expect(displayAmount('-3', 2)).toBe('-3.00');
  });
});
