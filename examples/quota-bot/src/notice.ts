import type { Principal } from '@ocx/core';

/** The principal every action of the bot is audited under. */
export const QUOTA_BOT_PRINCIPAL: Principal = Object.freeze({ kind: 'system', id: 'quota-bot' }) as Principal;

/** How close a value is to its limit: at or above the warning threshold (`near`), or at or above the limit (`over`). */
export type NoticeLevel = 'near' | 'over';

/** A project uses `percent` of a quota in one landlord's service. */
export interface QuotaNotice {
  kind: 'quota';
  level: NoticeLevel;
  project: string;
  landlord: string;
  service: string;
  resource: string;
  inUse: string;
  limit: string;
  /** `inUse` as a percentage of `limit`, one decimal; null when the limit is zero. */
  percent: string | null;
  time: string;
}

/** A project has spent `percent` of its spend limit in the current billing month. */
export interface SpendNotice {
  kind: 'spend';
  level: NoticeLevel;
  project: string;
  /** Exact sum of quantity × unit price over the project's priced usage this month. */
  spent: string;
  limit: string;
  currency: string;
  percent: string | null;
  /** The billing month, half-open `[start, end)` in UTC. */
  period: { start: string; end: string };
  /** `landlord/service/metric` of usage that had no price in `currency`, so is not in `spent`. */
  unpriced: string[];
  time: string;
}

/** What the bot did about idle resources. */
export type IdleAction = 'warned' | 'shrunk' | 'destroyed' | 'failed';

/** An enclave, or some of its nodes, had no usage for the policy's `idle.after` hours. */
export interface IdleNotice {
  kind: 'idle';
  project: string;
  enclave: string;
  /** `enclave`: the whole enclave was idle; `nodes`: only the listed nodes were. */
  scope: 'enclave' | 'nodes';
  action: IdleAction;
  /** The idle nodes the notice is about (for `shrunk`: the nodes released). */
  nodes: string[];
  /** The last activity seen (usage record end, node transition or creation). */
  lastActivity: string;
  /** Why the action failed (redacted), for `failed`. */
  error?: string;
  time: string;
}

/** Everything the bot tells its `notify` callback. */
export type QuotaBotNotice = QuotaNotice | SpendNotice | IdleNotice;
