import { PriceListSchema } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { catalogPriceList } from './catalog-price-list.js';
import { parsePriceList } from './load-price-list.js';
import { referencePriceList } from './reference-price-list.js';

describe('catalogPriceList', () => {
  it('summarises the version in force: unit prices, first tiers, package price per unit', () => {
    const list = parsePriceList({
      id: 'p',
      landlord: 'l',
      currency: 'USD',
      versions: [
        {
          version: '1',
          effectiveFrom: '2026-01-01T00:00:00Z',
          rates: [{ metric: 'm', unit: 'h', pricing: { model: 'unit', unitPrice: '1' } }],
        },
        {
          version: '2',
          effectiveFrom: '2026-06-01T00:00:00Z',
          rates: [
            {
              metric: 'm',
              unit: 'h',
              pricing: {
                model: 'graduated',
                tiers: [
                  { upTo: '10', unitPrice: '2' },
                  { upTo: null, unitPrice: '1' },
                ],
              },
            },
            { metric: 'p', unit: 'GB', pricing: { model: 'package', packageSize: '3', packagePrice: '1' } },
          ],
        },
      ],
    });
    expect(catalogPriceList(list, '2026-03-01T00:00:00Z').rates).toEqual([{ metric: 'm', unit: 'h', unitPrice: '1' }]);
    const current = catalogPriceList(list, '2026-07-01T00:00:00Z');
    expect(current.version).toBe('2');
    expect(current.rates.map((rate) => rate.unitPrice)).toEqual(['2', '0.333333333']);
    expect(PriceListSchema.safeParse(catalogPriceList(referencePriceList({ landlord: 'bu' }))).success).toBe(true);
  });
});
