import type { Unavailable } from './fan-out.js';
import type { ListingQuery } from './listing-query.js';
import { landlordHeaders, type ProxyResponse } from './proxy-response.js';
import type { Usage } from './swift-usage.js';

/**
 * Render a merged listing as Swift would (`plain`: one name per line, 204 when empty; `json`: the
 * array), or as the proxy's envelope (`ocx`): `{ items, partial, unavailable, landlords, next_marker }`,
 * for clients that want the partial-result details in the body (a Swift array has no room for them).
 * Every format carries the summed usage headers and `X-OCX-Partial` when a landlord did not answer.
 */
export function renderListing<Entry>(
  entries: readonly Entry[],
  nameOf: (entry: Entry) => string,
  query: ListingQuery,
  context: { usage: Usage; answered: string[]; unavailable: Unavailable[] },
): ProxyResponse {
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(context.usage).map(([name, value]) => [name, value.toString()])),
    ...landlordHeaders(context.answered, context.unavailable),
  };
  if (query.format === 'plain') {
    if (entries.length === 0)
      return { status: 204, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } };
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
      body: entries.map((entry) => `${nameOf(entry)}\n`).join(''),
    };
  }
  const json = 'application/json; charset=utf-8';
  if (query.format === 'json')
    return { status: 200, headers: { ...headers, 'content-type': json }, body: JSON.stringify(entries) };
  const last = entries.at(-1);
  const envelope = {
    items: entries,
    partial: context.unavailable.length > 0,
    unavailable: context.unavailable,
    landlords: context.answered,
    // A full page may have more behind it; an empty or short one has not.
    next_marker: last !== undefined && entries.length === query.limit ? nameOf(last) : null,
    usage: Object.fromEntries(Object.entries(context.usage).map(([name, value]) => [name, value.toString()])),
  };
  return { status: 200, headers: { ...headers, 'content-type': json }, body: JSON.stringify(envelope) };
}
