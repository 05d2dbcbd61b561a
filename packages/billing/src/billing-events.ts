import type { UsageIngestResult } from './ledger/ingest-usage.js';

/**
 * Events of the billing ledger. They merge into core's `ExchangeEvents`, so passing
 * `exchange.events` to {@link createBilling} puts them on the exchange's one event bus.
 */
export interface BillingEvents {
  /** An invoice became final; it never changes again. */
  'invoice.finalized': {
    invoiceId: string;
    period: string;
    organization: string;
    project: string;
    currency: string;
    mode: 'chargeback' | 'showback';
    total: string;
    lines: number;
  };
  /** Every invoice of a period is final. */
  'billing.period-finalized': { period: string; invoices: number };
  'billing.usage-ingested': UsageIngestResult;
  /** Open periods were rated again (a price list or adjustment changed). */
  'billing.rerated': { periods: string[]; reason: string };
}

declare module '@ocx/core' {
  interface ExchangeEvents extends BillingEvents {}
}

/** Anything billing events can be emitted on, such as `exchange.events`. */
export interface BillingEventSink {
  emit<Name extends keyof BillingEvents>(name: Name, payload: BillingEvents[Name]): void;
}
