import { Decimal, type PriceList } from '@ocx/core';
import type { BillingPriceList } from './price-list-schema.js';

/**
 * The catalog's one-rate-per-metric summary of a billing price list, for
 * `exchange.landlords.register({ services: [{ priceList }] })`: the version in force at `at`, each
 * rate's list price (a tiered rate shows its first tier, a package rate its price per unit).
 * The full list (tiers, allowances, minimums) stays with billing.
 *
 * @example
 * ```ts
 * const prices = referencePriceList({ landlord: 'bu' });
 * await exchange.landlords.register({ ..., services: [{ id: 'metal', kind: 'bare-metal', priceList: catalogPriceList(prices), driver }] });
 * ```
 */
export function catalogPriceList(list: BillingPriceList, at: string | Date = new Date()): PriceList {
  const time = new Date(at).getTime();
  const versions = [...list.versions].sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom));
  const current = versions.filter((version) => Date.parse(version.effectiveFrom) <= time).at(-1) ?? versions[0];
  if (current === undefined) throw new Error(`Price list ${list.id} has no versions`);
  return {
    id: list.id,
    version: current.version,
    currency: list.currency,
    effectiveFrom: current.effectiveFrom,
    rates: current.rates.map((rate) => {
      const pricing = rate.pricing;
      const unitPrice =
        pricing.model === 'unit'
          ? pricing.unitPrice
          : pricing.model === 'package'
            ? Decimal.from(pricing.packagePrice).divide(pricing.packageSize, 9).toString()
            : (pricing.tiers[0]?.unitPrice ?? '0');
      return {
        metric: rate.metric,
        unit: rate.unit,
        unitPrice,
        ...(rate.description === undefined ? {} : { description: rate.description }),
      };
    }),
  };
}
