/** One query parameter's value; `undefined` and `null` drop the parameter, an array repeats it. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** Query parameters of a call. */
export type Query = Readonly<Record<string, QueryValue>>;

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:\/\//i;

/** True for `https://…` and other URLs with a scheme; false for paths. */
export function isAbsoluteUrl(path: string): boolean {
  return ABSOLUTE_URL.test(path);
}

/**
 * Normalise a base URL once so that joining is plain string concatenation: no trailing slash,
 * so `https://nova/v2.1/abc` + `servers` gives `https://nova/v2.1/abc/servers`. (`new URL(path,
 * base)` would drop the base's last segment or, for `/servers`, its whole path.)
 */
export function normaliseBaseUrl(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl.replace(/\/+$/, '') : baseUrl;
}

/**
 * Resolve a call's path against the normalised base. A path with a scheme is used as is. A
 * relative path always stays under the base: `//evil.example/x` becomes `<base>/evil.example/x`.
 */
export function resolveUrl(normalisedBase: string, path: string): string {
  if (isAbsoluteUrl(path)) return path;
  let start = 0;
  while (path.charCodeAt(start) === 47 /* / */) start += 1;
  return `${normalisedBase}/${start === 0 ? path : path.slice(start)}`;
}

/** Append query parameters, encoded, keeping any query already in the URL. */
export function appendQuery(url: string, query: Query | undefined): string {
  if (query === undefined) return url;
  let encoded = '';
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      encoded += `${encoded === '' ? '' : '&'}${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`;
    }
  }
  if (encoded === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${encoded}`;
}

/** Where one request goes: undici's dispatcher takes the origin and the path (with query) apart. */
export interface RequestTarget {
  origin: string;
  /** Path and query, starting with `/`. */
  path: string;
  /** `origin + path`. */
  url: string;
}

/** Paths made only of these characters, without dot segments, need no normalising by `new URL`. */
const PLAIN_PATH = /^\/[\w\-.~!$&'()*+,;=:@%/?]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?]|$)/;

/**
 * Split a URL into a request target. Plain URLs under a known origin are split by string
 * operations (the hot path: no URL parsing per request); anything else goes through `new URL`,
 * which normalises dot segments and encodes what needs encoding.
 */
export function requestTarget(url: string, knownOrigin?: string): RequestTarget {
  if (knownOrigin !== undefined && url.startsWith(knownOrigin)) {
    const path = url.slice(knownOrigin.length);
    if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path)) return { origin: knownOrigin, path, url };
  }
  const parsed = new URL(url);
  const path = `${parsed.pathname}${parsed.search}`;
  return { origin: parsed.origin, path, url: `${parsed.origin}${path}` };
}

/** The path of a URL without its query or fragment: what logs and error messages may show. */
export function pathForDisplay(url: string): string {
  const schemeEnd = url.indexOf('://');
  const pathStart = schemeEnd === -1 ? 0 : url.indexOf('/', schemeEnd + 3);
  if (pathStart === -1) return '/';
  const end = url.search(/[?#]/);
  return url.slice(pathStart, end === -1 ? undefined : end);
}
