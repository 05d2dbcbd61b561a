import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { ManualClock } from '../runtime/clock.js';
import { type WaitCheckResult, waitFor, waitForOrThrow } from './wait-for.js';

/** Run a wait on a ManualClock, advancing time whenever the waiter sleeps. */
async function driven<T>(clock: ManualClock, run: Promise<T>, stepMs = 1000): Promise<T> {
  let done = false;
  const result = run.finally(() => {
    done = true;
  });
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(stepMs);
  }
  return result;
}

const sequence = <V>(...results: Array<WaitCheckResult<V>>) => {
  let index = 0;
  return async () => results[Math.min(index++, results.length - 1)]!;
};

describe('waitFor', () => {
  it('SUCCESS with the value after some retries', async () => {
    const clock = new ManualClock();
    const result = await driven(
      clock,
      waitFor({
        clock,
        minDelayMs: 1000,
        maxDelayMs: 4000,
        maxWaitMs: 60_000,
        check: sequence<string>(
          { state: 'retry', reason: 'PENDING' },
          { state: 'retry' },
          { state: 'success', value: 'joined' },
        ),
      }),
    );
    expect(result).toMatchObject({ state: 'SUCCESS', value: 'joined', attempts: 3 });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(2000);
  });

  it('FAILURE with the reason', async () => {
    const result = await waitFor({
      maxWaitMs: 1000,
      minDelayMs: 1,
      check: sequence({ state: 'retry' }, { state: 'failure', reason: 'quote mismatch' }),
    });
    expect(result).toMatchObject({ state: 'FAILURE', reason: 'quote mismatch', attempts: 2 });
  });

  it('TIMEOUT after maxWaitMs, with one last check at the deadline', async () => {
    const clock = new ManualClock();
    const checkedAt: number[] = [];
    const start = clock.now().getTime();
    const result = await driven(
      clock,
      waitFor({
        clock,
        minDelayMs: 2000,
        maxDelayMs: 2000,
        maxWaitMs: 5000,
        check: async () => {
          checkedAt.push(clock.now().getTime() - start);
          return { state: 'retry', reason: 'still PENDING' };
        },
      }),
      500,
    );
    expect(result).toMatchObject({ state: 'TIMEOUT', reason: 'still PENDING' });
    expect(checkedAt).toEqual([0, 2000, 4000, 5000]);
    expect(result.elapsedMs).toBe(5000);
  });

  it('ABORTED when the signal aborts during a sleep, at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const result = await waitFor({
      minDelayMs: 10_000,
      maxWaitMs: 60_000,
      signal: controller.signal,
      check: async () => ({ state: 'retry' }),
    });
    expect(result).toMatchObject({ state: 'ABORTED', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('ABORTED when the signal is already aborted, without checking', async () => {
    let checks = 0;
    const result = await waitFor({
      maxWaitMs: 1000,
      signal: AbortSignal.abort(),
      check: async () => {
        checks += 1;
        return { state: 'success' };
      },
    });
    expect(result).toMatchObject({ state: 'ABORTED', attempts: 0 });
    expect(checks).toBe(0);
  });

  it('passes on an error thrown by the check', async () => {
    await expect(
      waitFor({
        maxWaitMs: 1000,
        check: async () => {
          throw new Error('backend down');
        },
      }),
    ).rejects.toThrow('backend down');
  });

  it('sleeps between min and max (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 6 }),
        async (min, spread, retries) => {
          const clock = new ManualClock();
          const sleeps: number[] = [];
          const recording = {
            now: () => clock.now(),
            sleep: (ms: number) => {
              sleeps.push(ms);
              clock.advance(ms);
              return Promise.resolve();
            },
          };
          let checks = 0;
          await waitFor({
            clock: recording,
            minDelayMs: min,
            maxDelayMs: min + spread,
            maxWaitMs: 10_000_000,
            check: async () => (++checks > retries ? { state: 'success' } : { state: 'retry' }),
          });
          expect(sleeps).toHaveLength(retries);
          for (const ms of sleeps) {
            expect(ms).toBeGreaterThanOrEqual(min);
            expect(ms).toBeLessThanOrEqual(min + spread);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('waitForOrThrow', () => {
  it('returns the value on SUCCESS', async () => {
    expect(
      await waitForOrThrow({ what: 'x', maxWaitMs: 10, check: async () => ({ state: 'success', value: 42 }) }),
    ).toBe(42);
  });

  it('throws state, timeout and aborted errors', async () => {
    const failure = await waitForOrThrow({
      what: 'node n1 to join',
      backend: 'hil',
      maxWaitMs: 10,
      check: async () => ({ state: 'failure', reason: 'switch error' }),
    }).catch((error: unknown) => error);
    expect(OcxError.is(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'state', backend: 'hil' });
    expect((failure as OcxError).message).toContain('node n1 to join');
    expect((failure as OcxError).message).toContain('switch error');

    const timeout = await waitForOrThrow({
      what: 'x',
      maxWaitMs: 30,
      minDelayMs: 5,
      check: async () => ({ state: 'retry' }),
    }).catch((error: unknown) => error);
    expect(timeout).toMatchObject({ code: 'timeout', retryable: true });

    const aborted = await waitForOrThrow({
      what: 'x',
      maxWaitMs: 30,
      signal: AbortSignal.abort(),
      check: async () => ({ state: 'retry' }),
    }).catch((error: unknown) => error);
    expect(aborted).toMatchObject({ code: 'aborted' });
  });
});
