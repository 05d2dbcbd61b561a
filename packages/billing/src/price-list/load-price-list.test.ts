import { readFileSync } from 'node:fs';
import { OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { loadPriceList, parsePriceList } from './load-price-list.js';

const fixture = readFileSync(new URL('../__fixtures__/nerc-like-prices.yaml', import.meta.url), 'utf8');

function issuesOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (OcxError.is(error) && error.code === 'validation') return error.issues.map((issue) => issue.path);
    throw error;
  }
  throw new Error('expected a validation error');
}

const minimal = {
  id: 'p',
  landlord: 'a',
  currency: 'USD',
  versions: [
    {
      version: '1',
      effectiveFrom: '2026-01-01T00:00:00Z',
      rates: [{ metric: 'vcpu-hours', unit: 'h', pricing: { model: 'unit', unitPrice: '0.01' } }],
    },
  ],
};

describe('loadPriceList', () => {
  it('reads YAML and keeps unquoted numbers as their exact digits', () => {
    const list = loadPriceList(fixture);
    expect(list.versions).toHaveLength(2);
    const rate = list.versions[0]!.rates[0]!;
    expect(rate.pricing).toEqual({ model: 'unit', unitPrice: '0.013' });
    expect(list.versions[0]!.serviceUnits[0]!.components[1]).toEqual({ metric: 'ram-gb-hours', perUnit: '4' });
    expect(list.versions[0]!.policies.chargeStopped).toBe(false);
    expect(list.outages[0]!.services).toEqual(['compute']);
  });

  it('reads JSON, with numbers kept exact as well', () => {
    const json = JSON.stringify(minimal).replace('"0.01"', '0.1000000000000000055511151231257827');
    const list = loadPriceList(json);
    expect(list.versions[0]!.rates[0]!.pricing).toEqual({
      model: 'unit',
      unitPrice: '0.1000000000000000055511151231257827',
    });
  });

  it('names the line of a syntax error', () => {
    expect(() => loadPriceList('id: [unclosed')).toThrow(/line/);
  });

  it('rejects a float-looking exponent with the path of the field', () => {
    const yaml = fixture.replace('unitPrice: 0.013', 'unitPrice: 1.3e-2');
    expect(issuesOf(() => loadPriceList(yaml))).toEqual(['versions.0.rates.0.pricing.unitPrice']);
  });
});

describe('parsePriceList', () => {
  it('accepts a minimal list and fills the defaults', () => {
    const list = parsePriceList(minimal);
    expect(list.versions[0]!.rates[0]!.charging).toBe('usage');
    expect(list.versions[0]!.rates[0]!.aggregation).toBe('project');
    expect(list.outages).toEqual([]);
  });

  it.each([
    ['a negative price', { pricing: { model: 'unit', unitPrice: '-1' } }, 'versions.0.rates.0.pricing.unitPrice'],
    ['a binary float', { pricing: { model: 'unit', unitPrice: 0.1 } }, 'versions.0.rates.0.pricing.unitPrice'],
    ['an unknown pricing model', { pricing: { model: 'magic' } }, 'versions.0.rates.0.pricing.model'],
    [
      'tiers out of order',
      {
        pricing: {
          model: 'graduated',
          tiers: [
            { upTo: '10', unitPrice: '1' },
            { upTo: '5', unitPrice: '1' },
            { upTo: null, unitPrice: '1' },
          ],
        },
      },
      'versions.0.rates.0.pricing.tiers.1.upTo',
    ],
    [
      'a bounded last tier',
      { pricing: { model: 'volume', tiers: [{ upTo: '10', unitPrice: '1' }] } },
      'versions.0.rates.0.pricing.tiers.0.upTo',
    ],
    ['allocation without a quota resource', { charging: 'allocation' }, 'versions.0.rates.0.quotaResource'],
    [
      'a minimum on an organization',
      { aggregation: 'organization', minimumCharge: '5' },
      'versions.0.rates.0.minimumCharge',
    ],
    ['an unknown field', { colour: 'red' }, 'versions.0.rates.0'],
  ])('rejects %s naming the field', (_name, change, path) => {
    const rate = { ...minimal.versions[0]!.rates[0]!, ...change };
    const input = { ...minimal, versions: [{ ...minimal.versions[0]!, rates: [rate] }] };
    expect(issuesOf(() => parsePriceList(input))).toEqual([path]);
  });

  it('rejects versions out of time order, duplicate versions and overlaps', () => {
    const version = minimal.versions[0]!;
    expect(
      issuesOf(() =>
        parsePriceList({
          ...minimal,
          versions: [version, { ...version, version: '2', effectiveFrom: '2025-01-01T00:00:00Z' }],
        }),
      ),
    ).toEqual(['versions.1.effectiveFrom']);
    expect(
      issuesOf(() =>
        parsePriceList({ ...minimal, versions: [version, { ...version, effectiveFrom: '2027-01-01T00:00:00Z' }] }),
      ),
    ).toEqual(['versions.1.version']);
    expect(
      issuesOf(() =>
        parsePriceList({
          ...minimal,
          versions: [
            { ...version, effectiveTo: '2027-06-01T00:00:00Z' },
            { ...version, version: '2', effectiveFrom: '2027-01-01T00:00:00Z' },
          ],
        }),
      ),
    ).toEqual(['versions.0.effectiveTo']);
  });

  it('rejects duplicate rates and service units', () => {
    const version = minimal.versions[0]!;
    expect(
      issuesOf(() =>
        parsePriceList({ ...minimal, versions: [{ ...version, rates: [version.rates[0], version.rates[0]] }] }),
      ),
    ).toEqual(['versions.0.rates.1.metric']);
  });

  it('rejects an outage that ends before it starts', () => {
    expect(
      issuesOf(() =>
        parsePriceList({ ...minimal, outages: [{ start: '2026-02-02T00:00:00Z', end: '2026-02-01T00:00:00Z' }] }),
      ),
    ).toEqual(['outages.0.end']);
  });
});
