/**
 * The routing of Keylime's web framework (keylime/web/base/route.py, server.py): patterns with
 * `:param` segments, tried in order; `@Server.version_scope(n)` prefixes `/v{n}` and `/v{n}.:minor`.
 * Parameters are captured from the raw (still percent-encoded) path, as Tornado gives it.
 */

/** One route: a method, a pattern such as `/agents/:agent_id`, and what answers it. */
export interface RouteSpec<Action extends string> {
  method: string;
  pattern: string;
  action: Action;
  /** The major API version the route was scoped to, if any. */
  major?: number;
}

/** The result of matching a request against a route table. */
export type RouteMatch<Action extends string> =
  | { kind: 'found'; action: Action; params: Record<string, string>; major: number | undefined }
  /** A route has this path but not this method: DefaultController `method_not_allowed` (405). */
  | { kind: 'method-not-allowed' }
  /** No route has this path: DefaultController `not_found` (404). */
  | { kind: 'not-found' }
  /** The path is not a valid RFC 3986 path: the route lookup raises, and Tornado answers 500. */
  | { kind: 'invalid-path' };

/** Routes of a `@Server.version_scope(major)` method: each pattern with and without a minor version. */
export function versionScoped<Action extends string>(
  major: number,
  routes: readonly RouteSpec<Action>[],
): RouteSpec<Action>[] {
  return routes.flatMap((route) => [
    { ...route, major, pattern: `/v${major}${route.pattern}` },
    { ...route, major, pattern: `/v${major}.:minor${route.pattern}` },
  ]);
}

const PCHAR = "(?:[A-Za-z0-9\\-._~]|%[0-9A-Fa-f]{2}|[!$&'()*+,;=]|[:@])";
const PATH_ABSOLUTE = new RegExp(`^\\/(?:${PCHAR}+(?:\\/${PCHAR}*)*)?$`);

/** Route.split_path: split on `/`, dropping one leading and one trailing empty segment. */
function splitPath(path: string): string[] {
  const segments = path.split('/');
  if (segments[0] === '') segments.shift();
  if (segments.length > 0 && segments.at(-1) === '') segments.pop();
  return segments;
}

function capture(pattern: string, path: string): Record<string, string> | undefined {
  const expected = splitPath(pattern);
  const actual = splitPath(path);
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const segment = actual[index]!;
    const colon = part.indexOf(':');
    if (colon === -1) {
      if (part !== segment) return undefined;
      continue;
    }
    const prefix = part.slice(0, colon);
    if (!segment.startsWith(prefix) || segment.length === prefix.length) return undefined;
    params[part.slice(colon + 1)] = segment.slice(prefix.length);
  }
  return params;
}

/** The first route matching method and path (Server.first_matching_route), or why none does. */
export function matchRoute<Action extends string>(
  routes: readonly RouteSpec<Action>[],
  method: string,
  path: string,
): RouteMatch<Action> {
  if (!PATH_ABSOLUTE.test(path)) return { kind: 'invalid-path' };
  let pathKnown = false;
  for (const route of routes) {
    const params = capture(route.pattern, path);
    if (params === undefined) continue;
    if (route.method === method.toUpperCase())
      return { kind: 'found', action: route.action, params, major: route.major };
    pathKnown = true;
  }
  return pathKnown ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}

/** The raw path of a request URL (no query), as Tornado's `request.path`. */
export function rawPathOf(url: string | undefined): string {
  const value = url ?? '/';
  const end = value.search(/[?#]/);
  return end === -1 ? value : value.slice(0, end);
}

/** The query parameters Python's parse_qsl keeps: blank values are dropped; the last value wins. */
export function queryParamsOf(url: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  const query = new URL(url ?? '/', 'https://simulator').searchParams;
  for (const [key, value] of query) if (value !== '') params.set(key, value);
  return params;
}
