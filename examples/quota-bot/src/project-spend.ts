import { Decimal, type Exchange } from '@ocx/core';
import type { PriceTable } from './price-table.js';

/** What a project spent in a period, and which of its usage could not be priced. */
export interface ProjectSpend {
  spent: Decimal;
  /** `landlord/service/metric` of usage with no unit price, sorted. */
  unpriced: string[];
}

/**
 * Sum quantity × unit price over a project's usage records that start inside `period`, exactly.
 * Counting by start keeps a record that straddles two months in one of them, never both. This is
 * an estimate for warnings (one current price per metric, no tiers); the bill from `@ocx/billing`
 * is what the project pays.
 */
export async function projectSpend(
  exchange: Exchange,
  project: string,
  period: { start: string; end: string },
  prices: PriceTable,
): Promise<ProjectSpend> {
  const start = Date.parse(period.start);
  const end = Date.parse(period.end);
  let spent = Decimal.ZERO;
  const unpriced = new Set<string>();
  for await (const record of exchange.usage.query({ project, window: period })) {
    const recordStart = Date.parse(record.window.start);
    if (recordStart < start || recordStart >= end) continue;
    const price = prices.unitPrice(record.landlord, record.service, record.metric);
    if (price === undefined) {
      unpriced.add(`${record.landlord}/${record.service}/${record.metric}`);
      continue;
    }
    spent = spent.add(price.multiply(record.quantity));
  }
  return { spent, unpriced: [...unpriced].sort() };
}
