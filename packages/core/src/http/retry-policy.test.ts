import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, isIdempotentMethod, parseRetryAfter, retryDelay } from './retry-policy.js';

describe('backoffDelay', () => {
  it('is always within [min, max] (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, min, spread, random) => {
          const delay = backoffDelay(retry, min, min + spread, () => random);
          expect(delay).toBeGreaterThanOrEqual(min);
          expect(delay).toBeLessThanOrEqual(min + spread);
        },
      ),
    );
  });

  it('grows exponentially: its ceiling doubles per retry', () => {
    expect(backoffDelay(1, 100, 5000, () => 0.999_999)).toBe(100);
    expect(backoffDelay(2, 100, 5000, () => 0.999_999)).toBe(200);
    expect(backoffDelay(4, 100, 5000, () => 0.999_999)).toBe(800);
    expect(backoffDelay(20, 100, 5000, () => 0.999_999)).toBe(5000);
    expect(backoffDelay(4, 100, 5000, () => 0)).toBe(100);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(['3'], now)).toBe(3000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 28 Feb 2026 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  const options = { minDelayMs: 100, maxDelayMs: 5000, maxRetryAfterMs: 30_000 };
  it('never exceeds the Retry-After cap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 60_000 }), (retryAfterMs, cap) => {
        const delay = retryDelay(1, retryAfterMs, { ...options, maxRetryAfterMs: cap });
        expect(delay).toBe(Math.min(retryAfterMs, cap));
      }),
    );
  });
  it('falls back to backoff without Retry-After', () => {
    expect(retryDelay(1, undefined, options, () => 0)).toBe(100);
  });
});

describe('isIdempotentMethod', () => {
  it('follows RFC 9110', () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']) expect(isIdempotentMethod(method)).toBe(true);
    for (const method of ['POST', 'PATCH']) expect(isIdempotentMethod(method)).toBe(false);
  });
});
