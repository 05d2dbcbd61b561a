import { type CatalogEntry, Decimal } from '@ocx/core';

/** One unit price: what one unit of `metric` of a landlord's service costs, in `currency`. */
export interface UnitPrice {
  landlord: string;
  service: string;
  metric: string;
  unitPrice: string;
  currency: string;
}

/**
 * Unit prices by landlord, service and metric, in one currency. Built from the catalog's price
 * lists (what landlords publish) with the policy's own prices on top, so an operator can
 * estimate with negotiated rates.
 */
export class PriceTable {
  readonly #prices = new Map<string, Decimal>();

  private constructor(readonly currency: string) {}

  /**
   * @example
   * ```ts
   * const prices = PriceTable.from(exchange.catalog.find(), [], 'USD');
   * prices.unitPrice('nerc', 'cloud', 'vcpu-hours'); // Decimal 0.013
   * ```
   */
  static from(catalog: readonly CatalogEntry[], overrides: readonly UnitPrice[], currency: string): PriceTable {
    const table = new PriceTable(currency);
    for (const entry of catalog) {
      if (entry.priceList === undefined || entry.priceList.currency !== currency) continue;
      for (const rate of entry.priceList.rates)
        table.#set(entry.landlord.id, entry.service.id, rate.metric, rate.unitPrice);
    }
    for (const price of overrides) {
      if (price.currency === currency) table.#set(price.landlord, price.service, price.metric, price.unitPrice);
    }
    return table;
  }

  /** The unit price, or undefined when the service publishes none in this currency. */
  unitPrice(landlord: string, service: string, metric: string): Decimal | undefined {
    return this.#prices.get(key(landlord, service, metric));
  }

  #set(landlord: string, service: string, metric: string, unitPrice: string): void {
    this.#prices.set(key(landlord, service, metric), Decimal.from(unitPrice));
  }
}

function key(landlord: string, service: string, metric: string): string {
  return `${landlord}\u0000${service}\u0000${metric}`;
}
