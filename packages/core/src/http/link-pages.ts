import type { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import { type PaginationOptions, paginate } from './paginate.js';
import type { HttpCallOptions, HttpClient, HttpHeaders, HttpResponse } from './request-types.js';

/** One link of an RFC 8288 `Link` header. */
export interface HeaderLink {
  url: string;
  /** The relation types, lower-case (`rel="next last"` gives both). */
  rel: string[];
  /** Every parameter, names lower-case, quotes removed. */
  params: Record<string, string>;
}

const LINK = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^;,\s]*))?)*)/g;
const PARAM = /;\s*([^;,=\s]+)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,\s]*)))?/g;

/** Parse an RFC 8288 `Link` header (`<https://api/items?page=2>; rel="next", <…>; rel="last"`). */
export function parseLinkHeader(value: string | readonly string[] | undefined): HeaderLink[] {
  if (value === undefined) return [];
  const text = Array.isArray(value) ? value.join(', ') : (value as string);
  const links: HeaderLink[] = [];
  for (const match of text.matchAll(LINK)) {
    const params: Record<string, string> = {};
    for (const param of (match[2] ?? '').matchAll(PARAM)) {
      params[param[1]!.toLowerCase()] = (param[2] ?? param[3] ?? '').replace(/\\(.)/g, '$1');
    }
    const rel = (params.rel ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter((part) => part !== '');
    links.push({ url: match[1]!.trim(), rel, params });
  }
  return links;
}

/** The `rel="next"` URL of a `Link` header, resolved against the URL of the page that sent it. */
export function nextLinkFromHeader(headers: HttpHeaders, pageUrl: string): string | undefined {
  const next = parseLinkHeader(headers.link).find((link) => link.rel.includes('next'));
  return next === undefined ? undefined : new URL(next.url, pageUrl).href;
}

/** Options shared by the paginators that follow URLs the backend hands out. */
export interface LinkPagesOptions<Schema extends z.ZodType, Item> extends PaginationOptions {
  client: HttpClient;
  /** The first page's path (or URL). */
  path: string;
  /** Each page's body must match this schema. */
  schema: Schema;
  /** The items of one page's body. */
  items(data: z.output<Schema>): readonly Item[];
  /** Options for every page's request; `query` is sent with the first page only (next links carry their own). */
  call?: Omit<HttpCallOptions, 'schema' | 'signal' | 'responseType'>;
  /**
   * Origins a next link may point to besides the origin of the page that gave it, for an API that
   * documents it. A link to any other origin ends the listing with a `protocol` error naming both
   * origins, and nothing is sent there.
   */
  allowOrigins?: readonly string[];
}

/** Options of {@link nextLinkPages}. */
export interface NextLinkPagesOptions<Schema extends z.ZodType, Item> extends LinkPagesOptions<Schema, Item> {
  /** The next page's URL in a page's body, or undefined on the last page. */
  next(data: z.output<Schema>): string | undefined | null;
}

/**
 * Pagination by RFC 8288 `Link: <…>; rel="next"` headers: follows next links until there is none.
 *
 * @example
 * ```ts
 * for await (const event of linkHeaderPages({ client, path: '/events', schema: z.array(eventSchema), items: (page) => page })) { … }
 * ```
 */
export function linkHeaderPages<Schema extends z.ZodType, Item>(
  options: LinkPagesOptions<Schema, Item>,
): AsyncGenerator<Item, void, undefined> {
  return followLinks(options, (response) => nextLinkFromHeader(response.headers, response.url));
}

/**
 * Pagination by a next-page URL inside the body: OpenStack's `servers_links: [{ rel: 'next', href }]`,
 * Keystone's `links.next`. The caller says where the link is.
 *
 * @example
 * ```ts
 * const servers = nextLinkPages({
 *   client: nova, path: '/servers/detail', call: { query: { limit: 100 } }, schema: serverPage,
 *   items: (page) => page.servers,
 *   next: (page) => page.servers_links?.find((link) => link.rel === 'next')?.href,
 * });
 * ```
 */
export function nextLinkPages<Schema extends z.ZodType, Item>(
  options: NextLinkPagesOptions<Schema, Item>,
): AsyncGenerator<Item, void, undefined> {
  return followLinks(options, (response) => {
    const next = options.next(response.data as z.output<Schema>);
    return next === undefined || next === null || next === '' ? undefined : new URL(next, response.url).href;
  });
}

function followLinks<Schema extends z.ZodType, Item>(
  options: LinkPagesOptions<Schema, Item>,
  nextOf: (response: HttpResponse<unknown>) => string | undefined,
): AsyncGenerator<Item, void, undefined> {
  const { query, ...call } = options.call ?? {};
  const what = options.what ?? `${options.client.backend} ${options.path}`;
  const allowed = new Set((options.allowOrigins ?? []).map((origin) => new URL(origin).origin));
  return paginate<Item, string>({
    what,
    signal: options.signal,
    maxPages: options.maxPages,
    fetchPage: async (nextUrl, signal) => {
      const response = await options.client.request({
        ...call,
        method: 'GET',
        path: nextUrl ?? options.path,
        query: nextUrl === undefined ? query : undefined,
        schema: options.schema,
        signal,
        allowOrigins: options.allowOrigins,
      } as Parameters<HttpClient['request']>[0]);
      const next = nextOf(response);
      if (next !== undefined) checkNextOrigin(what, options.client.backend, response.url, next, allowed);
      return { items: options.items(response.data as z.output<Schema>), next };
    },
  });
}

/** A next link must stay on the origin of the page that gave it, or on one the listing allows. */
function checkNextOrigin(
  what: string,
  backend: string,
  pageUrl: string,
  next: string,
  allowed: ReadonlySet<string>,
): void {
  const from = new URL(pageUrl).origin;
  const to = URL.canParse(next) ? new URL(next) : undefined;
  if (
    to !== undefined &&
    (to.protocol === 'https:' || to.protocol === 'http:') &&
    (to.origin === from || allowed.has(to.origin))
  ) {
    return;
  }
  throw new OcxError({
    code: 'protocol',
    fault: 'server',
    backend,
    message: `a page on ${from} links its next page to ${to?.origin ?? 'an invalid URL'}, another origin; not followed, nothing was sent there`,
  });
}
