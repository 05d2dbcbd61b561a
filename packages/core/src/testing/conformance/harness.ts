import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcxError, type OcxErrorCode } from '../../errors/ocx-error.js';
import type { Driver } from '../../spec/driver.js';

/** What a conformance suite's `setup` returns: the driver under test and how to clean up. */
export interface ConformanceSubject {
  driver: Driver;
  teardown?: () => void | Promise<void>;
}

/** Options shared by every driver conformance suite. */
export interface ConformanceOptions {
  /** Shown in the suite's title, e.g. `hil (simulator)`. */
  name?: string;
  /** Make a fresh driver (and backend) for the suite. Called once, before the first case. */
  setup: () => ConformanceSubject | Promise<ConformanceSubject>;
  /** Per-case timeout (default 30 s). */
  timeoutMs?: number;
}

/** A case's body gets the suite's context once setup has run. */
type CaseBody<Context> = (context: Context) => void | Promise<void>;

/** Register a case; `skipUnless` returns a reason to skip, or undefined to run. */
export type AddCase<Context> = (
  name: string,
  body: CaseBody<Context>,
  options?: { skipUnless?: (context: Context) => string | undefined },
) => void;

/**
 * Define a suite whose cases run in order against one context, where each skip carries its
 * reason and the suite fails if it ran nothing (a driver that declares no such capability
 * cannot pass by skipping everything).
 */
export function defineConformanceSuite<Context>(
  title: string,
  options: {
    setup: () => Context | Promise<Context>;
    teardown?: (context: Context) => void | Promise<void>;
    /** A reason that skips every case (e.g. the capability is not declared). */
    gate?: (context: Context) => string | undefined;
    timeoutMs?: number;
  },
  register: (add: AddCase<Context>) => void,
): void {
  const timeout = options.timeoutMs ?? 30_000;
  describe(title, () => {
    let context: Context | undefined;
    let gateReason: string | undefined;
    let ran = 0;
    /** The first case that failed: the cases share one driver, so later failures may follow from it. */
    let firstFailure: string | undefined;
    beforeAll(async () => {
      context = await options.setup();
      gateReason = options.gate?.(context);
    }, timeout);
    afterAll(async () => {
      if (context !== undefined) await options.teardown?.(context);
    }, timeout);

    register((name, body, caseOptions) => {
      it(
        name,
        async (test) => {
          if (context === undefined) throw new Error('conformance setup did not complete');
          const reason = gateReason ?? caseOptions?.skipUnless?.(context);
          if (reason !== undefined) {
            test.skip(reason);
            return;
          }
          ran += 1;
          try {
            await body(context);
          } catch (error) {
            if (firstFailure === undefined) {
              firstFailure = name;
              throw error;
            }
            throw followingFailure(error, firstFailure);
          }
        },
        timeout,
      );
    });

    it('ran at least one case (a suite that ran nothing fails)', () => {
      expect(
        ran,
        gateReason === undefined ? 'every case was skipped' : `every case was skipped: ${gateReason}`,
      ).toBeGreaterThan(0);
    });
  });
}

/**
 * A later case's failure, marked as possibly caused by the first one: the cases of a suite run in
 * order on one driver, so a driver left in a bad state by one case can fail the next.
 */
function followingFailure(error: unknown, first: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const marked = new Error(
    `${message}\n\n(The earlier case "${first}" failed first. The cases of this suite share one driver, ` +
      'so this failure may follow from that one: fix it first.)',
    { cause: error },
  );
  if (error instanceof Error && error.stack !== undefined)
    marked.stack = `${marked.message}\n${error.stack.split('\n').slice(1).join('\n')}`;
  return marked;
}

/** What a driver must do to answer with each code, for failure messages. */
const WHAT_TO_DO: Partial<Record<OcxErrorCode, string>> = {
  validation:
    "validate input with the capability's schema (exported by @ocx/core) before calling the backend, and throw an OcxError with code 'validation' naming the field; a backend's own 400 maps to 'http'",
  'not-found': "map the backend's 404 (or its 'no such object' error) to an OcxError with code 'not-found'",
  conflict: "map the backend's 409 (or its 'already exists / in use' error) to an OcxError with code 'conflict'",
  aborted: "pass the call's AbortSignal to every request and stop when it is aborted",
};

/** Assert that a promise rejects with an `OcxError` of one of the given codes. */
export async function expectOcxError(promise: Promise<unknown>, codes: readonly OcxErrorCode[]): Promise<OcxError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  const todo = codes
    .map((code) => WHAT_TO_DO[code])
    .filter((text) => text !== undefined)
    .join('; ');
  const hint = todo === '' ? '' : ` — the driver must ${todo}`;
  expect(caught, `expected the call to reject with ${codes.join(' or ')}${hint}`).toBeDefined();
  expect(OcxError.is(caught), `expected an OcxError (${codes.join(' or ')}), got ${String(caught)}${hint}`).toBe(true);
  const error = caught as OcxError;
  expect(codes, `unexpected error code ${error.code}: ${error.message}${hint}`).toContain(error.code);
  return error;
}

/** A signal that is already aborted. */
export function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('aborted by the conformance suite'));
  return controller.signal;
}

/** A fresh, unique, backend-friendly name for this run (letters, digits, dashes). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Reason to skip when a driver lacks a capability. */
export function missingCapability(driver: Driver, capability: string): string | undefined {
  return (driver.capabilities as Record<string, unknown>)[capability] === undefined
    ? `driver "${driver.name}" does not declare the ${capability} capability`
    : undefined;
}
