import { Decimal } from '@ocx/core';
import type { RatedLine } from '../rating/rated-line.js';

/** What lines can be rolled up by. `payee` is the landlord a line settles to, or `exchange`. */
export type RollupDimension =
  | 'organization'
  | 'project'
  | 'user'
  | 'resource'
  | 'landlord'
  | 'service'
  | 'metric'
  | 'category'
  | 'day'
  | 'currency'
  | 'payee';

/** One group of a rollup: the exact sum of its lines' amounts, per currency. */
export interface RollupRow {
  key: string;
  currency: string;
  amount: string;
  lines: number;
}

/** The key of a line in a dimension; lines without one (a credit has no resource) get `(none)`. */
export function dimensionOf(line: RatedLine, dimension: RollupDimension): string {
  switch (dimension) {
    case 'resource':
      return line.resource?.id ?? '(none)';
    case 'day':
      return line.window.start.slice(0, 10);
    case 'payee':
      return line.fundedBy === 'exchange' ? 'exchange' : (line.landlord ?? 'exchange');
    case 'organization':
    case 'project':
    case 'currency':
    case 'category':
      return line[dimension];
    default:
      return line[dimension] ?? '(none)';
  }
}

/**
 * Chargeback and showback views: sum lines by user, project, organization, resource, landlord,
 * service, metric, category, day or payee, exactly, sorted by key and currency.
 *
 * @example
 * ```ts
 * rollup(invoice.lines, 'landlord'); // [{ key: 'landlord-a', currency: 'USD', amount: '120.5', lines: 31 }, …]
 * ```
 */
export function rollup(lines: Iterable<RatedLine>, dimension: RollupDimension): RollupRow[] {
  const sums = new Map<string, { key: string; currency: string; amount: Decimal; lines: number }>();
  for (const line of lines) {
    const key = dimensionOf(line, dimension);
    const id = `${key}\u0000${line.currency}`;
    const row = sums.get(id) ?? { key, currency: line.currency, amount: Decimal.ZERO, lines: 0 };
    row.amount = row.amount.add(line.amount);
    row.lines += 1;
    sums.set(id, row);
  }
  return [...sums.values()]
    .sort((a, b) => (a.key === b.key ? (a.currency < b.currency ? -1 : 1) : a.key < b.key ? -1 : 1))
    .map((row) => ({ key: row.key, currency: row.currency, amount: row.amount.toString(), lines: row.lines }));
}
