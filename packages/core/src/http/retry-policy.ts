/** How the HTTP client retries a failed idempotent call. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  retries: number;
  /** Smallest wait between attempts, in milliseconds. Default 100. */
  minDelayMs: number;
  /** Largest backoff wait between attempts, in milliseconds. Default 5000. */
  maxDelayMs: number;
  /** A backend's `Retry-After` is honoured up to this many milliseconds. Default 30000. */
  maxRetryAfterMs: number;
  /** Statuses that are retried. Default 429, 502, 503, 504. */
  statuses: readonly number[];
}

/** The defaults of {@link RetryOptions}. */
export const defaultRetryOptions: Readonly<RetryOptions> = Object.freeze({
  retries: 2,
  minDelayMs: 100,
  maxDelayMs: 5000,
  maxRetryAfterMs: 30_000,
  statuses: Object.freeze([429, 502, 503, 504]),
});

/**
 * The wait before retry number `retry` (1 for the first retry): exponential backoff with full
 * jitter, always within `[minDelayMs, maxDelayMs]`. Full jitter spreads clients that failed
 * together, so they do not all come back at the same instant.
 */
export function backoffDelay(retry: number, minDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 30);
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** exponent);
  const delay = minDelayMs + random() * Math.max(0, ceiling - minDelayMs);
  return Math.min(maxDelayMs, Math.max(minDelayMs, Math.round(delay)));
}

/**
 * Parse a `Retry-After` header (delay in seconds, or an HTTP date) into milliseconds from `nowMs`.
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, nowMs: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always names its month; this keeps `-5` or `2026` from parsing as dates.
  const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before retry number `retry`: the backend's `Retry-After` (capped, because a backend
 * asking for an hour must not stall a caller for an hour) when it gave one, else backoff.
 */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  options: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>,
  random = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), options.maxRetryAfterMs);
  return backoffDelay(retry, options.minDelayMs, options.maxDelayMs, random);
}

/** Methods that may be repeated without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/** True for methods that are idempotent by definition; POST and PATCH are not. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method);
}
