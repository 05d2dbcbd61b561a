/**
 * Catalogs differ in how much of the API path they include: Neutron may be registered as
 * `http://host:9696` or `…/v2.0`, Glance as `http://host:9292` or `…/v2`. The driver always
 * adds the version itself, so it strips it from the catalog URL first.
 */
export function stripVersionSuffix(url: string, version: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith(`/${version}`) ? trimmed.slice(0, -(version.length + 1)) : trimmed;
}

/** The root of a URL (scheme, host, port and any path before the API version), e.g. Cinder's `…/v3/{project}` → `…/`. */
export function versionRoot(url: string, versionSegment: RegExp): string {
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/');
  const index = segments.findIndex((segment) => versionSegment.test(segment));
  const path = index === -1 ? parsed.pathname : `${segments.slice(0, index).join('/')}/`;
  return `${parsed.origin}${path.endsWith('/') ? path : `${path}/`}`;
}
