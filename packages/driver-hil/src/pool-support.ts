import { type CallOptions, type Clock, OcxError, parseWith } from '@ocx/core';
import type { z } from 'zod';
import type { HilClient } from './client/hil-client.js';
import { HIL_BACKEND } from './client/hil-transport.js';

/** A step of the pool's work, reported to `onProgress` (for demos and portals). */
export interface HilProgressEvent {
  node: string;
  step:
    | 'allocated'
    | 'network-attached'
    | 'network-detached'
    | 'powered'
    | 'boot-device-set'
    | 'release-started'
    | 'release-powered-off'
    | 'release-obm-disabled'
    | 'released';
  project?: string;
  network?: string;
  nic?: string;
  detail?: string;
}

/** What the pool's parts share. */
export interface PoolContext {
  client: HilClient;
  clock: Clock;
  /** The maintenance project when HIL runs a maintenance pool. */
  maintenanceProject: string | undefined;
  powerCycleForce: boolean;
  /** Wait between checks while release waits for someone else's pending action. */
  releasePollMs: number;
  /** Give up a release that is still blocked after this long. */
  releaseWaitMs: number;
  progress(event: HilProgressEvent): void;
  /**
   * What this pool last knew of each node's OBM: false right after `allocate` (HIL only lets a
   * node leave a project with OBM off, so every free node has it off), true once enabled. Only a
   * hint that saves a round trip: a stale one costs a 409 and a retry, nothing more.
   */
  obmHints: Map<string, boolean>;
}

/** Parse a capability call's input, naming the bad field. */
export function checkPoolInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  operation: string,
): z.output<Schema> {
  return parseWith(schema, input, { what: `input of ${operation}`, operation });
}

/** Refuse a call whose signal is already aborted, before anything is sent. */
export function checkSignal(options: CallOptions | undefined, operation: string): void {
  if (options?.signal?.aborted) {
    throw new OcxError({
      code: 'aborted',
      backend: HIL_BACKEND,
      operation,
      message: `${HIL_BACKEND}: ${operation} was aborted before it started`,
      cause: options.signal.reason,
    });
  }
}

/** True for an `OcxError` with this code (and, when given, HIL error type). */
export function isHilError(error: unknown, code: OcxError['code'], backendErrorType?: string): error is OcxError {
  return (
    OcxError.is(error) &&
    error.code === code &&
    (backendErrorType === undefined || error.backendErrorType === backendErrorType)
  );
}

/**
 * Run a power or boot call with OBM enabled. HIL answers 409 while a node's OBM is disabled: when
 * the pool knows it is off, enable it first; otherwise try, and on a conflict enable OBM
 * (idempotent) and run the call once more.
 */
export async function withObm<T>(
  context: PoolContext,
  node: string,
  options: CallOptions | undefined,
  run: () => Promise<T>,
): Promise<T> {
  const enable = async (): Promise<void> => {
    await context.client.obm.enable(node, options);
    context.obmHints.set(node, true);
  };
  if (context.obmHints.get(node) === false) {
    await enable();
    return run();
  }
  try {
    return await run();
  } catch (error) {
    if (!isHilError(error, 'conflict')) throw error;
    await enable();
    return run();
  }
}
