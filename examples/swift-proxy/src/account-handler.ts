import { fanOut } from './fan-out.js';
import type { ListingQuery } from './listing-query.js';
import { mergeListings } from './merge-listing.js';
import { allUnavailable, landlordHeaders, type ProxyResponse } from './proxy-response.js';
import { renderListing } from './render-listing.js';
import type { ContainerEntry, SwiftBackend } from './swift-backend.js';
import { ACCOUNT_USAGE_HEADERS, sumUsage } from './swift-usage.js';

/** A container of the merged account, with the landlords that hold it. */
export type MergedContainer = ContainerEntry & { ocx_landlords: string[] };

/**
 * `HEAD /v1/<account>`: the usage of every landlord's account, summed exactly. Containers that
 * exist in several landlords count once per landlord, as they use space in each.
 */
export async function headAccount(backends: readonly SwiftBackend[], signal: AbortSignal): Promise<ProxyResponse> {
  const { answers, unavailable } = await fanOut(backends, (backend) => backend.headAccount(signal));
  if (answers.length === 0) return allUnavailable(unavailable, 'the account');
  const usage = sumUsage(
    answers.map((answer) => answer.value),
    ACCOUNT_USAGE_HEADERS,
  );
  return {
    status: 204,
    headers: {
      ...Object.fromEntries(Object.entries(usage).map(([name, value]) => [name, value.toString()])),
      ...landlordHeaders(
        answers.map((answer) => answer.landlord),
        unavailable,
      ),
      'content-type': 'text/plain; charset=utf-8',
    },
  };
}

/**
 * `GET /v1/<account>`: the container listing of every landlord merged in Swift's byte order.
 * A container in several landlords is listed once, with `count` and `bytes` summed, the latest
 * `last_modified`, and `ocx_landlords` naming where it is.
 */
export async function listAccount(
  backends: readonly SwiftBackend[],
  query: ListingQuery,
  signal: AbortSignal,
): Promise<ProxyResponse> {
  const { answers, unavailable } = await fanOut(backends, (backend) => backend.listAccount(query, signal));
  if (answers.length === 0) return allUnavailable(unavailable, 'the account');
  const pages = answers.map(({ landlord, value }) =>
    value.entries.map((entry): MergedContainer => ({ ...entry, ocx_landlords: [landlord] })),
  );
  const entries = mergeListings(pages, (entry) => entry.name, combineContainers, query);
  const usage = sumUsage(
    answers.map((answer) => answer.value.usage),
    ACCOUNT_USAGE_HEADERS,
  );
  return renderListing(entries, (entry) => entry.name, query, {
    usage,
    answered: answers.map((answer) => answer.landlord),
    unavailable,
  });
}

function combineContainers(same: MergedContainer[]): MergedContainer {
  const latest = same
    .map((entry) => entry.last_modified)
    .filter((value): value is string => value !== undefined)
    .sort()
    .at(-1);
  return {
    ...same[0]!,
    count: same.reduce((sum, entry) => sum + entry.count, 0),
    bytes: same.reduce((sum, entry) => sum + entry.bytes, 0),
    ...(latest === undefined ? {} : { last_modified: latest }),
    ocx_landlords: same.flatMap((entry) => entry.ocx_landlords),
  };
}
