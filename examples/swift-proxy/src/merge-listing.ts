import { compareUtf8 } from './byte-order.js';
import type { ListingQuery } from './listing-query.js';

/**
 * Merge the pages several backends returned for the same listing request into one page of the
 * merged listing, in Swift's byte order, at most `query.limit` long.
 *
 * Each backend was asked for `limit` names after `marker`, so any name among the first `limit`
 * of the union is among the names its own backend returned: the page is exact, and the next
 * page's marker (the last name here) resumes every backend where it must. Entries with the same
 * name in several backends become one (`combine`). Names outside the query's bounds are dropped,
 * in case a backend ignored one.
 *
 * @example
 * ```ts
 * mergeListings([[{ name: 'b' }], [{ name: 'a' }, { name: 'b' }]], (entry) => entry.name, (same) => same[0]!, { limit: 2, format: 'json' });
 * // [{ name: 'a' }, { name: 'b' }]
 * ```
 */
export function mergeListings<Entry>(
  pages: ReadonlyArray<readonly Entry[]>,
  nameOf: (entry: Entry) => string,
  combine: (same: Entry[]) => Entry,
  query: Pick<ListingQuery, 'limit' | 'marker' | 'endMarker' | 'prefix'>,
): Entry[] {
  const inBounds = (name: string): boolean =>
    (query.marker === undefined || compareUtf8(name, query.marker) > 0) &&
    (query.endMarker === undefined || compareUtf8(name, query.endMarker) < 0) &&
    (query.prefix === undefined || name.startsWith(query.prefix));
  const all = pages
    .flatMap((page, backend) => page.map((entry) => ({ entry, backend, name: nameOf(entry) })))
    .filter((item) => inBounds(item.name))
    // Stable on backend order for equal names, so `combine` sees them in the landlords' order.
    .sort((a, b) => compareUtf8(a.name, b.name) || a.backend - b.backend);
  const merged: Entry[] = [];
  for (let index = 0; index < all.length && merged.length < query.limit; ) {
    const name = all[index]!.name;
    const same: Entry[] = [];
    while (index < all.length && all[index]!.name === name) same.push(all[index++]!.entry);
    merged.push(same.length === 1 ? same[0]! : combine(same));
  }
  return merged;
}
