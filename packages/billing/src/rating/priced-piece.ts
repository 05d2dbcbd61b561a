import type { Decimal } from '@ocx/core';
import type { Rate } from '../price-list/price-list-schema.js';
import type { EffectiveVersion } from '../price-list/resolve-versions.js';

/**
 * A piece of usage ready to be priced: inside one period, one price-list version and (with
 * daily lines) one day, with its rate found, service units formed and outages subtracted.
 */
export interface PricedPiece {
  key: string;
  category: 'usage' | 'allocation';
  currency: string;
  priceListId: string;
  effective: EffectiveVersion;
  rate: Rate;
  landlord: string;
  service: string;
  organization: string;
  project: string;
  user?: string;
  resource: { id: string; type: string; name?: string };
  metric: string;
  unit: string;
  startMs: number;
  endMs: number;
  /** Billable units: consumed minus outage credit (zero when not charged by policy). */
  quantity: Decimal;
  /** Units inside credited outage windows. */
  outageQuantity: Decimal;
  /** Units not charged because the resource was stopped and the policy says so. */
  stoppedQuantity: Decimal;
}
