import { type ExchangeEvents, OcxError, parseWith } from '@ocx/core';
import { billingMonth } from './billing-month.js';
import { type BotContext, type CheckReport, describeError, emptyReport } from './bot-context.js';
import { QUOTA_BOT_PRINCIPAL, type QuotaBotNotice, type QuotaNotice } from './notice.js';
import { NoticeMemory } from './notice-memory.js';
import { PriceTable } from './price-table.js';
import { projectSpend } from './project-spend.js';
import { type QuotaBotOptions, QuotaBotOptionsSchema } from './quota-bot-options.js';
import { type QuotaTarget, quotaTargets } from './quota-targets.js';
import { reclaimIdleEnclaves } from './reclaim-idle.js';
import { levelFor, percentOf } from './threshold.js';

/** A running quota bot; see {@link createQuotaBot}. */
export interface QuotaBot {
  /** Subscribe to the exchange's events and, with `intervalMs`, sweep on that period of the exchange's clock. */
  start(options?: { intervalMs?: number }): void;
  /** Unsubscribe, stop sweeping, and wait for work under way. */
  stop(): Promise<void>;
  /** Check everything now: quotas, spend limits, idle enclaves. */
  sweep(): Promise<CheckReport>;
  /** Check the quotas of every project (or one) in every service with a quota provider. */
  checkQuotas(project?: string): Promise<CheckReport>;
  /** Check the spend of every project with a spend limit (or one) in the current UTC month. */
  checkSpend(project?: string): Promise<CheckReport>;
  /** Apply the idle policy to every live enclave. Does nothing without `policy.idle`. */
  reclaimIdle(): Promise<CheckReport>;
  /** Resolves when the work that events started has finished. */
  settled(): Promise<void>;
}

/**
 * A bot built on the exchange's public API only: it listens to events (`usage.ingested`,
 * `quota.changed`, `quota.breached`, `enclave.node`, `subscription.changed`) and reads the usage
 * ledger; it warns a project nearing a quota or its monthly spend limit (once per rise), and
 * reclaims idle enclave nodes under the policy. Every notice and reclaim is in the audit log
 * under the principal `{ kind: 'system', id: 'quota-bot' }`. Work runs one task at a time, so
 * two events never reclaim the same enclave twice.
 *
 * @example
 * ```ts
 * const bot = createQuotaBot({
 *   exchange,
 *   policy: { warnAtPercent: 80, spendLimits: { genomics: '500' }, idle: { after: 24, action: 'release' } },
 *   notify: (notice) => console.log(notice.kind, notice.project, notice),
 * });
 * bot.start({ intervalMs: 15 * 60_000 });
 * ```
 */
export function createQuotaBot(options: QuotaBotOptions): QuotaBot {
  const { exchange, policy, notify } = parseWith(QuotaBotOptionsSchema, options, { what: 'quota bot options' });
  const memory = new NoticeMemory();
  const actor = QUOTA_BOT_PRINCIPAL;
  let queue: Promise<unknown> = Promise.resolve();
  let unsubscribers: Array<() => void> = [];
  let ticker: AbortController | undefined;
  let ticking: Promise<void> | undefined;
  let spendQueued = false;
  const quotaQueued = new Set<string>();

  /** Run tasks one after another; a failed task does not stop the next. */
  const run = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };
  const inBackground = (what: string, task: () => Promise<unknown>): void => {
    run(task).catch((error: unknown) =>
      exchange.logger.warn(`quota-bot: ${what} failed`, { error: describeError(error) }),
    );
  };
  const now = (): Date => exchange.clock.now();
  /** Note what could not be checked: in the report for callers, in the log for event-driven work. */
  const fail = (report: CheckReport, what: string, error: unknown): void => {
    const failure = { what, error: describeError(error) };
    report.failures.push(failure);
    exchange.logger.warn(`quota-bot: could not check ${what}`, { error: failure.error });
  };

  const send = async (
    notice: QuotaBotNotice,
    report: CheckReport,
    outcome: 'success' | 'failure' = 'success',
  ): Promise<void> => {
    report.notices.push(notice);
    await exchange.audit.record({
      actor,
      action: `quota-bot.${notice.kind}`,
      target: { type: 'project', id: notice.project },
      ...('landlord' in notice ? { landlord: notice.landlord } : {}),
      outcome,
      details: { ...notice },
    });
    try {
      await notify(notice);
    } catch (error) {
      exchange.logger.warn('quota-bot: notify failed', {
        kind: notice.kind,
        project: notice.project,
        error: describeError(error),
      });
    }
  };

  const context: BotContext = { exchange, memory, actor, now, send, fail };

  const quotaNotice = async (
    target: QuotaTarget,
    resource: string,
    inUse: string,
    limit: string,
    report: CheckReport,
  ): Promise<void> => {
    const level = levelFor(inUse, limit, policy.warnAtPercent);
    const key = `quota:${target.project}/${target.landlord}/${target.service}/${resource}`;
    if (!memory.observe(key, level) || level === 'ok') return;
    const notice: QuotaNotice = {
      kind: 'quota',
      level,
      ...target,
      resource,
      inUse,
      limit,
      percent: percentOf(inUse, limit),
      time: now().toISOString(),
    };
    await send(notice, report);
  };

  const checkTarget = async (target: QuotaTarget, report: CheckReport): Promise<void> => {
    try {
      const usage = await exchange.quotas.check(target, { actor });
      for (const item of usage) {
        if (item.limit === null || item.inUse === undefined) continue;
        await quotaNotice(target, item.resource, item.inUse, item.limit, report);
      }
    } catch (error) {
      // Memory is left as it was: a fault neither repeats nor clears a warning.
      fail(report, `quotas of ${target.project} in ${target.landlord}/${target.service}`, error);
    }
  };

  const checkQuotas = async (project?: string, only?: { landlord: string; service: string }): Promise<CheckReport> => {
    const report = emptyReport();
    for (const target of await quotaTargets(exchange, project)) {
      if (only !== undefined && (target.landlord !== only.landlord || target.service !== only.service)) continue;
      await checkTarget(target, report);
    }
    return report;
  };

  const checkSpend = async (project?: string): Promise<CheckReport> => {
    const report = emptyReport();
    const period = billingMonth(now());
    const prices = PriceTable.from(exchange.catalog.find(), policy.prices, policy.currency);
    for (const [id, limit] of Object.entries(policy.spendLimits).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (project !== undefined && id !== project) continue;
      try {
        const { spent, unpriced } = await projectSpend(exchange, id, period, prices);
        const level = levelFor(spent, limit, policy.warnAtPercent);
        if (!memory.observe(`spend:${id}/${period.start}`, level) || level === 'ok') continue;
        const time = now().toISOString();
        await send(
          {
            kind: 'spend',
            level,
            project: id,
            spent: spent.toString(),
            limit,
            currency: policy.currency,
            percent: percentOf(spent, limit),
            period,
            unpriced,
            time,
          },
          report,
        );
      } catch (error) {
        fail(report, `spend of ${id}`, error);
      }
    }
    return report;
  };

  const reclaimIdle = (): Promise<CheckReport> =>
    policy.idle === undefined ? Promise.resolve(emptyReport()) : reclaimIdleEnclaves(context, policy.idle);

  const sweep = async (): Promise<CheckReport> => {
    const reports = [await checkQuotas(), await checkSpend(), await reclaimIdle()];
    return {
      notices: reports.flatMap((report) => report.notices),
      failures: reports.flatMap((report) => report.failures),
    };
  };

  const queueQuotaCheck = (project: string, only?: { landlord: string; service: string }): void => {
    const key = only === undefined ? project : `${project}/${only.landlord}/${only.service}`;
    if (quotaQueued.has(key)) return;
    quotaQueued.add(key);
    inBackground(`quota check of ${key}`, () => {
      quotaQueued.delete(key);
      return checkQuotas(project, only);
    });
  };

  const listeners: { [Name in keyof ExchangeEvents]?: (payload: ExchangeEvents[Name]) => void } = {
    'quota.breached': ({ quota, inUse }) => {
      if (quota.scope.kind !== 'project' || quota.limit === null) return;
      const target = { project: quota.scope.id, landlord: quota.landlord, service: quota.service };
      inBackground('quota breach', () => quotaNotice(target, quota.resource, inUse, quota.limit!, emptyReport()));
    },
    'quota.changed': ({ quota }) => {
      if (quota.scope.kind === 'project')
        queueQuotaCheck(quota.scope.id, { landlord: quota.landlord, service: quota.service });
    },
    'usage.ingested': ({ inserted }) => {
      if (inserted === 0 || spendQueued || Object.keys(policy.spendLimits).length === 0) return;
      spendQueued = true;
      inBackground('spend check', () => {
        spendQueued = false;
        return checkSpend();
      });
    },
    'enclave.node': ({ project, to }) => {
      if (to === 'allocated' || to === 'joined' || to === 'released') queueQuotaCheck(project);
    },
    'subscription.changed': ({ project, landlord, service, status }) => {
      if (status === 'active') queueQuotaCheck(project, { landlord, service });
      else if (status === 'released' || status === 'purged' || status === 'failed' || status === 'denied')
        memory.forget(`quota:${project}/${landlord}/${service}/`);
    },
  };

  return {
    start(startOptions = {}) {
      if (unsubscribers.length > 0) return;
      unsubscribers = Object.entries(listeners).map(([name, listener]) =>
        exchange.events.on(name as keyof ExchangeEvents, listener as (payload: unknown) => void),
      );
      const intervalMs = startOptions.intervalMs;
      if (intervalMs === undefined) return;
      if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
        throw new OcxError({
          code: 'validation',
          message: 'intervalMs must be a positive whole number of milliseconds',
          issues: [{ path: 'intervalMs', message: 'must be a positive integer' }],
          fault: 'client',
        });
      }
      ticker = new AbortController();
      const signal = ticker.signal;
      ticking = (async () => {
        while (!signal.aborted) {
          // A fresh signal per round: a clock may leave its abort listener on the signal it was given.
          const round = new AbortController();
          const endRound = (): void => round.abort();
          signal.addEventListener('abort', endRound, { once: true });
          await exchange.clock.sleep(intervalMs, round.signal).catch(() => undefined);
          signal.removeEventListener('abort', endRound);
          if (signal.aborted) break;
          await run(sweep).catch((error: unknown) =>
            exchange.logger.warn('quota-bot: sweep failed', { error: describeError(error) }),
          );
        }
      })();
    },
    async stop() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      unsubscribers = [];
      ticker?.abort();
      await ticking;
      ticker = undefined;
      await queue;
    },
    sweep: () => run(sweep),
    checkQuotas: (project) => run(() => checkQuotas(project)),
    checkSpend: (project) => run(() => checkSpend(project)),
    reclaimIdle: () => run(reclaimIdle),
    async settled() {
      // Work may queue more work (a check emits quota.breached); wait until the queue stays put.
      let seen: Promise<unknown> | undefined;
      while (seen !== queue) {
        seen = queue;
        await seen;
      }
    },
  };
}
