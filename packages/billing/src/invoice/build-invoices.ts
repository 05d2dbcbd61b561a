import { Decimal } from '@ocx/core';
import type { ProjectProfile } from '../directory/project-profile.js';
import { type Rounding, roundMoney } from '../money/rounding.js';
import type { BillingPeriod } from '../period/billing-period.js';
import { compareLines, lineIdOf } from '../rating/aggregate-lines.js';
import type { RatedLine } from '../rating/rated-line.js';
import { type Adjustment, fundingOf } from './adjustment.js';
import { type Invoice, type InvoiceStatus, type InvoiceTotals, invoiceIdOf } from './invoice.js';

/** Input of {@link buildInvoices}. */
export interface BuildInvoicesInput {
  period: BillingPeriod;
  /** Rated lines and corrections billed in this period. */
  lines: readonly RatedLine[];
  adjustments?: readonly Adjustment[];
  profiles?: ReadonlyMap<string, ProjectProfile>;
  rounding: Rounding;
  status: InvoiceStatus;
  finalizeAfter: string;
  finalizedAt?: string;
}

/**
 * Group a period's lines into one invoice per project and currency, then add discounts, credits
 * and (with invoice-level rounding) one rounding line per payee, so that every invoice total is
 * exactly the sum of its lines and every payee's share is a whole amount of the currency.
 */
export function buildInvoices(input: BuildInvoicesInput): Invoice[] {
  const groups = new Map<string, RatedLine[]>();
  for (const line of input.lines) {
    const id = invoiceIdOf(input.period.id, line.organization, line.project, line.currency);
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [line]);
    else group.push(line);
  }
  const invoices: Invoice[] = [];
  for (const id of [...groups.keys()].sort()) {
    const charges = groups.get(id)!.sort(compareLines);
    const first = charges[0]!;
    const adjustments = (input.adjustments ?? [])
      .filter(
        (adjustment) =>
          adjustment.organization === first.organization &&
          adjustment.project === first.project &&
          adjustment.period === input.period.id,
      )
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const discounts = adjustments
      .filter((adjustment) => adjustment.kind === 'discount')
      .flatMap((adjustment) => discountLines(adjustment, charges, input));
    const unappliedCredits: Invoice['unappliedCredits'] = [];
    const credits: RatedLine[] = [];
    for (const adjustment of adjustments.filter(
      (candidate) => candidate.kind === 'credit' && candidate.currency === first.currency,
    )) {
      const credit = creditLine(adjustment, [...charges, ...discounts, ...credits], input);
      if (credit.line !== undefined) credits.push(credit.line);
      if (!credit.unapplied.isZero())
        unappliedCredits.push({ adjustmentId: adjustment.id, amount: credit.unapplied.toString() });
    }
    const lines = [...charges, ...discounts, ...credits];
    if (input.rounding.level === 'invoice') lines.push(...roundingLines(lines, input));
    const profile = input.profiles?.get(first.project);
    invoices.push({
      id,
      period: input.period,
      organization: first.organization,
      project: first.project,
      currency: first.currency,
      mode: profile?.billingMode ?? 'chargeback',
      status: input.status,
      finalizeAfter: input.finalizeAfter,
      ...(input.finalizedAt === undefined ? {} : { finalizedAt: input.finalizedAt }),
      lines,
      totals: totalsOf(lines),
      priceListVersions: [
        ...new Set(
          lines
            .filter((line) => line.priceListId !== undefined)
            .map((line) => `${line.priceListId}@${line.priceListVersion}`),
        ),
      ].sort(),
      unappliedCredits,
    });
  }
  return invoices;
}

/** An invoice's totals, each exactly the sum of its kind of line. */
export function totalsOf(lines: readonly RatedLine[]): InvoiceTotals {
  const sum = (predicate: (line: RatedLine) => boolean) =>
    Decimal.sum(lines.filter(predicate).map((line) => line.amount)).toString();
  const isCharge = (line: RatedLine) =>
    line.category === 'usage' || line.category === 'allocation' || line.category === 'minimum';
  return {
    charges: sum((line) => isCharge(line) && line.correctionOf === undefined),
    corrections: sum((line) => isCharge(line) && line.correctionOf !== undefined),
    discounts: sum((line) => line.category === 'discount'),
    credits: sum((line) => line.category === 'credit'),
    rounding: sum((line) => line.category === 'rounding'),
    total: sum(() => true),
  };
}

function matches(adjustment: Adjustment, line: RatedLine): boolean {
  return (
    (adjustment.landlord === undefined || line.landlord === adjustment.landlord) &&
    (adjustment.service === undefined || line.service === adjustment.service)
  );
}

function adjustmentLine(
  adjustment: Adjustment,
  base: RatedLine,
  amount: Decimal,
  landlord: string | undefined,
  input: BuildInvoicesInput,
): RatedLine {
  const aggregationKey = [input.period.id, adjustment.kind, adjustment.id, base.currency, landlord ?? ''].join('|');
  return {
    lineId: lineIdOf(input.period.id, aggregationKey),
    period: input.period.id,
    category: adjustment.kind,
    window: { start: input.period.start, end: input.period.end },
    currency: base.currency,
    ...(landlord === undefined ? {} : { landlord }),
    ...(adjustment.service === undefined ? {} : { service: adjustment.service }),
    organization: base.organization,
    project: base.project,
    quantity: '1',
    pricingQuantity: '1',
    pricingUnit: adjustment.kind,
    unitPrice: amount.toString(),
    amount: amount.toString(),
    fundedBy: fundingOf(adjustment),
    aggregationKey,
    sources: 0,
    description: adjustment.description,
  };
}

/** A discount takes its percentage off each landlord's matching charges, as one line per landlord. */
function discountLines(adjustment: Adjustment, charges: readonly RatedLine[], input: BuildInvoicesInput): RatedLine[] {
  const bases = new Map<string, Decimal>();
  for (const line of charges) {
    if (!matches(adjustment, line)) continue;
    const landlord = line.landlord ?? '';
    bases.set(landlord, (bases.get(landlord) ?? Decimal.ZERO).add(line.amount));
  }
  const lines: RatedLine[] = [];
  for (const landlord of [...bases.keys()].sort()) {
    // base × percent / 100 with two more digits than the product: exact, never rounded here.
    const product = bases.get(landlord)!.multiply(adjustment.percent!);
    const exact = product.divide('100', product.scale + 2);
    const amount = input.rounding.level === 'line' ? roundMoney(exact, input.rounding) : exact;
    if (amount.isZero()) continue;
    lines.push(adjustmentLine(adjustment, charges[0]!, amount.negate(), landlord === '' ? undefined : landlord, input));
  }
  return lines;
}

/** A credit applies up to what the matching lines come to, never making them negative. */
function creditLine(
  adjustment: Adjustment,
  lines: readonly RatedLine[],
  input: BuildInvoicesInput,
): { line?: RatedLine; unapplied: Decimal } {
  const available = Decimal.sum(lines.filter((line) => matches(adjustment, line)).map((line) => line.amount)).max(
    Decimal.ZERO,
  );
  // Per-line rounding bills whole currency units only: a credit never gives more than was granted.
  const granted = Decimal.from(adjustment.amount!);
  const requested = input.rounding.level === 'line' ? granted.round(input.rounding.scale, 'down') : granted;
  const applied = requested.min(available);
  const unapplied = granted.subtract(applied);
  if (applied.isZero()) return { unapplied };
  return { line: adjustmentLine(adjustment, lines[0]!, applied.negate(), adjustment.landlord, input), unapplied };
}

/** One rounding line per payee (each landlord, and the exchange) whose exact share is not a whole amount. */
function roundingLines(lines: readonly RatedLine[], input: BuildInvoicesInput): RatedLine[] {
  const shares = new Map<string, { exact: Decimal; sample: RatedLine }>();
  for (const line of lines) {
    const payee = line.fundedBy === 'exchange' ? '' : (line.landlord ?? '');
    const share = shares.get(payee);
    shares.set(payee, { exact: (share?.exact ?? Decimal.ZERO).add(line.amount), sample: share?.sample ?? line });
  }
  const rounding: RatedLine[] = [];
  for (const payee of [...shares.keys()].sort()) {
    const { exact, sample } = shares.get(payee)!;
    const difference = roundMoney(exact, input.rounding).subtract(exact);
    if (difference.isZero()) continue;
    const aggregationKey = [
      input.period.id,
      'rounding',
      sample.currency,
      sample.organization,
      sample.project,
      payee,
    ].join('|');
    rounding.push({
      lineId: lineIdOf(input.period.id, aggregationKey),
      period: input.period.id,
      category: 'rounding',
      window: { start: input.period.start, end: input.period.end },
      currency: sample.currency,
      ...(payee === '' ? {} : { landlord: payee }),
      organization: sample.organization,
      project: sample.project,
      quantity: '1',
      pricingQuantity: '1',
      pricingUnit: 'rounding',
      unitPrice: difference.toString(),
      amount: difference.toString(),
      fundedBy: payee === '' ? 'exchange' : 'landlord',
      aggregationKey,
      sources: 0,
      description: `Rounding to ${input.rounding.scale} decimal places (${input.rounding.mode})`,
    });
  }
  return rounding;
}
