import { type Exchange, OcxError, type Principal, redactText } from '@ocx/core';
import type { QuotaBotNotice } from './notice.js';
import type { NoticeMemory } from './notice-memory.js';

/** What one check did: the notices it sent, and what it could not check (a backend fault), which it will try again. */
export interface CheckReport {
  notices: QuotaBotNotice[];
  failures: Array<{ what: string; error: string }>;
}

/** An empty {@link CheckReport}. */
export function emptyReport(): CheckReport {
  return { notices: [], failures: [] };
}

/** What the bot's checks share: the exchange, the memory of what was told, and how to tell and fail. */
export interface BotContext {
  exchange: Exchange;
  memory: NoticeMemory;
  actor: Principal;
  now(): Date;
  /** Audit the notice under the bot's principal, add it to the report, and hand it to `notify`. */
  send(notice: QuotaBotNotice, report: CheckReport, outcome?: 'success' | 'failure'): Promise<void>;
  /** Record what could not be checked, in the report and the log. */
  fail(report: CheckReport, what: string, error: unknown): void;
}

/** An error as one redacted line: code and message for an `OcxError`, the message otherwise. */
export function describeError(error: unknown): string {
  return redactText(
    OcxError.is(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error),
  );
}
