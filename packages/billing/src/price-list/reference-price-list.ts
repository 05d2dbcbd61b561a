import { Decimal } from '@ocx/core';
import { parsePriceList } from './load-price-list.js';
import type { BillingPriceList } from './price-list-schema.js';

/**
 * A sample price list for the reference landlord's metrics (`node-hours`, `vcpu-hours`,
 * `ram-gb-hours`, `storage-gb-hours`, `floating-ip-hours`), for demos and tests: bare metal with
 * graduated tiers, compute per unit, storage with a volume discount, floating IPs with a free
 * allowance, and a minimum charge on bare metal. `priceFactor` (a decimal string) scales every
 * price, so several demo landlords can differ.
 *
 * @example
 * ```ts
 * const billing = createBilling({ store, priceLists: [referencePriceList({ landlord: 'landlord-a' })] });
 * ```
 */
export function referencePriceList(options: {
  landlord: string;
  id?: string;
  currency?: string;
  priceFactor?: string;
  effectiveFrom?: string;
}): BillingPriceList {
  const factor = options.priceFactor ?? '1';
  const price = (base: string) => Decimal.from(base).multiply(factor).toString();
  return parsePriceList({
    id: options.id ?? `${options.landlord}-prices`,
    landlord: options.landlord,
    currency: options.currency ?? 'USD',
    name: `Reference prices of ${options.landlord}`,
    versions: [
      {
        version: '1',
        effectiveFrom: options.effectiveFrom ?? '2020-01-01T00:00:00Z',
        policies: { chargeStopped: false },
        rates: [
          {
            metric: 'node-hours',
            unit: 'node·h',
            description: 'Bare-metal node',
            minimumCharge: price('5'),
            pricing: {
              model: 'graduated',
              tiers: [
                { upTo: '100', unitPrice: price('1.20') },
                { upTo: '1000', unitPrice: price('1.00') },
                { upTo: null, unitPrice: price('0.80') },
              ],
            },
          },
          {
            metric: 'vcpu-hours',
            unit: 'vCPU·h',
            description: 'Virtual CPU',
            pricing: { model: 'unit', unitPrice: price('0.012') },
          },
          {
            metric: 'ram-gb-hours',
            unit: 'GB·h',
            description: 'Memory',
            pricing: { model: 'unit', unitPrice: price('0.003') },
          },
          {
            metric: 'storage-gb-hours',
            unit: 'GB·h',
            description: 'Storage',
            pricing: {
              model: 'volume',
              tiers: [
                { upTo: '100000', unitPrice: price('0.00012') },
                { upTo: null, unitPrice: price('0.0001') },
              ],
            },
          },
          {
            metric: 'floating-ip-hours',
            unit: 'IP·h',
            description: 'Floating IP',
            freeAllowance: '168',
            pricing: { model: 'unit', unitPrice: price('0.005') },
          },
        ],
      },
    ],
  });
}
