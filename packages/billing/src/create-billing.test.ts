import { createMemoryStore, Decimal, ManualClock, OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { simplePriceList } from './__fixtures__/price-lists.js';
import { faultyStore, hourlyRecords, usageRecord } from './__fixtures__/usage-records.js';
import type { BillingEvents } from './billing-events.js';
import { createBilling } from './create-billing.js';

function setup(options: { grace?: number; now?: string } = {}) {
  const store = faultyStore(createMemoryStore());
  const clock = new ManualClock(options.now ?? '2026-11-20T00:00:00Z');
  const billing = createBilling({
    store,
    clock,
    priceLists: [simplePriceList()],
    feePercent: '10',
    gracePeriodDays: options.grace ?? 3,
  });
  const finalized: Array<BillingEvents['invoice.finalized']> = [];
  billing.events.on('invoice.finalized', (event) => finalized.push(event));
  return { store, clock, billing, finalized };
}

async function catchError(promise: Promise<unknown>): Promise<OcxError> {
  try {
    await promise;
  } catch (error) {
    if (OcxError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an OcxError');
}

describe('createBilling options', () => {
  it.each([
    [{ feePercent: '150' }, 'feePercent'],
    [{ feePercent: 5 }, 'feePercent'],
    [{ rounding: { scale: -1 } }, 'rounding.scale'],
    [{ gracePeriodDays: 1.5 }, 'gracePeriodDays'],
    [{ priceLists: [{ ...simplePriceList(), currency: 'usd' }] }, 'priceLists.0.currency'],
    [{ colour: 'red' }, ''],
  ])('rejects %j naming %s', (extra, path) => {
    try {
      createBilling({ store: createMemoryStore(), ...(extra as object) });
      expect.unreachable();
    } catch (error) {
      expect(OcxError.is(error) && error.code).toBe('validation');
      expect((error as OcxError).issues.map((issue) => issue.path)).toEqual([path]);
    }
  });
});

describe('billing ledger', () => {
  it('ingests idempotently on (source, id)', async () => {
    const { billing } = setup();
    const records = hourlyRecords(5, '2026-11-02T00:00:00Z');
    expect(await billing.ingest(records)).toEqual({ inserted: 5, duplicates: 0, late: 0 });
    expect(await billing.ingest([...records, records[0]!])).toEqual({ inserted: 0, duplicates: 6, late: 0 });
    const [invoice] = await billing.invoices.list('2026-11');
    expect(invoice?.totals.total).toBe('0.5');
  });

  it('rejects a malformed record by path and writes nothing', async () => {
    const { billing } = setup();
    const records = [usageRecord(), usageRecord({ hour: '2026-11-02T01:00:00Z', quantity: '1e3' })];
    const error = await catchError(billing.ingest(records));
    expect(error.issues.map((issue) => issue.path)).toEqual(['records.1.quantity']);
    const negative = await catchError(billing.ingest([usageRecord({ quantity: '-2' })]));
    expect(negative.issues.map((issue) => issue.path)).toEqual(['records.0.quantity']);
    expect(await billing.invoices.list('2026-11')).toEqual([]);
    expect(await billing.periods()).toEqual([]);
  });

  it('splits a record spanning two periods exactly between them', async () => {
    const { billing } = setup({ now: '2026-12-05T00:00:00Z' });
    await billing.ingest([
      usageRecord({ quantity: '3', window: { start: '2026-11-30T23:00:00Z', end: '2026-12-01T02:00:00Z' } }),
    ]);
    expect((await billing.invoices.list('2026-11'))[0]?.totals.total).toBe('0.1');
    expect((await billing.invoices.list('2026-12'))[0]?.totals.total).toBe('0.2');
  });

  it('keeps drafts until the grace period ends, then finalizes them once and for all', async () => {
    const { billing, clock, finalized } = setup();
    await billing.ingest(hourlyRecords(10, '2026-11-02T00:00:00Z'));
    const [draft] = await billing.invoices.list('2026-11');
    expect(draft).toMatchObject({ status: 'draft', finalizeAfter: '2026-12-04T00:00:00.000Z' });
    clock.set('2026-12-03T23:59:59Z');
    expect(await billing.finalizeDue()).toEqual([]);
    clock.set('2026-12-04T00:00:00Z');
    const [invoice] = await billing.finalizeDue();
    expect(invoice).toMatchObject({
      status: 'finalized',
      finalizedAt: '2026-12-04T00:00:00.000Z',
      totals: { total: '1' },
    });
    expect(finalized).toEqual([expect.objectContaining({ invoiceId: invoice!.id, total: '1', period: '2026-11' })]);
    expect(await billing.finalizeDue()).toEqual([]);
    expect(finalized).toHaveLength(1);
    expect(await billing.invoices.get(invoice!.id)).toEqual(invoice);
  });

  it('bills late usage for a finalized period as corrections in the next open period', async () => {
    const { billing, clock } = setup();
    await billing.ingest(hourlyRecords(10, '2026-11-02T00:00:00Z'));
    clock.set('2026-12-10T00:00:00Z');
    const [closed] = await billing.finalizeDue();
    const late = hourlyRecords(4, '2026-11-03T00:00:00Z');
    expect(await billing.ingest(late)).toEqual({ inserted: 4, duplicates: 0, late: 4 });
    expect(await billing.ingest(late)).toEqual({ inserted: 0, duplicates: 4, late: 0 });
    expect(await billing.invoices.get(closed!.id)).toEqual(closed);
    expect(await billing.invoices.list('2026-11')).toEqual([closed]);
    const [december] = await billing.invoices.list('2026-12');
    expect(december?.lines.every((line) => line.correctionOf === '2026-11')).toBe(true);
    expect(december?.totals).toMatchObject({ charges: '0', corrections: '0.4', total: '0.4' });
  });

  it('re-rates open periods when a price list changes, and never finalized ones', async () => {
    const { billing, clock } = setup();
    await billing.ingest(hourlyRecords(10, '2026-10-02T00:00:00Z'));
    await billing.ingest(hourlyRecords(10, '2026-11-02T00:00:00Z'));
    clock.set('2026-11-20T00:00:00Z');
    const [october] = await billing.finalizeDue();
    const rerated: string[][] = [];
    billing.events.on('billing.rerated', (event) => rerated.push(event.periods));
    await billing.priceLists.put(simplePriceList({ id: 'prices-a2' }, '0.25'));
    expect(rerated).toEqual([['2026-11']]);
    const [november] = await billing.invoices.list('2026-11');
    expect(november?.totals.total).toBe('2.5');
    expect(november?.priceListVersions).toEqual(['prices-a2@v1']);
    expect(await billing.invoices.get(october!.id)).toEqual(october);
    expect(october?.totals.total).toBe('1');
  });

  it('applies discounts and credits, and refuses them on a finalized period', async () => {
    const { billing, clock } = setup();
    await billing.ingest(hourlyRecords(100, '2026-11-02T00:00:00Z'));
    await billing.adjustments.add({
      id: 'bu-subsidy',
      period: '2026-11',
      kind: 'discount',
      organization: 'bu',
      project: 'genomics',
      percent: '25',
      description: 'BU subsidy',
    });
    await billing.adjustments.add({
      id: 'new-pi',
      period: '2026-11',
      kind: 'credit',
      organization: 'bu',
      project: 'genomics',
      amount: '100',
      currency: 'USD',
      description: 'New PI credit',
    });
    const [invoice] = await billing.invoices.list('2026-11');
    // 100 × 0.1 = 10; 25 % off = 7.5; the 100 credit is capped at 7.5, leaving 92.5 unapplied.
    expect(invoice?.totals).toMatchObject({ charges: '10', discounts: '-2.5', credits: '-7.5', total: '0' });
    expect(invoice?.unappliedCredits).toEqual([{ adjustmentId: 'new-pi', amount: '92.5' }]);
    clock.set('2026-12-05T00:00:00Z');
    await billing.finalizeDue();
    const error = await catchError(
      billing.adjustments.add({
        id: 'late',
        period: '2026-11',
        kind: 'credit',
        organization: 'bu',
        project: 'genomics',
        amount: '1',
        currency: 'USD',
        description: 'x',
      }),
    );
    expect(error.code).toBe('state');
    const bad = await catchError(
      billing.adjustments.add({
        id: 'bad',
        period: '2026-12',
        kind: 'discount',
        organization: 'bu',
        project: 'genomics',
        percent: '120',
        description: 'x',
      }),
    );
    expect(bad.issues.map((issue) => issue.path)).toEqual(['percent']);
    expect(await billing.adjustments.list('2026-12')).toEqual([]);
  });

  it('bills allocations on quota history even without usage', async () => {
    const { billing, clock } = setup({ now: '2026-11-01T00:00:00Z' });
    await billing.projects.put({
      id: 'genomics',
      organization: 'bu',
      name: 'Genomics',
      lead: { name: 'Ada Lovelace', email: 'ada@bu.edu' },
    });
    const quota = (limit: string | null, effectiveFrom: string) => ({
      scope: { kind: 'project' as const, id: 'genomics' },
      landlord: 'landlord-a',
      service: 'compute',
      resource: 'storage-gb',
      limit,
      effectiveFrom,
    });
    const history = [
      quota('100', '2026-11-01T00:00:00Z'),
      quota('200', '2026-11-11T00:00:00Z'),
      quota(null, '2026-11-21T00:00:00Z'),
    ];
    expect(await billing.ingestQuotaHistory(history)).toEqual({ inserted: 3, duplicates: 0, skipped: 0 });
    expect(
      await billing.ingestQuotaHistory([
        ...history,
        { ...quota('5', '2026-11-01T00:00:00Z'), scope: { kind: 'organization', id: 'bu' } },
      ]),
    ).toEqual({ inserted: 0, duplicates: 3, skipped: 1 });
    clock.set('2026-12-10T00:00:00Z');
    const [invoice] = await billing.finalizeDue();
    // (100 GB × 240 h + 200 GB × 240 h) × 0.001 = 72, and nothing once unlimited.
    expect(invoice).toMatchObject({ organization: 'bu', project: 'genomics', totals: { total: '72' } });
  });

  it('keeps showback invoices out of settlement', async () => {
    const { billing } = setup();
    await billing.projects.put({ id: 'outreach', organization: 'bu', billingMode: 'showback' });
    await billing.ingest([
      ...hourlyRecords(10, '2026-11-02T00:00:00Z'),
      ...hourlyRecords(3, '2026-11-02T00:00:00Z', {
        subject: { organization: 'bu', project: 'outreach' },
        source: 'other',
      }),
    ]);
    const settlement = await billing.settle('2026-11');
    expect(settlement).toMatchObject({
      status: 'provisional',
      statements: [{ landlord: 'landlord-a', gross: '1', fee: '0.1', net: '0.9' }],
      totals: [{ currency: 'USD', invoiced: '1', settled: '1', balanced: true }],
      showback: [{ currency: 'USD', total: '0.3' }],
    });
  });

  it('loses nothing and doubles nothing when the store fails mid-ingestion', async () => {
    const { billing, store } = setup();
    // 700 hours of November: two ingestion chunks.
    const records = hourlyRecords(700, '2026-11-01T00:00:00Z');
    store.failNext('batch');
    await expect(billing.ingest(records)).rejects.toMatchObject({ code: 'network' });
    expect(await billing.invoices.list('2026-11')).toEqual([]);
    store.failNext('batch');
    // The first chunk fails again; a later retry completes everything exactly once.
    await expect(billing.ingest(records)).rejects.toMatchObject({ code: 'network' });
    const retried = await billing.ingest(records);
    expect(retried.inserted + retried.duplicates).toBe(700);
    const [invoice] = await billing.invoices.list('2026-11');
    expect(invoice?.totals.total).toBe('70');
    expect(Decimal.sum(invoice!.lines.map((line) => line.quantity)).toString()).toBe('700');
  });

  it('finalizes nothing and emits nothing when the store fails during finalization', async () => {
    const { billing, store, clock, finalized } = setup();
    await billing.ingest(hourlyRecords(10, '2026-11-02T00:00:00Z'));
    clock.set('2026-12-10T00:00:00Z');
    store.failNext('batch');
    await expect(billing.finalizeDue()).rejects.toMatchObject({ code: 'network' });
    expect(finalized).toEqual([]);
    expect((await billing.periods()).map((period) => period.status)).toEqual(['open']);
    const done = await billing.finalizeDue();
    expect(done.map((invoice) => invoice.status)).toEqual(['finalized']);
    expect(finalized).toHaveLength(1);
  });
});
