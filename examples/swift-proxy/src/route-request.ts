import { timingSafeEqual } from 'node:crypto';
import { OcxError, type Secret } from '@ocx/core';
import { headAccount, listAccount } from './account-handler.js';
import { headContainer, listContainer } from './container-handler.js';
import { parseListingQuery } from './listing-query.js';
import { type ProxyResponse, textResponse } from './proxy-response.js';
import type { SwiftBackend } from './swift-backend.js';

/** What the router needs: the backends, the account it presents, and the client token if any. */
export interface RouteContext {
  backends: readonly SwiftBackend[];
  account: string;
  clientToken?: Secret;
}

/** The parts of a client request the router reads. */
export interface ClientRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  signal: AbortSignal;
}

/**
 * Answer one client request: `GET`/`HEAD` on `/v1/<account>` (merged container listing, summed
 * usage) and on `/v1/<account>/<container>` (merged object listing, summed usage). The proxy
 * merges listings and usage only; it does not serve or store objects, and says so (501).
 */
export async function routeRequest(context: RouteContext, request: ClientRequest): Promise<ProxyResponse> {
  if (context.clientToken !== undefined && !tokenMatches(request.headers['x-auth-token'], context.clientToken)) {
    return textResponse(401, 'Unauthorized: send the proxy token as X-Auth-Token');
  }
  const segments = request.url.pathname.split('/');
  // ['', 'v1', account, container?, ...object]
  if (segments[1] !== 'v1' || segments[2] === undefined || segments.length < 3)
    return textResponse(404, 'Not found: the proxy serves /v1/<account>');
  if (decode(segments[2]) !== context.account)
    return textResponse(404, `No account ${decode(segments[2])}; this proxy presents ${context.account}`);
  const container = segments[3] === undefined || segments[3] === '' ? undefined : decode(segments[3]);
  const object = segments.slice(4).join('/');
  if (container !== undefined && object !== '') {
    return textResponse(
      501,
      'The proxy merges listings and usage; it does not serve objects. Read them from the landlord named in ocx_landlords.',
    );
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return textResponse(405, `Method ${request.method} is not allowed: the merged account is read-only`, {
      allow: 'GET, HEAD',
    });
  }
  try {
    if (request.method === 'HEAD') {
      return container === undefined
        ? await headAccount(context.backends, request.signal)
        : await headContainer(context.backends, container, request.signal);
    }
    const accept = request.headers.accept;
    const query = parseListingQuery(request.url.searchParams, Array.isArray(accept) ? accept.join(',') : accept);
    return container === undefined
      ? await listAccount(context.backends, query, request.signal)
      : await listContainer(context.backends, container, query, request.signal);
  } catch (error) {
    if (OcxError.is(error) && error.code === 'validation') return textResponse(400, error.message);
    throw error;
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new OcxError({ code: 'validation', message: 'The path is not valid percent-encoded UTF-8', fault: 'client' });
  }
}

function tokenMatches(given: string | string[] | undefined, expected: Secret): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected.reveal());
  return a.length === b.length && timingSafeEqual(a, b);
}
