import { type BillingPriceList, parsePriceList } from '@ocx/billing';

/** One unit price per metric, from 2026 on: what a landlord of the demo charges. */
function unitPrices(
  landlord: string,
  rates: Array<[metric: string, unit: string, unitPrice: string, description: string]>,
): BillingPriceList {
  return parsePriceList({
    id: `${landlord}-prices`,
    landlord,
    currency: 'USD',
    versions: [
      {
        version: '2026.1',
        effectiveFrom: '2026-01-01T00:00:00Z',
        rates: rates.map(([metric, unit, unitPrice, description]) => ({
          metric,
          unit,
          description,
          pricing: { model: 'unit', unitPrice },
        })),
      },
    ],
  });
}

/** The demo landlords' price lists, as `@ocx/billing` rates them (the catalog shows their summary). */
export const DEMO_PRICE_LISTS: Readonly<Record<'nerc' | 'cephco' | 'bu', BillingPriceList>> = {
  nerc: unitPrices('nerc', [
    ['vcpu-hours', 'vCPU·h', '0.0125', 'Virtual CPU'],
    ['ram-gb-hours', 'GB·h', '0.0025', 'Memory'],
  ]),
  cephco: unitPrices('cephco', [['storage-gb-hours', 'GB·h', '0.0001', 'Object storage']]),
  bu: unitPrices('bu', [['node-hours', 'node·h', '0.85', 'Bare-metal node']]),
};
