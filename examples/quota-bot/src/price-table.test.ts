import { type CatalogEntry, ManualClock } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { PriceTable } from './price-table.js';
import { createSampleExchange } from './sample-exchange.js';

describe('PriceTable', () => {
  it('reads the catalog price lists, lets the policy override a rate, and keeps one currency', async () => {
    const { exchange } = await createSampleExchange({ clock: new ManualClock() });
    const euro: CatalogEntry = {
      landlord: { id: 'eu', name: 'EU Cloud', organization: 'EU' },
      service: { id: 'cloud', kind: 'compute' },
      capabilities: [],
      priceList: {
        id: 'eu',
        version: '1',
        currency: 'EUR',
        effectiveFrom: '2026-01-01T00:00:00Z',
        rates: [{ metric: 'vcpu-hours', unit: 'vCPU·h', unitPrice: '0.01' }],
      },
    };
    const table = PriceTable.from(
      [...exchange.catalog.find(), euro],
      [{ landlord: 'hw', service: 'metal', metric: 'node-hours', unitPrice: '0.70', currency: 'USD' }],
      'USD',
    );
    expect(table.unitPrice('nerc', 'cloud', 'vcpu-hours')?.toString()).toBe('0.013');
    expect(table.unitPrice('hw', 'metal', 'node-hours')?.toString()).toBe('0.7');
    expect(table.unitPrice('eu', 'cloud', 'vcpu-hours')).toBeUndefined();
    expect(table.unitPrice('nerc', 'cloud', 'gpu-hours')).toBeUndefined();
  });
});
