import type { BillingPriceListInput } from '../price-list/price-list-schema.js';

/** A simple list for landlord-a: vCPU-hours per unit, storage on quota, floating IPs with an allowance. */
export function simplePriceList(
  overrides: Partial<BillingPriceListInput> = {},
  unitPrice = '0.1',
): BillingPriceListInput {
  return {
    id: 'prices-a',
    landlord: 'landlord-a',
    currency: 'USD',
    versions: [
      {
        version: 'v1',
        effectiveFrom: '2026-01-01T00:00:00Z',
        rates: [
          { metric: 'vcpu-hours', unit: 'vCPU·h', pricing: { model: 'unit', unitPrice } },
          {
            metric: 'storage-gb-hours',
            unit: 'GB·h',
            charging: 'allocation',
            quotaResource: 'storage-gb',
            pricing: { model: 'unit', unitPrice: '0.001' },
          },
        ],
      },
    ],
    ...overrides,
  };
}
