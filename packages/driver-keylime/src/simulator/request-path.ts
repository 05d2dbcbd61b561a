/** A request path split into its API version and the segments after it. */
export interface VersionedPath {
  /** `2.5` for `/v2.5/agents/x`; undefined for unversioned paths such as `/version`. */
  version: string | undefined;
  /** `['agents', 'x']`; empty segments (trailing slashes) are dropped. */
  segments: string[];
}

/** Split `/v2.5/agents/x/` into `{ version: '2.5', segments: ['agents', 'x'] }`. */
export function parseVersionedPath(url: string | undefined): VersionedPath {
  const path = new URL(url ?? '/', 'https://simulator').pathname;
  const parts = path
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part));
  const first = parts[0];
  if (first !== undefined && /^v\d+(\.\d+)?$/.test(first)) return { version: first.slice(1), segments: parts.slice(1) };
  return { version: undefined, segments: parts };
}

/** The query string's parameters (first value of each). */
export function queryOf(url: string | undefined): URLSearchParams {
  return new URL(url ?? '/', 'https://simulator').searchParams;
}
