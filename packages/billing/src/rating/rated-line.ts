/**
 * What a rated line is for:
 * - `usage`, `allocation`: priced usage records or quota history;
 * - `minimum`: the top-up to a rate's minimum charge;
 * - `credit`, `discount`: adjustments (negative);
 * - `rounding`: the difference invoice-level rounding makes, so totals equal the sum of lines.
 */
export type LineCategory = 'usage' | 'allocation' | 'minimum' | 'credit' | 'discount' | 'rounding';

/** Who bears a line in settlement: the landlord whose service it prices, or the exchange (its own credits). */
export type FundedBy = 'landlord' | 'exchange';

/**
 * One line of a bill: a quantity of one metric of one resource, at one unit price, in one window
 * of one period, stamped with the price-list version that priced it. Amounts are exact decimal
 * strings; `amount` is what is billed (rounded when rounding is per line).
 */
export interface RatedLine {
  /** Stable across re-rating: derived from the period and the aggregation key. */
  lineId: string;
  /** The billing period (`YYYY-MM`) the line is billed in. */
  period: string;
  category: LineCategory;
  /** Set on corrections: the finalized period whose usage the line corrects. */
  correctionOf?: string;
  /** The charge window, half-open, UTC. */
  window: { start: string; end: string };
  currency: string;
  landlord?: string;
  service?: string;
  organization: string;
  project: string;
  user?: string;
  resource?: { id: string; type: string; name?: string };
  metric?: string;
  unit?: string;
  /** Units consumed (before free allowances, outage credits and policies). */
  quantity: string;
  /** Units priced: equals `quantity` except for packages (packages started). */
  pricingQuantity: string;
  pricingUnit: string;
  unitPrice: string;
  amount: string;
  /** Which part of the price applied: `free allowance`, `tier 2`, `outage credit`, `stopped`, … */
  tier?: string;
  priceListId?: string;
  priceListVersion?: string;
  fundedBy: FundedBy;
  /** The identity of the line: what was added up into it. */
  aggregationKey: string;
  /** How many usage pieces (records, record parts, quota intervals) were added up. */
  sources: number;
  description?: string;
}
