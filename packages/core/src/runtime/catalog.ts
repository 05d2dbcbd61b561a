import { z } from 'zod';
import { parseWith } from '../errors/validation.js';
import { Decimal } from '../money/decimal.js';
import { CAPABILITY_NAMES, type CapabilityName } from '../spec/capabilities.js';
import type { LandlordDescription, PriceList, ServiceDescription } from '../spec/landlord.js';
import { DecimalStringSchema, IdSchema } from '../spec/primitives.js';
import type { LandlordRegistry } from './registry.js';

/** Filters of {@link Catalog.find}; all optional, combined with AND. */
export const CatalogQuerySchema = z
  .object({
    kind: z.string().min(1).optional(),
    landlord: IdSchema.optional(),
    capability: z.enum(CAPABILITY_NAMES).optional(),
    /** Only services with a price for this metric. */
    metric: z.string().min(1).optional(),
    /** Only services whose price for `metric` is at most this (requires `metric`). */
    maxUnitPrice: DecimalStringSchema.optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
  })
  .strict()
  .refine((query) => query.maxUnitPrice === undefined || query.metric !== undefined, {
    message: 'maxUnitPrice needs metric',
    path: ['maxUnitPrice'],
  });
export type CatalogQuery = z.input<typeof CatalogQuerySchema>;

/** One offering in the catalog: which service, from whom, doing what, at what price. */
export interface CatalogEntry {
  landlord: LandlordDescription;
  service: ServiceDescription;
  capabilities: CapabilityName[];
  priceList?: PriceList;
}

/**
 * The catalog answers "which services of which kind, from whom, at what price". It reads the
 * registry live, so it is always current.
 */
export class Catalog {
  readonly #registry: LandlordRegistry;

  constructor(registry: LandlordRegistry) {
    this.#registry = registry;
  }

  /**
   * @example
   * ```ts
   * const storage = exchange.catalog.find({ kind: 'object-storage', metric: 'gb-hours', maxUnitPrice: '0.0001' });
   * ```
   */
  find(query: CatalogQuery = {}): CatalogEntry[] {
    const filter = parseWith(CatalogQuerySchema, query, { what: 'catalog query' });
    return this.#registry
      .services()
      .filter((handle) => filter.kind === undefined || handle.service.kind === filter.kind)
      .filter((handle) => filter.landlord === undefined || handle.landlord.id === filter.landlord)
      .filter((handle) => filter.capability === undefined || handle.capabilities.includes(filter.capability))
      .filter((handle) => filter.currency === undefined || handle.service.priceList?.currency === filter.currency)
      .filter((handle) => {
        if (filter.metric === undefined) return true;
        const rate = handle.service.priceList?.rates.find((candidate) => candidate.metric === filter.metric);
        if (rate === undefined) return false;
        return filter.maxUnitPrice === undefined || Decimal.from(rate.unitPrice).compare(filter.maxUnitPrice) <= 0;
      })
      .map((handle) => ({
        landlord: handle.landlord,
        service: handle.service,
        capabilities: handle.capabilities,
        ...(handle.service.priceList === undefined ? {} : { priceList: handle.service.priceList }),
      }));
  }

  /** The distinct service kinds on offer. */
  kinds(): string[] {
    return [...new Set(this.#registry.services().map((handle) => handle.service.kind))].sort();
  }
}
