import { Decimal, DecimalStringSchema, OcxError, parseWith } from '@ocx/core';
import type { Invoice } from '../invoice/invoice.js';
import { dimensionOf, type RollupRow, rollup } from '../invoice/rollup.js';
import { type Rounding, roundMoney } from '../money/rounding.js';
import type { RatedLine } from '../rating/rated-line.js';

/** What one landlord earned in one period and currency, and the exchange's fee on it. */
export interface LandlordStatement {
  landlord: string;
  currency: string;
  /** The sum of every chargeback line the landlord is payee of (charges less its own discounts and credits). */
  gross: string;
  feePercent: string;
  fee: string;
  /** `gross − fee`: what the exchange owes the landlord. */
  net: string;
  byService: RollupRow[];
  invoices: number;
}

/** The exchange's side of one currency: its fees, less the credits and discounts it funds. */
export interface ExchangeStatement {
  currency: string;
  fees: string;
  funded: string;
  net: string;
}

/** A period's settlement: a statement per landlord, the exchange's, and the check that they add up. */
export interface Settlement {
  period: string;
  /** `final` when every invoice it reads is finalized; `provisional` while drafts remain. */
  status: 'final' | 'provisional';
  statements: LandlordStatement[];
  exchange: ExchangeStatement[];
  /** Per currency: chargeback invoice totals, and landlord gross + exchange-funded, which must be equal. */
  totals: Array<{ currency: string; invoiced: string; settled: string; balanced: boolean }>;
  /** Showback invoices are shown, not owed: their totals per currency, outside settlement. */
  showback: Array<{ currency: string; total: string }>;
}

/**
 * Settle a period: per landlord and currency, what it earned from chargeback invoices and the
 * exchange's fee (`feePercent` of it, rounded per statement). Every line has exactly one payee,
 * so landlord gross plus exchange-funded adjustments equals the invoice totals to the last digit,
 * and net + fee equals gross by construction; the check is computed and throws if it ever fails.
 *
 * @example
 * ```ts
 * const settlement = settle({ period: '2026-11', invoices, feePercent: '5', rounding });
 * ```
 */
export function settle(input: {
  period: string;
  invoices: readonly Invoice[];
  feePercent: string;
  rounding: Rounding;
}): Settlement {
  const feePercent = parseWith(DecimalStringSchema, input.feePercent, { what: 'fee percent', prefix: 'feePercent' });
  const chargeback = input.invoices.filter(
    (invoice) => invoice.period.id === input.period && invoice.mode === 'chargeback',
  );
  const byPayee = new Map<string, RatedLine[]>();
  const invoicesOf = new Map<string, Set<string>>();
  for (const invoice of chargeback) {
    for (const line of invoice.lines) {
      const key = `${dimensionOf(line, 'payee')}\u0000${line.currency}`;
      const ids = invoicesOf.get(key) ?? new Set<string>();
      ids.add(invoice.id);
      invoicesOf.set(key, ids);
      const lines = byPayee.get(key);
      if (lines === undefined) byPayee.set(key, [line]);
      else lines.push(line);
    }
  }
  const statements: LandlordStatement[] = [];
  const exchangeFunded = new Map<string, Decimal>();
  for (const key of [...byPayee.keys()].sort()) {
    const [payee, currency] = key.split('\u0000') as [string, string];
    const lines = byPayee.get(key)!;
    const gross = Decimal.sum(lines.map((line) => line.amount));
    if (payee === 'exchange') {
      exchangeFunded.set(currency, gross);
      continue;
    }
    const fee = roundMoney(
      gross.multiply(feePercent).divide('100', gross.scale + Decimal.from(feePercent).scale + 2),
      input.rounding,
    );
    statements.push({
      landlord: payee,
      currency,
      gross: gross.toString(),
      feePercent,
      fee: fee.toString(),
      net: gross.subtract(fee).toString(),
      byService: rollup(lines, 'service'),
      invoices: invoicesOf.get(key)?.size ?? 0,
    });
  }
  const currencies = [
    ...new Set([
      ...chargeback.map((invoice) => invoice.currency),
      ...statements.map((statement) => statement.currency),
    ]),
  ].sort();
  const exchange = currencies.map((currency) => {
    const fees = Decimal.sum(
      statements.filter((statement) => statement.currency === currency).map((statement) => statement.fee),
    );
    const funded = exchangeFunded.get(currency) ?? Decimal.ZERO;
    return { currency, fees: fees.toString(), funded: funded.toString(), net: fees.add(funded).toString() };
  });
  const totals = currencies.map((currency) => {
    const invoiced = Decimal.sum(
      chargeback.filter((invoice) => invoice.currency === currency).map((invoice) => invoice.totals.total),
    );
    const settled = Decimal.sum(
      statements.filter((statement) => statement.currency === currency).map((statement) => statement.gross),
    ).add(exchangeFunded.get(currency) ?? Decimal.ZERO);
    return { currency, invoiced: invoiced.toString(), settled: settled.toString(), balanced: invoiced.equals(settled) };
  });
  const unbalanced = totals.find((total) => !total.balanced);
  if (unbalanced !== undefined) {
    // Unreachable unless an invoice's total is not the sum of its lines: a corrupted invoice.
    throw new OcxError({
      code: 'internal',
      message: `Settlement of ${input.period} does not balance in ${unbalanced.currency}: invoiced ${unbalanced.invoiced}, settled ${unbalanced.settled}`,
    });
  }
  const showbackCurrencies = [
    ...new Set(input.invoices.filter((invoice) => invoice.mode === 'showback').map((invoice) => invoice.currency)),
  ].sort();
  return {
    period: input.period,
    status: chargeback.every((invoice) => invoice.status === 'finalized') ? 'final' : 'provisional',
    statements,
    exchange,
    totals,
    showback: showbackCurrencies.map((currency) => ({
      currency,
      total: Decimal.sum(
        input.invoices
          .filter((invoice) => invoice.mode === 'showback' && invoice.currency === currency)
          .map((invoice) => invoice.totals.total),
      ).toString(),
    })),
  };
}
