import {
  OcxError,
  parseWith,
  redactingLogger,
  type StoreOperation,
  silentLogger,
  systemClock,
  TypedEmitter,
} from '@ocx/core';
import type { Billing } from './billing.js';
import type { BillingEvents } from './billing-events.js';
import { type BillingOptions, BillingOptionsSchema } from './billing-options.js';
import { type ProjectProfile, ProjectProfileSchema } from './directory/project-profile.js';
import { type Adjustment, AdjustmentSchema } from './invoice/adjustment.js';
import type { Invoice } from './invoice/invoice.js';
import { summarizeProject } from './invoice/project-summary.js';
import { ingestUsage } from './ledger/ingest-usage.js';
import {
  type InvoicingContext,
  invoicePeriod,
  loadPricingInputs,
  rateStoredPeriod,
} from './ledger/period-invoicing.js';
import { type PeriodState, readPeriod } from './ledger/period-state.js';
import { allocationIntervals, ingestQuotaHistory, quotaPeriods } from './ledger/quota-history.js';
import { COLLECTIONS } from './ledger/storage-keys.js';
import { billingPeriod } from './period/billing-period.js';
import { parsePriceList } from './price-list/load-price-list.js';
import { settle } from './settlement/settle.js';

const DAY_MS = 86_400_000;

/**
 * Create the billing system of an exchange.
 *
 * @example
 * ```ts
 * const billing = createBilling({ store: exchange.store, clock: exchange.clock, events: exchange.events,
 *   priceLists: [referencePriceList({ landlord: 'landlord-a' })], feePercent: '5', gracePeriodDays: 3 });
 * await billing.ingest(records);
 * const drafts = await billing.invoices.list('2026-11');
 * await billing.finalizeDue();
 * const settlement = await billing.settle('2026-11');
 * ```
 */
export function createBilling(options: BillingOptions): Billing {
  const config = parseWith(BillingOptionsSchema, options, { what: 'billing options' });
  const store = config.store;
  const clock = config.clock ?? systemClock;
  const logger = redactingLogger(config.logger ?? silentLogger);
  const events = new TypedEmitter<BillingEvents>(logger);
  const emit = <Name extends keyof BillingEvents>(name: Name, payload: BillingEvents[Name]): void => {
    events.emit(name, payload);
    config.events?.emit(name, payload);
  };
  const context: InvoicingContext = {
    store,
    configuredPriceLists: new Map(config.priceLists.map((list) => [list.landlord, list])),
    rounding: config.rounding,
    granularity: config.lineGranularity,
    gracePeriodMs: config.gracePeriodDays * DAY_MS,
  };

  /** Open a period for every month quota history spans up to now, so allocations are billed without usage. */
  const openQuotaPeriods = async (nowMs: number): Promise<void> => {
    const operations: StoreOperation[] = [];
    for (const id of await quotaPeriods(store, nowMs)) {
      if ((await store.get(COLLECTIONS.periods, id)) === undefined) {
        operations.push({
          type: 'put',
          collection: COLLECTIONS.periods,
          key: id,
          value: { id, status: 'open', revision: 0 },
          expectedVersion: 0,
        });
      }
    }
    if (operations.length > 0) await store.batch(operations);
  };

  const periods = async (): Promise<PeriodState[]> => {
    const states: PeriodState[] = [];
    for await (const { value } of store.list<PeriodState>(COLLECTIONS.periods)) states.push(value);
    return states;
  };

  const storedInvoices = async (period: string): Promise<Array<{ invoice: Invoice; version: number }>> => {
    const found: Array<{ invoice: Invoice; version: number }> = [];
    for await (const item of store.list<Invoice>(COLLECTIONS.invoices, { prefix: `${period}/` }))
      found.push({ invoice: item.value, version: item.version });
    return found;
  };

  /** Write a period's invoices in one batch with its state, conditional on nobody having changed the period since it was read. */
  const writeInvoices = async (
    period: string,
    next: PeriodState,
    expectedVersion: number,
    invoices: readonly Invoice[],
  ): Promise<void> => {
    const existing = await storedInvoices(period);
    const operations: StoreOperation[] = [];
    const fresh = new Set(invoices.map((invoice) => invoice.id));
    for (const { invoice, version } of existing) {
      if (invoice.status === 'finalized')
        throw new OcxError({
          code: 'internal',
          message: `Invoice ${invoice.id} is finalized and was about to be rewritten`,
        });
      if (!fresh.has(invoice.id))
        operations.push({
          type: 'delete',
          collection: COLLECTIONS.invoices,
          key: invoice.id,
          expectedVersion: version,
        });
    }
    const versions = new Map(existing.map(({ invoice, version }) => [invoice.id, version]));
    for (const invoice of invoices)
      operations.push({
        type: 'put',
        collection: COLLECTIONS.invoices,
        key: invoice.id,
        value: invoice,
        expectedVersion: versions.get(invoice.id) ?? 0,
      });
    operations.push({ type: 'put', collection: COLLECTIONS.periods, key: period, value: next, expectedVersion });
    await store.batch(operations);
  };

  const refreshPeriod = async (period: string): Promise<Invoice[]> => {
    const read = await readPeriod(store, period);
    if (read.state.status === 'finalized') return (await storedInvoices(period)).map(({ invoice }) => invoice);
    const { invoices } = await invoicePeriod(context, period, 'draft');
    // Reading the bills of a period nobody used must not create it.
    if (read.version === 0 && invoices.length === 0) return [];
    await writeInvoices(period, read.state, read.version, invoices);
    return invoices;
  };

  const refreshDrafts = async (period?: string): Promise<Invoice[]> => {
    if (period === undefined) await openQuotaPeriods(clock.now().getTime());
    const targets =
      period === undefined
        ? (await periods()).filter((state) => state.status === 'open').map((state) => state.id)
        : [billingPeriod(period).id];
    const invoices: Invoice[] = [];
    for (const target of targets) invoices.push(...(await refreshPeriod(target)));
    return invoices;
  };

  const rerateOpenPeriods = async (reason: string): Promise<void> => {
    const open = (await periods()).filter((state) => state.status === 'open').map((state) => state.id);
    for (const period of open) await refreshPeriod(period);
    if (open.length > 0) emit('billing.rerated', { periods: open, reason });
  };

  const finalizeDue = async (now: Date = clock.now()): Promise<Invoice[]> => {
    const finalized: Invoice[] = [];
    await openQuotaPeriods(now.getTime());
    const open = (await periods()).filter((state) => state.status === 'open').sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const state of open) {
      const period = billingPeriod(state.id);
      if (Date.parse(period.end) + context.gracePeriodMs > now.getTime()) break;
      const read = await readPeriod(store, state.id);
      if (read.state.status !== 'open') continue;
      const finalizedAt = now.toISOString();
      const { invoices, unrated } = await invoicePeriod(context, state.id, 'finalized', finalizedAt);
      if (unrated.length > 0)
        logger.warn('Finalizing a period with usage no price covers', { period: state.id, unrated: unrated.length });
      await writeInvoices(
        state.id,
        { ...read.state, status: 'finalized', finalizedAt, revision: read.state.revision + 1 },
        read.version,
        invoices,
      );
      for (const invoice of invoices) {
        emit('invoice.finalized', {
          invoiceId: invoice.id,
          period: invoice.period.id,
          organization: invoice.organization,
          project: invoice.project,
          currency: invoice.currency,
          mode: invoice.mode,
          total: invoice.totals.total,
          lines: invoice.lines.length,
        });
      }
      emit('billing.period-finalized', { period: state.id, invoices: invoices.length });
      finalized.push(...invoices);
    }
    return finalized;
  };

  return {
    store,
    clock,
    rounding: config.rounding,
    feePercent: config.feePercent,
    events,
    priceLists: {
      async put(input) {
        const list = parsePriceList(input);
        await store.put(COLLECTIONS.priceLists, list.landlord, list);
        await rerateOpenPeriods(`price list ${list.id} of ${list.landlord} changed`);
        return list;
      },
      async get(landlord) {
        return (await loadPricingInputs(context)).priceLists.get(landlord);
      },
      async list() {
        return [...(await loadPricingInputs(context)).priceLists.values()].sort((a, b) =>
          a.landlord < b.landlord ? -1 : 1,
        );
      },
    },
    projects: {
      async put(input) {
        const profile = parseWith(ProjectProfileSchema, input, { what: 'project profile' });
        await store.put(COLLECTIONS.projects, profile.id, profile);
        return profile;
      },
      async get(id) {
        return (await store.get<ProjectProfile>(COLLECTIONS.projects, id))?.value;
      },
    },
    adjustments: {
      async add(input) {
        const adjustment = parseWith(AdjustmentSchema, input, { what: 'adjustment' });
        const read = await readPeriod(store, adjustment.period);
        if (read.state.status === 'finalized') {
          throw new OcxError({
            code: 'state',
            message: `Period ${adjustment.period} is finalized; add the adjustment to an open period`,
            issues: [{ path: 'period', message: 'finalized periods never change' }],
            fault: 'client',
          });
        }
        await store.batch([
          {
            type: 'put',
            collection: COLLECTIONS.adjustments,
            key: `${adjustment.period}|${adjustment.id}`,
            value: adjustment,
            expectedVersion: 0,
          },
          {
            type: 'put',
            collection: COLLECTIONS.periods,
            key: adjustment.period,
            value: { ...read.state, revision: read.state.revision + 1 },
            expectedVersion: read.version,
          },
        ]);
        return adjustment;
      },
      async list(period) {
        const found: Adjustment[] = [];
        for await (const { value } of store.list<Adjustment>(COLLECTIONS.adjustments, {
          prefix: `${billingPeriod(period).id}|`,
        }))
          found.push(value);
        return found;
      },
    },
    async ingest(records) {
      const result = await ingestUsage(store, records);
      emit('billing.usage-ingested', result);
      return result;
    },
    ingestQuotaHistory: (quotas) => ingestQuotaHistory(store, quotas),
    async rate(period) {
      const inputs = await loadPricingInputs(context);
      return rateStoredPeriod(context, inputs, billingPeriod(period).id, (part) => part.lateFor === undefined);
    },
    invoices: {
      list: (period) => refreshPeriod(billingPeriod(period).id),
      async get(id) {
        return (await store.get<Invoice>(COLLECTIONS.invoices, id))?.value;
      },
    },
    async summarize(invoiceId) {
      const invoice = (await store.get<Invoice>(COLLECTIONS.invoices, invoiceId))?.value;
      if (invoice === undefined) {
        throw new OcxError({
          code: 'not-found',
          message: `No invoice ${invoiceId}: list the period's invoices first`,
          issues: [{ path: 'invoiceId', message: 'unknown invoice' }],
          fault: 'client',
        });
      }
      const inputs = await loadPricingInputs(context);
      const allocations = await allocationIntervals(
        store,
        Date.parse(invoice.period.start),
        Date.parse(invoice.period.end),
        inputs.profiles,
      );
      const profile = inputs.profiles.get(invoice.project);
      return summarizeProject(invoice, { ...(profile === undefined ? {} : { profile }), allocations });
    },
    refreshDrafts,
    finalizeDue,
    async settle(period) {
      const invoices = await refreshPeriod(billingPeriod(period).id);
      return settle({ period, invoices, feePercent: config.feePercent, rounding: config.rounding });
    },
    periods: async () => (await periods()).sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}
