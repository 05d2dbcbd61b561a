import type { InstanceActionRow } from './instance-action-row.js';
import { ERROR_STATE, type InstanceBilling, NO_STATE } from './instance-billing-schema.js';

/** A stretch of time in which an instance was in a billed state, with the action row whose flavor applies. */
export interface BilledInterval {
  startMs: number;
  endMs: number;
  flavorRow: InstanceActionRow;
}

/** The billed intervals of one instance inside `[fromMs, toMs)`, and its last row before `toMs`. */
export interface InstanceTimeline {
  intervals: BilledInterval[];
  /** The last action before the window's end: its flavor is the instance's final flavor. */
  lastRow: InstanceActionRow | undefined;
}

/** The states a version bills: always `billedStates`, plus `stoppedStates` when `chargeStopped`. */
export function billedStatesOf(rules: InstanceBilling): ReadonlySet<string> {
  return new Set([...rules.billedStates, ...(rules.chargeStopped ? rules.stoppedStates : [])]);
}

function sameFlavor(a: InstanceActionRow, b: InstanceActionRow): boolean {
  return (
    a.flavor === b.flavor && a.vcpus === b.vcpus && a.ramMb === b.ramMb && a.gpus === b.gpus && a.gpuType === b.gpuType
  );
}

/**
 * Replay one instance's actions (sorted by time) through the state rules and keep the billed
 * intervals within `[fromMs, toMs)`. Actions at or after `toMs` don't count; the state at
 * `fromMs` comes from the actions before it. A failed action enters the error state, which
 * lasts until the next successful action that `rules.actions` lists; a terminal state ends the
 * timeline. With `flavorAttribution: 'split'` an interval also ends where the flavor changes.
 */
export function replayInstance(
  rows: readonly InstanceActionRow[],
  rules: InstanceBilling,
  billed: ReadonlySet<string>,
  terminal: ReadonlySet<string>,
  fromMs: number,
  toMs: number,
): InstanceTimeline {
  const intervals: BilledInterval[] = [];
  const split = rules.flavorAttribution === 'split';
  let state = NO_STATE;
  let since = Number.NEGATIVE_INFINITY;
  let flavorRow: InstanceActionRow | undefined;
  let lastRow: InstanceActionRow | undefined;
  let ended = false;
  const close = (endMs: number) => {
    const start = Math.max(since, fromMs);
    const end = Math.min(endMs, toMs);
    if (end > start && billed.has(state) && flavorRow !== undefined)
      intervals.push({ startMs: start, endMs: end, flavorRow });
  };
  for (const row of rows) {
    const at = row.timestamp.getTime();
    if (at >= toMs) break;
    lastRow = row;
    const next = row.result === 'error' ? ERROR_STATE : (rules.actions[row.event] ?? state);
    const flavorChanged = split && flavorRow !== undefined && !sameFlavor(flavorRow, row);
    if (flavorRow === undefined) flavorRow = row;
    if (next !== state || flavorChanged) {
      close(at);
      state = next;
      since = at;
      flavorRow = row;
    }
    if (terminal.has(state)) {
      ended = true;
      break;
    }
  }
  if (!ended) close(toMs);
  return { intervals, lastRow };
}
