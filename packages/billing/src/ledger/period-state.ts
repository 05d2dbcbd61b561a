import type { Store } from '@ocx/core';
import { billingPeriod, nextBillingPeriod } from '../period/billing-period.js';
import { COLLECTIONS } from './storage-keys.js';

/** A period's state in the ledger: open (drafts change) until finalized (never changes again). */
export interface PeriodState {
  id: string;
  status: 'open' | 'finalized';
  finalizedAt?: string;
  /** Bumped by every write that changes what the period bills, so finalization can detect a race. */
  revision: number;
}

/** A store read of a period's state, with the store version to write it back conditionally. */
export interface PeriodRead {
  state: PeriodState;
  /** 0 when the period has no document yet. */
  version: number;
}

/** Read a period's state; an unknown period is open. */
export async function readPeriod(store: Store, id: string): Promise<PeriodRead> {
  billingPeriod(id);
  const item = await store.get<PeriodState>(COLLECTIONS.periods, id);
  return item === undefined
    ? { state: { id, status: 'open', revision: 0 }, version: 0 }
    : { state: item.value, version: item.version };
}

/**
 * The period that bills usage of `period`: itself while open; once finalized, the first later
 * period still open, where the usage becomes correction lines.
 */
export async function billingTarget(store: Store, period: string, cache: Map<string, PeriodRead>): Promise<PeriodRead> {
  let id = period;
  for (;;) {
    let read = cache.get(id);
    if (read === undefined) {
      read = await readPeriod(store, id);
      cache.set(id, read);
    }
    if (read.state.status === 'open') return read;
    id = nextBillingPeriod(id).id;
  }
}
