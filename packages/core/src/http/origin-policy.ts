import { type RequestTarget, requestTarget } from './url.js';

/**
 * Where a call may go, and what it may carry there. The rules (see SECURITY.md):
 *
 * - A call reaches only the client's origins (scheme, host and port: the base URL's and the
 *   client's `allowedOrigins`), or an origin the call lists in `allowOrigins` (an API that
 *   documents a hop elsewhere, such as HIL's 307 to OBMd).
 * - A redirect to any other origin is refused: nothing — no header, no body — is sent there.
 * - Same-origin redirects are followed for safe methods (GET, HEAD, OPTIONS). Other methods follow
 *   a 307/308 only when the call asks for it (`followRedirects: true`) or when it goes to an
 *   origin the call lists; 301/302/303 would turn them into a GET and are never followed. A
 *   redirect that is not followed is reported as the unexpected status it is (`http`).
 * - Only the client's credential origins get credentials and the client's custom headers; any
 *   other origin gets the request with the {@link FOREIGN_ORIGIN_HEADERS} only.
 */

/** The statuses that redirect. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The only request headers sent to an origin that is not one of the client's credential origins. */
export const FOREIGN_ORIGIN_HEADERS: readonly string[] = ['accept', 'content-type', 'content-length', 'user-agent'];

/** What the redirect logic needs of a call. */
export interface RedirectingCall {
  method: string;
  /** `true`/`false` as the caller set it; `undefined` for the default rules. */
  followRedirects: boolean | undefined;
  /** The origins the call may reach besides its own. */
  allowOrigins: ReadonlySet<string> | undefined;
}

/** What to do with a redirect response. */
export type RedirectDecision =
  | { action: 'follow'; next: RequestTarget }
  /** Not a redirect the call handles: treat it as any other unexpected status. */
  | { action: 'ignore' }
  /** A redirect that must not be followed; `reason` says why, naming the origins (never the path). */
  | { action: 'refuse'; reason: string };

/**
 * Decide what to do with a redirect answered to `current` (the hop that was sent), for a call
 * that started at `origin`. The client's own origins (its base URL's and `allowedOrigins`) count
 * as the call's own.
 */
export function decideRedirect(
  call: RedirectingCall,
  clientOrigins: ReadonlySet<string>,
  origin: string,
  current: RequestTarget,
  status: number,
  location: string | undefined,
): RedirectDecision {
  if (!REDIRECT_STATUSES.has(status) || location === undefined || call.followRedirects === false) {
    return { action: 'ignore' };
  }
  const next = URL.canParse(location, current.url) ? new URL(location, current.url) : undefined;
  if (next === undefined || (next.protocol !== 'https:' && next.protocol !== 'http:')) {
    return { action: 'refuse', reason: 'redirected to an invalid URL' };
  }
  const listed = call.allowOrigins?.has(next.origin) === true;
  if (next.origin !== origin && !listed && !clientOrigins.has(next.origin)) {
    return {
      action: 'refuse',
      reason: `redirected from ${current.origin} to ${next.origin}, another origin; the redirect was not followed and nothing was sent there`,
    };
  }
  if (!SAFE_METHODS.has(call.method)) {
    // 301/302/303 would turn the call into a GET; a 307/308 is resent only when asked for. Either
    // way the redirect stays what it is: an unexpected status, reported with the backend's message.
    const resendable = status === 307 || status === 308;
    if (!resendable || (call.followRedirects !== true && !listed)) return { action: 'ignore' };
  }
  return { action: 'follow', next: requestTarget(next.href) };
}

/**
 * The reason a call's first target is refused, or undefined when it may be sent: a call goes to
 * the client's own origins or to one it lists in `allowOrigins`.
 */
export function refuseForeignTarget(
  target: RequestTarget,
  clientOrigins: ReadonlySet<string>,
  allowOrigins: ReadonlySet<string> | undefined,
  baseOrigin: string,
): string | undefined {
  if (clientOrigins.has(target.origin) || allowOrigins?.has(target.origin) === true) return undefined;
  return `refused to send a request to ${target.origin}, which is not this client's origin (${baseOrigin}); list it in the client's allowedOrigins or the call's allowOrigins`;
}

/** The headers of a request to an origin that gets no credentials: the safe few only. */
export function foreignOriginHeaders(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const kept: Record<string, string> = {};
  for (const name of FOREIGN_ORIGIN_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** Parse a list of origins (URLs) into a set of origins, or undefined for none. */
export function originSet(urls: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (urls === undefined || urls.length === 0) return undefined;
  return new Set(urls.map((url) => new URL(url).origin));
}
