import { readFileSync } from 'node:fs';
import { Decimal } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { hourlyParts, usagePart } from '../__fixtures__/usage-parts.js';
import { billingPeriod } from '../period/billing-period.js';
import { loadPriceList, parsePriceList } from '../price-list/load-price-list.js';
import type { BillingPriceListInput } from '../price-list/price-list-schema.js';
import { correctionLines, ratePeriod } from './rate-period.js';
import type { RatedLine } from './rated-line.js';

const november = billingPeriod('2026-11');

function list(rates: unknown[], extra: Partial<BillingPriceListInput> = {}) {
  return parsePriceList({
    id: 'prices-a',
    landlord: 'landlord-a',
    currency: 'USD',
    versions: [{ version: 'v1', effectiveFrom: '2026-01-01T00:00:00Z', rates }],
    ...extra,
  });
}

const total = (lines: readonly RatedLine[]) => Decimal.sum(lines.map((line) => line.amount)).toString();
const byTier = (lines: readonly RatedLine[]) => {
  const sums = new Map<string, Decimal>();
  for (const line of lines) sums.set(line.tier ?? '', (sums.get(line.tier ?? '') ?? Decimal.ZERO).add(line.quantity));
  return Object.fromEntries([...sums].map(([tier, quantity]) => [tier, quantity.toString()]));
};

describe('ratePeriod', () => {
  it('prices units exactly and rounds each line (0.1 + 0.2 is 0.3)', () => {
    const prices = list([{ metric: 'vcpu-hours', unit: 'vCPU·h', pricing: { model: 'unit', unitPrice: '0.1' } }]);
    const usage = [
      usagePart({ quantity: '1', hour: '2026-11-02T00:00:00Z' }),
      usagePart({ quantity: '2', hour: '2026-11-02T01:00:00Z' }),
    ];
    const { lines, unrated } = ratePeriod({ period: november, usage, priceLists: [prices] });
    expect(unrated).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      quantity: '3',
      unitPrice: '0.1',
      amount: '0.3',
      sources: 2,
      priceListVersion: 'v1',
      window: { start: '2026-11-02T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' },
    });
  });

  it('fills graduated tiers in time order across resources of a project', () => {
    const prices = list([
      {
        metric: 'vcpu-hours',
        unit: 'h',
        pricing: {
          model: 'graduated',
          tiers: [
            { upTo: '10', unitPrice: '1' },
            { upTo: '15', unitPrice: '0.5' },
            { upTo: null, unitPrice: '0.25' },
          ],
        },
      },
    ]);
    const usage = [
      ...hourlyParts(6, '2026-11-02T00:00:00Z', { quantity: '2' }),
      ...hourlyParts(2, '2026-11-02T00:00:00Z', { quantity: '1.5', resourceId: 'vm-2' }),
    ];
    const { lines } = ratePeriod({ period: november, usage, priceLists: [prices] });
    // 15 units total: the first 10 at 1, the next 5 at 0.5 and none above.
    expect(byTier(lines)).toEqual({ 'tier 1': '10', 'tier 2': '5' });
    expect(total(lines)).toBe('12.5');
  });

  it('prices the whole quantity at the volume tier it reaches', () => {
    const prices = list([
      {
        metric: 'vcpu-hours',
        unit: 'h',
        pricing: {
          model: 'volume',
          tiers: [
            { upTo: '10', unitPrice: '1' },
            { upTo: null, unitPrice: '0.5' },
          ],
        },
      },
    ]);
    const { lines } = ratePeriod({
      period: november,
      usage: hourlyParts(12, '2026-11-02T00:00:00Z'),
      priceLists: [prices],
    });
    expect(byTier(lines)).toEqual({ 'volume tier 2': '12' });
    expect(total(lines)).toBe('6');
  });

  it('charges per started package and reports packages as the pricing quantity', () => {
    const prices = list([
      { metric: 'vcpu-hours', unit: 'h', pricing: { model: 'package', packageSize: '10', packagePrice: '3' } },
    ]);
    const { lines } = ratePeriod({
      period: november,
      usage: hourlyParts(3, '2026-11-02T00:00:00Z', { quantity: '4' }),
      priceLists: [prices],
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      quantity: '12',
      pricingQuantity: '2',
      unitPrice: '3',
      amount: '6',
      pricingUnit: 'package of 10 h',
    });
  });

  it('uses the free allowance first, then charges, and tops up to the minimum', () => {
    const prices = list([
      {
        metric: 'vcpu-hours',
        unit: 'h',
        freeAllowance: '5',
        minimumCharge: '10',
        pricing: { model: 'unit', unitPrice: '1' },
      },
    ]);
    const { lines } = ratePeriod({
      period: november,
      usage: hourlyParts(8, '2026-11-02T00:00:00Z'),
      priceLists: [prices],
    });
    expect(byTier(lines)).toEqual({ 'free allowance': '5', '': '3', 'minimum charge': '0' });
    expect(lines.find((line) => line.category === 'minimum')?.amount).toBe('7');
    expect(total(lines)).toBe('10');
  });

  it('forms NERC service units (the largest ratio, rounded up) and reads YAML prices', () => {
    const prices = loadPriceList(
      readFileSync(new URL('../__fixtures__/nerc-like-prices.yaml', import.meta.url), 'utf8'),
    );
    // 2 vCPU and 10 GB RAM for one hour: max(2/1, 10/4 = 2.5) rounded up = 3 SU·h.
    const usage = [
      usagePart({ metric: 'vcpu-hours', quantity: '2' }),
      usagePart({ metric: 'ram-gb-hours', quantity: '10' }),
    ];
    const { lines, unrated } = ratePeriod({ period: november, usage, priceLists: [prices] });
    expect(unrated).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ metric: 'cpu-su-hours', quantity: '3', unitPrice: '0.013', amount: '0.04' });
  });

  it('applies the stopped-instance policy of the version in force', () => {
    const prices = loadPriceList(
      readFileSync(new URL('../__fixtures__/nerc-like-prices.yaml', import.meta.url), 'utf8'),
    );
    const stopped = { attributes: { state: 'stopped' }, metric: 'vcpu-hours', quantity: '1' };
    const usage = [
      usagePart({ ...stopped, hour: '2026-11-05T00:00:00Z' }),
      usagePart({ ...stopped, hour: '2026-11-20T00:00:00Z' }),
    ];
    const { lines } = ratePeriod({ period: november, usage, priceLists: [prices] });
    expect(lines.map((line) => [line.priceListVersion, line.tier ?? '', line.amount])).toEqual([
      ['2026.1', 'stopped', '0'],
      ['2026.11b', '', '0.02'],
    ]);
  });

  it('credits usage inside an outage window of the affected service only', () => {
    const prices = list([{ metric: 'vcpu-hours', unit: 'h', pricing: { model: 'unit', unitPrice: '1' } }], {
      outages: [{ start: '2026-11-02T01:30:00Z', end: '2026-11-02T03:00:00Z', services: ['compute'] }],
    });
    const usage = [
      ...hourlyParts(4, '2026-11-02T00:00:00Z'),
      ...hourlyParts(4, '2026-11-02T00:00:00Z', { service: 'other' }),
    ];
    const { lines } = ratePeriod({ period: november, usage, priceLists: [prices] });
    const compute = lines.filter((line) => line.service === 'compute');
    expect(byTier(compute)).toEqual({ 'outage credit': '1.5', '': '2.5' });
    expect(total(lines.filter((line) => line.service === 'other'))).toBe('4');
  });

  it('prorates tiers and allowances when a price version changes mid-period, stamping each line', () => {
    const prices = parsePriceList({
      id: 'p',
      landlord: 'landlord-a',
      currency: 'USD',
      versions: [
        {
          version: 'old',
          effectiveFrom: '2026-01-01T00:00:00Z',
          rates: [{ metric: 'vcpu-hours', unit: 'h', freeAllowance: '30', pricing: { model: 'unit', unitPrice: '1' } }],
        },
        {
          version: 'new',
          effectiveFrom: '2026-11-16T00:00:00Z',
          rates: [{ metric: 'vcpu-hours', unit: 'h', freeAllowance: '30', pricing: { model: 'unit', unitPrice: '2' } }],
        },
      ],
    });
    // A 48-hour record straddling the change splits 24/24; each version gets half the allowance (15).
    const usage = [
      usagePart({
        startMs: Date.parse('2026-11-15T00:00:00Z'),
        endMs: Date.parse('2026-11-17T00:00:00Z'),
        quantity: '48',
      }),
    ];
    const { lines } = ratePeriod({ period: november, usage, priceLists: [prices], granularity: 'period' });
    expect(lines.map((line) => [line.priceListVersion, line.tier ?? '', line.quantity, line.amount])).toEqual([
      ['old', 'free allowance', '15', '0'],
      ['old', '', '9', '9'],
      ['new', 'free allowance', '15', '0'],
      ['new', '', '9', '18'],
    ]);
    expect(lines.find((line) => line.priceListVersion === 'new')?.window).toEqual({
      start: '2026-11-16T00:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
    });
  });

  it('bills allocations on the quota history, day by day', () => {
    const prices = list([
      {
        metric: 'storage-gb-hours',
        unit: 'GB·h',
        charging: 'allocation',
        quotaResource: 'storage-gb',
        pricing: { model: 'unit', unitPrice: '0.001' },
      },
    ]);
    const allocations = [
      {
        landlord: 'landlord-a',
        service: 'compute',
        organization: 'bu',
        project: 'genomics',
        resource: 'storage-gb',
        limit: '100',
        startMs: Date.parse('2026-10-31T12:00:00Z'),
        endMs: Date.parse('2026-11-02T12:00:00Z'),
      },
      {
        landlord: 'landlord-a',
        service: 'compute',
        organization: 'bu',
        project: 'genomics',
        resource: 'storage-gb',
        limit: '10',
        startMs: Date.parse('2026-11-02T12:00:00Z'),
        endMs: Date.parse('2026-11-03T00:00:00Z'),
      },
    ];
    const { lines } = ratePeriod({ period: november, usage: [], allocations, priceLists: [prices] });
    expect(lines.map((line) => [line.window.start.slice(0, 10), line.category, line.quantity, line.amount])).toEqual([
      ['2026-11-01', 'allocation', '2400', '2.4'],
      // Two limits on one day add up into one line: 100 GB × 12 h + 10 GB × 12 h.
      ['2026-11-02', 'allocation', '1320', '1.32'],
    ]);
  });

  it('reports usage it cannot price instead of dropping it', () => {
    const prices = list([{ metric: 'vcpu-hours', unit: 'h', pricing: { model: 'unit', unitPrice: '1' } }]);
    const usage = [usagePart({ metric: 'gpu-hours' }), usagePart({ landlord: 'nobody' })];
    const { lines, unrated } = ratePeriod({ period: november, usage, priceLists: [prices] });
    expect(lines).toEqual([]);
    expect(unrated.map((item) => item.reason)).toEqual(['no-rate', 'no-price-list']);
  });

  it('splits a record crossing midnight into daily lines that sum exactly', () => {
    const prices = list([{ metric: 'vcpu-hours', unit: 'h', pricing: { model: 'unit', unitPrice: '1' } }]);
    const usage = [
      usagePart({
        startMs: Date.parse('2026-11-02T23:00:00Z'),
        endMs: Date.parse('2026-11-03T02:00:00Z'),
        quantity: '1',
      }),
    ];
    const { lines } = ratePeriod({
      period: november,
      usage,
      priceLists: [prices],
      rounding: { level: 'invoice', scale: 2, mode: 'half-even' },
    });
    expect(lines.map((line) => line.quantity)).toEqual(['0.333333333', '0.666666667']);
    expect(total(lines)).toBe('1');
  });

  it('is deterministic: rating twice gives the same lines', () => {
    const prices = list([
      {
        metric: 'vcpu-hours',
        unit: 'h',
        pricing: {
          model: 'graduated',
          tiers: [
            { upTo: '5', unitPrice: '1' },
            { upTo: null, unitPrice: '0.5' },
          ],
        },
      },
    ]);
    const usage = hourlyParts(10, '2026-11-02T00:00:00Z');
    expect(ratePeriod({ period: november, usage: [...usage].reverse(), priceLists: [prices] })).toEqual(
      ratePeriod({ period: november, usage, priceLists: [prices] }),
    );
  });
});

describe('correctionLines', () => {
  it('bills only the difference late usage makes, in the target period', () => {
    const prices = list([
      {
        metric: 'vcpu-hours',
        unit: 'h',
        pricing: {
          model: 'graduated',
          tiers: [
            { upTo: '5', unitPrice: '1' },
            { upTo: null, unitPrice: '0.5' },
          ],
        },
      },
    ]);
    const early = hourlyParts(4, '2026-11-02T00:00:00Z');
    const late = hourlyParts(3, '2026-11-02T04:00:00Z');
    const before = ratePeriod({ period: november, usage: early, priceLists: [prices] }).lines;
    const after = ratePeriod({ period: november, usage: [...early, ...late], priceLists: [prices] }).lines;
    const corrections = correctionLines(before, after, '2026-12', '2026-11');
    expect(corrections.every((line) => line.period === '2026-12' && line.correctionOf === '2026-11')).toBe(true);
    expect(total(corrections)).toBe(Decimal.from(total(after)).subtract(total(before)).toString());
    expect(total(corrections)).toBe('2');
  });
});
