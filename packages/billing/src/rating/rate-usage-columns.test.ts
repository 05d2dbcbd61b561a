import { Decimal, OcxError } from '@ocx/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingPeriod } from '../period/billing-period.js';
import { parsePriceList } from '../price-list/load-price-list.js';
import { ratePeriod } from './rate-period.js';
import { rateUsageColumns } from './rate-usage-columns.js';
import type { RatedLine } from './rated-line.js';
import type { UsagePart } from './usage-part.js';

const period = billingPeriod('2026-11');
const HOUR = 3_600_000;
const exact = { level: 'invoice' as const, scale: 2, mode: 'half-even' as const };
const dictionaries = {
  landlords: ['a', 'b'],
  projects: [
    { id: 'p1', organization: 'o1' },
    { id: 'p2', organization: 'o2' },
  ],
  metrics: ['m1', 'm2', 'm3'],
};

const tiered = (prices: [string, string, string]) => ({
  model: 'graduated',
  tiers: [
    { upTo: '1000', unitPrice: prices[0] },
    { upTo: '50000', unitPrice: prices[1] },
    { upTo: null, unitPrice: prices[2] },
  ],
});
const lists = [
  parsePriceList({
    id: 'a-prices',
    landlord: 'a',
    currency: 'USD',
    versions: [
      {
        version: '1',
        effectiveFrom: '2026-01-01T00:00:00Z',
        rates: [
          { metric: 'm1', unit: 'u', pricing: tiered(['0.013', '0.011', '0.009']) },
          {
            metric: 'm2',
            unit: 'u',
            freeAllowance: '500',
            minimumCharge: '3',
            pricing: { model: 'volume', tiers: tiered(['0.5', '0.4', '0.3']).tiers },
          },
        ],
      },
      {
        version: '2',
        effectiveFrom: '2026-11-16T00:00:00Z',
        rates: [
          { metric: 'm1', unit: 'u', pricing: tiered(['0.017', '0.015', '0.0133']) },
          { metric: 'm2', unit: 'u', pricing: { model: 'package', packageSize: '250', packagePrice: '7' } },
        ],
      },
    ],
  }),
  parsePriceList({
    id: 'b-prices',
    landlord: 'b',
    currency: 'EUR',
    versions: [
      {
        version: '1',
        effectiveFrom: '2026-01-01T00:00:00Z',
        rates: [{ metric: 'm1', unit: 'u', pricing: { model: 'unit', unitPrice: '0.000123' } }],
      },
    ],
  }),
];

function groupSums(lines: readonly RatedLine[]): Record<string, string> {
  const sums = new Map<string, Decimal>();
  for (const line of lines) {
    const key = [line.landlord, line.project, line.metric, line.priceListVersion, line.category].join('/');
    sums.set(key, (sums.get(key) ?? Decimal.ZERO).add(line.amount));
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, sum]) => [key, sum.toString()]));
}

describe('rateUsageColumns', () => {
  it('gives exactly the amounts ratePeriod gives for the same records', () => {
    const record = fc.record({
      landlord: fc.integer({ min: 0, max: 1 }),
      project: fc.integer({ min: 0, max: 1 }),
      metric: fc.integer({ min: 0, max: 2 }),
      hour: fc.integer({ min: 0, max: 719 }),
      micros: fc.integer({ min: 0, max: 5_000_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 80 }), (records) => {
        const columns = {
          length: records.length,
          landlord: Uint8Array.from(records.map((item) => item.landlord)),
          project: Uint16Array.from(records.map((item) => item.project)),
          metric: Uint8Array.from(records.map((item) => item.metric)),
          startMs: Float64Array.from(records.map((item) => Date.parse(period.start) + item.hour * HOUR)),
          quantity: Float64Array.from(records.map((item) => item.micros)),
        };
        const fast = rateUsageColumns(columns, dictionaries, { period, priceLists: lists, rounding: exact });
        const parts: UsagePart[] = records.map((item, index) => ({
          key: `r${index}`,
          landlord: dictionaries.landlords[item.landlord]!,
          service: 'svc',
          organization: dictionaries.projects[item.project]!.organization,
          project: dictionaries.projects[item.project]!.id,
          resourceId: `res-${index % 5}`,
          resourceType: 'server',
          metric: dictionaries.metrics[item.metric]!,
          unit: 'u',
          quantity: Decimal.from(BigInt(item.micros)).divide('1000000', 6).toString(),
          startMs: Date.parse(period.start) + item.hour * HOUR,
          endMs: Date.parse(period.start) + (item.hour + 1) * HOUR,
        }));
        const general = ratePeriod({ period, usage: parts, priceLists: lists, rounding: exact, granularity: 'period' });
        expect(groupSums(fast.lines)).toEqual(groupSums(general.lines));
        expect(fast.unrated).toBe(new Set(general.unrated.map((item) => item.key)).size);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps sums exact past 2^53 micro-units by moving them into bigints', () => {
    const count = 4000;
    const micros = 2 ** 51 + 1; // each record 2.25e9 units: the sum passes 2^53 many times
    const columns = {
      length: count,
      landlord: new Uint8Array(count).fill(1),
      project: new Uint16Array(count),
      metric: new Uint8Array(count),
      startMs: new Float64Array(count).fill(Date.parse('2026-11-05T00:00:00Z')),
      quantity: new Float64Array(count).fill(micros),
    };
    const result = rateUsageColumns(columns, dictionaries, { period, priceLists: lists, rounding: exact });
    const expectedQuantity = Decimal.from(BigInt(micros) * BigInt(count)).divide('1000000', 6);
    expect(result.lines[0]?.quantity).toBe(expectedQuantity.toString());
    expect(result.totals).toEqual([{ currency: 'EUR', amount: expectedQuantity.multiply('0.000123').toString() }]);
  });

  it('refuses a quantity that is not a whole number of micro-units below 2^52, naming its index', () => {
    const columns = {
      length: 2,
      landlord: new Uint8Array(2),
      project: new Uint16Array(2),
      metric: new Uint8Array(2),
      startMs: new Float64Array(2).fill(Date.parse('2026-11-05T00:00:00Z')),
      quantity: Float64Array.from([1, 0.5]),
    };
    try {
      rateUsageColumns(columns, dictionaries, { period, priceLists: lists });
      expect.unreachable();
    } catch (error) {
      expect(OcxError.is(error) && error.issues[0]?.path).toBe('quantity.1');
    }
  });

  it('refuses price lists it cannot rate in bulk instead of rating them wrongly', () => {
    const withOutage = parsePriceList({
      ...lists[1]!,
      outages: [{ start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z' }],
    });
    const columns = { length: 0, landlord: [], project: [], metric: [], startMs: [], quantity: [] };
    expect(() => rateUsageColumns(columns, dictionaries, { period, priceLists: [lists[0]!, withOutage] })).toThrow(
      /outage windows/,
    );
  });
});
