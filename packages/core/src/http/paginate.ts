import { OcxError } from '../errors/ocx-error.js';

/** One page of a listing: its items and the cursor of the next page (undefined on the last). */
export interface Page<Item, Cursor> {
  items: readonly Item[];
  next: Cursor | undefined;
}

/** Options every paginator takes. */
export interface PaginationOptions {
  /** Stops the listing; the iterator then throws an `aborted` error. */
  signal?: AbortSignal;
  /** What is being listed, for error messages, e.g. `nova servers`. */
  what?: string;
  /**
   * The most pages a listing may take; one more is a `protocol` error (a backend that never
   * stops handing out pages must not keep the caller forever). Default {@link DEFAULT_MAX_PAGES}.
   */
  maxPages?: number;
}

/** The default cap on the pages of one listing. */
export const DEFAULT_MAX_PAGES = 10_000;

/** Options of {@link paginate}. */
export interface PaginateOptions<Item, Cursor> extends PaginationOptions {
  /** Fetch the page at `cursor` (undefined for the first page). */
  fetchPage(cursor: Cursor | undefined, signal: AbortSignal | undefined): Promise<Page<Item, Cursor>>;
}

/**
 * List items page by page as an async iterator. Pages are fetched only as the consumer reaches
 * them, so a listing of any size streams. A page that fails (after the HTTP layer's retries)
 * ends the listing with an `OcxError` that keeps the original code and says how far it got: a
 * listing is never silently cut short. A cursor handed out twice (a loop) or more pages than
 * `maxPages` end it with a `protocol` error.
 *
 * @example
 * ```ts
 * for await (const node of paginate({ what: 'hil nodes', fetchPage: (cursor, signal) => fetchNodes(cursor, signal) })) {
 *   console.log(node);
 * }
 * ```
 */
export async function* paginate<Item, Cursor>(
  options: PaginateOptions<Item, Cursor>,
): AsyncGenerator<Item, void, undefined> {
  const what = options.what ?? 'items';
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new OcxError({
      code: 'validation',
      fault: 'client',
      message: 'paginate: maxPages must be a positive integer',
    });
  }
  let cursor: Cursor | undefined;
  const seen = new Set<unknown>();
  let pages = 0;
  let yielded = 0;
  for (;;) {
    if (options.signal?.aborted) {
      throw new OcxError({
        code: 'aborted',
        message: `Listing ${what} was aborted after ${yielded} items from ${pages} pages`,
        cause: options.signal.reason,
      });
    }
    let page: Page<Item, Cursor>;
    try {
      page = await options.fetchPage(cursor, options.signal);
    } catch (error) {
      throw pageError(error, what, pages, yielded);
    }
    pages += 1;
    for (const item of page.items) {
      yielded += 1;
      yield item;
    }
    if (page.next === undefined || page.next === null) return;
    const key = cursorKey(page.next);
    if (seen.has(key) || sameCursor(page.next, cursor)) {
      // A backend that hands back a cursor it gave before would make this loop forever.
      throw new OcxError({
        code: 'protocol',
        fault: 'server',
        message: `Listing ${what}: page ${pages} returned a next-page cursor it had returned before, after ${yielded} items; stopping`,
      });
    }
    if (pages >= maxPages) {
      throw new OcxError({
        code: 'protocol',
        fault: 'server',
        message: `Listing ${what}: more than ${maxPages} pages (maxPages) after ${yielded} items; stopping`,
      });
    }
    seen.add(key);
    cursor = page.next;
  }
}

function cursorKey(cursor: unknown): unknown {
  return typeof cursor === 'object' && cursor !== null ? JSON.stringify(cursor) : cursor;
}

function sameCursor(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

function pageError(error: unknown, what: string, pages: number, yielded: number): OcxError {
  const progress = `after ${yielded} items from ${pages} pages`;
  if (!OcxError.is(error)) {
    return new OcxError({
      code: 'internal',
      message: `Listing ${what} failed on page ${pages + 1} ${progress}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  return new OcxError({
    code: error.code,
    message: `Listing ${what} failed on page ${pages + 1} ${progress}: ${error.message}`,
    retryable: error.retryable,
    backend: error.backend,
    operation: error.operation,
    status: error.status,
    requestId: error.requestId,
    attempts: error.attempts,
    totalRetryDelayMs: error.totalRetryDelayMs,
    backendErrorType: error.backendErrorType,
    backendMessage: error.backendMessage,
    issues: error.issues,
    fault: error.fault,
    cause: error,
  });
}

/** Options of {@link markerPages}. */
export interface MarkerPagesOptions<Item> extends PaginationOptions {
  /** Fetch up to `limit` items after `marker` (undefined for the first page). */
  fetchPage(marker: string | undefined, limit: number, signal: AbortSignal | undefined): Promise<readonly Item[]>;
  /** The item's key, sent as the next page's marker (a Swift object's name, a Nova server's id). */
  key(item: Item): string;
  /**
   * Items per page. It must not exceed the backend's own maximum: a page shorter than `limit`
   * is taken as the last.
   */
  limit: number;
}

/**
 * Marker pagination (Swift, Nova, Glance, Cinder): each page asks for `limit` items after the
 * last key seen; a short or empty page ends the listing.
 *
 * @example
 * ```ts
 * const objects = markerPages({
 *   what: 'swift objects',
 *   limit: 1000,
 *   // fetchPage before key, so that TypeScript infers the item type from it.
 *   fetchPage: async (marker, limit, signal) =>
 *     (await swift.get(`/${container}`, { query: { marker, limit, format: 'json' }, schema: objectList, signal })).data,
 *   key: (object) => object.name,
 * });
 * ```
 */
export function markerPages<Item>(options: MarkerPagesOptions<Item>): AsyncGenerator<Item, void, undefined> {
  if (!Number.isInteger(options.limit) || options.limit < 1) {
    throw new OcxError({
      code: 'validation',
      fault: 'client',
      message: 'markerPages: limit must be a positive integer',
    });
  }
  return paginate<Item, string>({
    what: options.what,
    signal: options.signal,
    maxPages: options.maxPages,
    fetchPage: async (marker, signal) => {
      const items = await options.fetchPage(marker, options.limit, signal);
      const last = items.at(-1);
      return { items, next: last === undefined || items.length < options.limit ? undefined : options.key(last) };
    },
  });
}

/** One page of a page-numbered listing, with whichever total the backend reports. */
export interface NumberedPage<Item> {
  items: readonly Item[];
  totalItems?: number;
  totalPages?: number;
}

/** Options of {@link pageNumberPages}. */
export interface PageNumberPagesOptions<Item> extends PaginationOptions {
  fetchPage(page: number, signal: AbortSignal | undefined): Promise<NumberedPage<Item>>;
  /** The first page's number. Default 1. */
  firstPage?: number;
}

/**
 * Page-number pagination (`page=1,2,…`): stops at an empty page, or once the reported total of
 * pages or items is reached.
 *
 * @example
 * ```ts
 * const users = pageNumberPages({
 *   fetchPage: async (page, signal) => {
 *     const { data } = await api.get('/users', { query: { page, per_page: 100 }, schema: userPage, signal });
 *     return { items: data.users, totalItems: data.total };
 *   },
 * });
 * ```
 */
export function pageNumberPages<Item>(options: PageNumberPagesOptions<Item>): AsyncGenerator<Item, void, undefined> {
  const firstPage = options.firstPage ?? 1;
  let seen = 0;
  return paginate<Item, number>({
    what: options.what,
    signal: options.signal,
    maxPages: options.maxPages,
    fetchPage: async (cursor, signal) => {
      const page = cursor ?? firstPage;
      const result = await options.fetchPage(page, signal);
      seen += result.items.length;
      const pagesDone = result.totalPages !== undefined && page - firstPage + 1 >= result.totalPages;
      const itemsDone = result.totalItems !== undefined && seen >= result.totalItems;
      const last = result.items.length === 0 || pagesDone || itemsDone;
      return { items: result.items, next: last ? undefined : page + 1 };
    },
  });
}
