import type { CallOptions, TimeWindow } from '../primitives.js';
import type { UsageRecordInput } from '../usage-record.js';

/**
 * A source of usage. `collect` yields the records of one half-open window; collecting the same
 * window twice yields records with the same `source` + `id`, so ingestion stays idempotent.
 */
export interface Meter {
  /** Unique within the driver, e.g. `compute`. */
  readonly name: string;
  /** The metrics this meter produces, e.g. `vcpu-hours`. */
  readonly metrics: readonly string[];
  collect(window: TimeWindow, options?: CallOptions): AsyncIterable<UsageRecordInput>;
}
