import { Decimal } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { billDemoMonth } from './__fixtures__/demo-month.js';
import { rollup } from './invoice/rollup.js';
import { renderFocusCsv } from './render/focus-csv.js';
import { renderHtmlBill } from './render/render-html.js';

describe('a month of three reference landlords', () => {
  it('is rated, invoiced, finalized and settled to the cent', async () => {
    const { billing } = await billDemoMonth();
    const invoices = await billing.invoices.list('2026-11');
    expect(invoices.map((invoice) => [invoice.id, invoice.status, invoice.mode])).toEqual([
      ['2026-11/bu/genomics/USD', 'finalized', 'chargeback'],
      ['2026-11/bu/outreach/USD', 'finalized', 'showback'],
      ['2026-11/harvard/climate/USD', 'finalized', 'chargeback'],
    ]);
    const genomics = invoices[0]!;
    const byLandlord = Object.fromEntries(rollup(genomics.lines, 'landlord').map((row) => [row.key, row.amount]));
    // Bare metal: 720 + 336 node-hours = 1056, graduated: 100 × 1.20 + 900 × 1.00 + 56 × 0.80.
    expect(byLandlord['landlord-a']).toBe('1064.8');
    // Compute (prices × 1.1), rounded per daily line: vCPU 96/day × 0.0132 = 1.2672 → 1.27, RAM 384/day × 0.0033 = 1.2672 → 1.27;
    // floating IP: 168 free hours, then 552 h × 0.0055 over 23 days of 24 h = 0.132 → 0.13.
    expect(byLandlord['landlord-b']).toBe(
      Decimal.from('1.27').multiply('60').add(Decimal.from('0.13').multiply('23')).toString(),
    );
    // Storage: 360,000 GB·h reaches the volume tier: 0.0001 × 0.9 per GB·h, 12,000 GB·h/day = 1.08/day.
    expect(byLandlord['landlord-c']).toBe('32.4');
    expect(genomics.totals.total).toBe(Decimal.sum(genomics.lines.map((line) => line.amount)).toString());

    const settlement = await billing.settle('2026-11');
    expect(settlement.status).toBe('final');
    expect(settlement.totals).toEqual([
      { currency: 'USD', invoiced: expect.any(String), settled: expect.any(String), balanced: true },
    ]);
    expect(settlement.statements.map((statement) => statement.landlord)).toEqual([
      'landlord-a',
      'landlord-b',
      'landlord-c',
    ]);
    for (const statement of settlement.statements)
      expect(Decimal.from(statement.net).add(statement.fee).toString()).toBe(Decimal.from(statement.gross).toString());
    expect(settlement.showback).toEqual([{ currency: 'USD', total: expect.any(String) }]);

    const summary = await billing.summarize(genomics.id);
    expect(summary.lead).toEqual({ name: 'Ada Lovelace', email: 'ada@bu.example' });
    expect(summary.sections.map((section) => section.id)).toEqual([
      'virtual-machines',
      'bare-metal',
      'volumes',
      'floating-ips',
    ]);
    expect(summary.users.map((user) => user.name ?? user.id)).toEqual(['Alice', 'Bob', '(no user)']);
    expect(Decimal.sum(summary.users.map((user) => user.amount)).toString()).toBe(genomics.totals.total);
    const html = renderHtmlBill(summary, { issuer: 'OCX demo exchange' });
    expect(html).toContain(`USD ${Decimal.from(genomics.totals.total).toFixed(2)}`);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const csv = renderFocusCsv(invoices, { invoiceIssuerName: 'OCX demo exchange' });
    expect(csv.split('\r\n').filter((row) => row !== '')).toHaveLength(
      1 + invoices.reduce((count, invoice) => count + invoice.lines.length, 0),
    );
  });

  it('rounds once per invoice and payee when asked, and still balances', async () => {
    const { billing } = await billDemoMonth({ rounding: { level: 'invoice', scale: 2, mode: 'half-up' } });
    const [genomics] = await billing.invoices.list('2026-11');
    const byLandlord = Object.fromEntries(rollup(genomics!.lines, 'landlord').map((row) => [row.key, row.amount]));
    // Exact: 2880 × 0.0132 + 11520 × 0.0033 + 552 × 0.0055 = 38.016 + 38.016 + 3.036 = 79.068 → 79.07.
    expect(byLandlord['landlord-b']).toBe('79.07');
    expect(
      genomics!.lines.filter((line) => line.category === 'rounding').map((line) => [line.landlord, line.amount]),
    ).toEqual([['landlord-b', '0.002']]);
    expect((await billing.settle('2026-11')).totals[0]?.balanced).toBe(true);
  });
});
