import { OcxError } from '../errors/ocx-error.js';
import { type Clock, systemClock } from '../runtime/clock.js';
import { backoffDelay } from './retry-policy.js';

/** What one check of a waiter found. */
export interface WaitCheckResult<Value> {
  /** `success` and `failure` end the wait; `retry` checks again after a backoff delay. */
  state: 'success' | 'failure' | 'retry';
  value?: Value;
  /** Why it failed or is not done yet, for the result and errors. */
  reason?: string;
}

/** Options of {@link waitFor}. */
export interface WaitForOptions<Value> {
  /** Look once at the thing waited for. `attempt` counts from 1. An error thrown here ends the wait. */
  check(attempt: number, signal: AbortSignal | undefined): Promise<WaitCheckResult<Value>>;
  /** Shortest wait between checks. Default 1000. */
  minDelayMs?: number;
  /** Longest wait between checks. Default 30000. */
  maxDelayMs?: number;
  /** Give up (TIMEOUT) when this much time has passed. */
  maxWaitMs: number;
  signal?: AbortSignal;
  /** Whose time the waiter measures and sleeps on. Default: the system clock. */
  clock?: Clock;
}

/** How a wait ended. */
export interface WaitResult<Value> {
  state: 'SUCCESS' | 'FAILURE' | 'TIMEOUT' | 'ABORTED';
  value?: Value;
  reason?: string;
  /** Checks made. */
  attempts: number;
  elapsedMs: number;
}

/**
 * Wait for a slow change (a HIL networking action, an attestation) by checking, backing off
 * between `minDelayMs` and `maxDelayMs` (exponential, with jitter), until the check says success
 * or failure, `maxWaitMs` passes (one last check is made at the deadline), or the signal aborts.
 * It never throws for these outcomes; see {@link waitForOrThrow} for that.
 *
 * @example
 * ```ts
 * const result = await waitFor({
 *   maxWaitMs: 300_000,
 *   check: async () => {
 *     const { data } = await hil.get(`/status/${id}`, { schema: statusSchema });
 *     return data.status === 'DONE' ? { state: 'success' } : data.status === 'ERROR' ? { state: 'failure', reason: data.msg } : { state: 'retry' };
 *   },
 * });
 * if (result.state !== 'SUCCESS') …
 * ```
 */
export async function waitFor<Value>(options: WaitForOptions<Value>): Promise<WaitResult<Value>> {
  const minDelayMs = options.minDelayMs ?? 1000;
  const maxDelayMs = Math.max(options.maxDelayMs ?? 30_000, minDelayMs);
  if (!(options.maxWaitMs >= 0) || !(minDelayMs >= 0)) {
    throw new OcxError({
      code: 'validation',
      fault: 'client',
      message: 'waitFor: maxWaitMs and minDelayMs must be ≥ 0',
    });
  }
  const clock = options.clock ?? systemClock;
  const { signal } = options;
  const started = clock.now().getTime();
  const elapsed = (): number => clock.now().getTime() - started;
  let reason: string | undefined;

  for (let attempt = 1; ; attempt += 1) {
    if (signal?.aborted) return { state: 'ABORTED', reason, attempts: attempt - 1, elapsedMs: elapsed() };
    let result: WaitCheckResult<Value>;
    try {
      result = await options.check(attempt, signal);
    } catch (error) {
      if (signal?.aborted) return { state: 'ABORTED', reason, attempts: attempt, elapsedMs: elapsed() };
      throw error;
    }
    reason = result.reason ?? reason;
    if (result.state === 'success') {
      return { state: 'SUCCESS', value: result.value, reason: result.reason, attempts: attempt, elapsedMs: elapsed() };
    }
    if (result.state === 'failure') {
      return { state: 'FAILURE', value: result.value, reason, attempts: attempt, elapsedMs: elapsed() };
    }
    const remaining = options.maxWaitMs - elapsed();
    if (remaining <= 0)
      return { state: 'TIMEOUT', value: result.value, reason, attempts: attempt, elapsedMs: elapsed() };
    try {
      await clock.sleep(Math.min(backoffDelay(attempt, minDelayMs, maxDelayMs), remaining), signal);
    } catch (error) {
      if (signal?.aborted) return { state: 'ABORTED', reason, attempts: attempt, elapsedMs: elapsed() };
      throw error;
    }
  }
}

/** Options of {@link waitForOrThrow}: those of {@link waitFor} and names for the error. */
export interface WaitForOrThrowOptions<Value> extends WaitForOptions<Value> {
  /** What is waited for, e.g. `node n1 to join network n2`. */
  what: string;
  backend?: string;
  operation?: string;
}

/**
 * {@link waitFor}, resolving with the value on SUCCESS and throwing an `OcxError` otherwise:
 * FAILURE → `state`, TIMEOUT → `timeout`, ABORTED → `aborted`.
 *
 * @example
 * ```ts
 * await waitForOrThrow({ what: `attestation of ${agentId}`, maxWaitMs: 120_000, check: checkAttestation });
 * ```
 */
export async function waitForOrThrow<Value>(options: WaitForOrThrowOptions<Value>): Promise<Value | undefined> {
  const result = await waitFor(options);
  const context = { backend: options.backend, operation: options.operation };
  const because = result.reason === undefined ? '' : `: ${result.reason}`;
  switch (result.state) {
    case 'SUCCESS':
      return result.value;
    case 'FAILURE':
      throw new OcxError({
        ...context,
        code: 'state',
        message: `Waiting for ${options.what} failed after ${result.attempts} checks${because}`,
      });
    case 'TIMEOUT':
      throw new OcxError({
        ...context,
        code: 'timeout',
        retryable: true,
        message: `Waiting for ${options.what} timed out after ${result.elapsedMs} ms and ${result.attempts} checks${because}`,
      });
    case 'ABORTED':
      throw new OcxError({
        ...context,
        code: 'aborted',
        message: `Waiting for ${options.what} was aborted after ${result.attempts} checks`,
        cause: options.signal?.reason,
      });
  }
}
