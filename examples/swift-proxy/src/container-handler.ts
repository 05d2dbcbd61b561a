import { fanOut } from './fan-out.js';
import type { ListingQuery } from './listing-query.js';
import { mergeListings } from './merge-listing.js';
import { allUnavailable, landlordHeaders, type ProxyResponse, textResponse } from './proxy-response.js';
import { renderListing } from './render-listing.js';
import type { ObjectEntry, SwiftBackend } from './swift-backend.js';
import { CONTAINER_USAGE_HEADERS, sumUsage } from './swift-usage.js';

/** An object (or pseudo-directory) of a merged container, with the landlords that hold it. */
export type MergedObject = ObjectEntry & { ocx_landlords: string[] };

const nameOf = (entry: ObjectEntry): string => ('subdir' in entry ? String(entry.subdir) : String(entry.name));

/**
 * The container is absent where landlords answered: 404 when every landlord answered, 503 when
 * one that may hold it did not (the proxy cannot tell "absent" from "unreachable").
 */
function notFound(container: string, unavailable: Parameters<typeof allUnavailable>[0]): ProxyResponse {
  if (unavailable.length > 0) return allUnavailable(unavailable, `container ${container}`);
  return textResponse(404, `No container ${container} in any landlord`);
}

/** `HEAD /v1/<account>/<container>`: the container's usage summed over the landlords that have it. */
export async function headContainer(
  backends: readonly SwiftBackend[],
  container: string,
  signal: AbortSignal,
): Promise<ProxyResponse> {
  const { answers, unavailable } = await fanOut(backends, (backend) => backend.headContainer(container, signal));
  const present = answers.flatMap(({ landlord, value }) => (value === undefined ? [] : [{ landlord, value }]));
  if (present.length === 0) return notFound(container, unavailable);
  const usage = sumUsage(
    present.map((answer) => answer.value),
    CONTAINER_USAGE_HEADERS,
  );
  return {
    status: 204,
    headers: {
      ...Object.fromEntries(Object.entries(usage).map(([name, value]) => [name, value.toString()])),
      ...landlordHeaders(
        present.map((answer) => answer.landlord),
        unavailable,
      ),
      'content-type': 'text/plain; charset=utf-8',
    },
  };
}

/**
 * `GET /v1/<account>/<container>`: the object listing of the container in every landlord that has
 * it, merged in Swift's byte order. An object name in several landlords is listed once: the copy
 * modified last (on a tie, the first landlord's), with `ocx_landlords` naming every holder.
 */
export async function listContainer(
  backends: readonly SwiftBackend[],
  container: string,
  query: ListingQuery,
  signal: AbortSignal,
): Promise<ProxyResponse> {
  const { answers, unavailable } = await fanOut(backends, (backend) => backend.listContainer(container, query, signal));
  const present = answers.flatMap(({ landlord, value }) => (value === undefined ? [] : [{ landlord, value }]));
  if (present.length === 0) return notFound(container, unavailable);
  const pages = present.map(({ landlord, value }) =>
    value.entries.map((entry): MergedObject => ({ ...entry, ocx_landlords: [landlord] })),
  );
  const entries = mergeListings(pages, nameOf, combineObjects, query);
  const usage = sumUsage(
    present.map((answer) => answer.value.usage),
    CONTAINER_USAGE_HEADERS,
  );
  return renderListing(entries, nameOf, query, {
    usage,
    answered: present.map((answer) => answer.landlord),
    unavailable,
  });
}

function combineObjects(same: MergedObject[]): MergedObject {
  const modified = (entry: MergedObject): string =>
    'last_modified' in entry && typeof entry.last_modified === 'string' ? entry.last_modified : '';
  const newest = same.reduce((best, entry) => (modified(entry) > modified(best) ? entry : best));
  return { ...newest, ocx_landlords: same.flatMap((entry) => entry.ocx_landlords) };
}
