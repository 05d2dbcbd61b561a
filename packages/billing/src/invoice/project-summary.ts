import { Decimal } from '@ocx/core';
import type { ProjectProfile } from '../directory/project-profile.js';
import type { AllocationInterval } from '../rating/usage-part.js';
import type { Invoice, InvoiceTotals } from './invoice.js';
import { SUMMARY_SECTIONS, type SummarySectionId, sectionOf } from './resource-sections.js';
import { type RollupRow, rollup } from './rollup.js';

/** The users-table row of what no user is named on; the rows then add up to the invoice total. */
export const UNATTRIBUTED_USER = '(no user)';

/** One resource's row in a bill section: quantities per metric and its cost. */
export interface SummaryRow {
  resource: { id: string; type: string; name?: string };
  landlord: string;
  quantities: Record<string, string>;
  amount: string;
}

/** One section of the bill (virtual machines, volumes, …): its metrics (columns), rows and cost. */
export interface SummarySection {
  id: SummarySectionId;
  title: string;
  metrics: Array<{ metric: string; unit: string }>;
  rows: SummaryRow[];
  amount: string;
}

/**
 * The seed's one-page project summary bill, as data: who (project, sponsoring organization, lead),
 * what (per-VM compute and memory, containers, storage, volumes, floating IPs, quota periods),
 * who used it (users), and what it costs (totals, and cost by service, landlord and day).
 */
export interface ProjectSummary {
  invoiceId: string;
  period: Invoice['period'];
  status: Invoice['status'];
  mode: Invoice['mode'];
  currency: string;
  project: { id: string; name?: string };
  organization: { id: string; name?: string };
  lead?: { name: string; email: string };
  sections: SummarySection[];
  quotaPeriods: Array<{
    landlord: string;
    service: string;
    resource: string;
    limit: string;
    start: string;
    end: string;
  }>;
  /** Per user, plus a {@link UNATTRIBUTED_USER} row for the rest: they add up to the total. */
  users: Array<{ id: string; name?: string; email?: string; amount: string }>;
  adjustments: Array<{ category: string; description: string; amount: string }>;
  totals: InvoiceTotals;
  byService: RollupRow[];
  byLandlord: RollupRow[];
  byDay: RollupRow[];
  priceListVersions: string[];
}

/**
 * Summarize an invoice as the one-page project bill.
 *
 * @example
 * ```ts
 * const summary = summarizeProject(invoice, { profile: await billing.projects.get(invoice.project) });
 * ```
 */
export function summarizeProject(
  invoice: Invoice,
  options: { profile?: ProjectProfile; allocations?: readonly AllocationInterval[] } = {},
): ProjectSummary {
  const { profile } = options;
  const rows = new Map<
    string,
    { section: SummarySectionId; row: SummaryRow; amount: Decimal; quantities: Map<string, Decimal> }
  >();
  const sectionMetrics = new Map<SummarySectionId, Map<string, string>>();
  for (const line of invoice.lines) {
    if (line.resource === undefined || line.landlord === undefined) continue;
    const section = sectionOf(line.resource.type, line.metric).id;
    const key = `${section}\u0000${line.landlord}\u0000${line.resource.id}`;
    let entry = rows.get(key);
    if (entry === undefined) {
      entry = {
        section,
        row: { resource: line.resource, landlord: line.landlord, quantities: {}, amount: '0' },
        amount: Decimal.ZERO,
        quantities: new Map(),
      };
      rows.set(key, entry);
    }
    entry.amount = entry.amount.add(line.amount);
    if (line.metric !== undefined) {
      entry.quantities.set(line.metric, (entry.quantities.get(line.metric) ?? Decimal.ZERO).add(line.quantity));
      const metrics = sectionMetrics.get(section) ?? new Map<string, string>();
      metrics.set(line.metric, line.unit ?? '');
      sectionMetrics.set(section, metrics);
    }
  }
  const sections: SummarySection[] = [];
  for (const definition of SUMMARY_SECTIONS) {
    const entries = [...rows.values()]
      .filter((entry) => entry.section === definition.id)
      .sort((a, b) => (a.row.resource.id < b.row.resource.id ? -1 : 1));
    if (entries.length === 0) continue;
    sections.push({
      id: definition.id,
      title: definition.title,
      metrics: [...(sectionMetrics.get(definition.id) ?? new Map<string, string>())]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([metric, unit]) => ({ metric, unit })),
      rows: entries.map((entry) => ({
        ...entry.row,
        quantities: Object.fromEntries(
          [...entry.quantities].map(([metric, quantity]) => [metric, quantity.toString()]),
        ),
        amount: entry.amount.toString(),
      })),
      amount: Decimal.sum(entries.map((entry) => entry.amount)).toString(),
    });
  }
  const people = new Map((profile?.users ?? []).map((user) => [user.id, user]));
  const users = rollup(
    invoice.lines.filter((line) => line.user !== undefined),
    'user',
  ).map((row) => {
    const person = people.get(row.key);
    return {
      id: row.key,
      ...(person?.name === undefined ? {} : { name: person.name }),
      ...(person?.email === undefined ? {} : { email: person.email }),
      amount: row.amount,
    };
  });
  // So that the users table adds up to the total: what no user is named on (bare metal, credits, rounding).
  const unattributed = Decimal.sum(invoice.lines.filter((line) => line.user === undefined).map((line) => line.amount));
  if (users.length > 0 && !unattributed.isZero())
    users.push({ id: UNATTRIBUTED_USER, amount: unattributed.toString() });
  return {
    invoiceId: invoice.id,
    period: invoice.period,
    status: invoice.status,
    mode: invoice.mode,
    currency: invoice.currency,
    project: { id: invoice.project, ...(profile?.name === undefined ? {} : { name: profile.name }) },
    organization: {
      id: invoice.organization,
      ...(profile?.organizationName === undefined ? {} : { name: profile.organizationName }),
    },
    ...(profile?.lead === undefined ? {} : { lead: profile.lead }),
    sections,
    quotaPeriods: (options.allocations ?? [])
      .filter((interval) => interval.project === invoice.project)
      .map((interval) => ({
        landlord: interval.landlord,
        service: interval.service,
        resource: interval.resource,
        limit: interval.limit,
        start: new Date(interval.startMs).toISOString(),
        end: new Date(interval.endMs).toISOString(),
      })),
    users,
    adjustments: invoice.lines
      .filter(
        (line) =>
          line.category === 'credit' ||
          line.category === 'discount' ||
          line.category === 'rounding' ||
          line.category === 'minimum',
      )
      .map((line) => ({
        category: line.category,
        description: line.description ?? line.category,
        amount: line.amount,
      })),
    totals: invoice.totals,
    byService: rollup(
      invoice.lines.filter((line) => line.service !== undefined),
      'service',
    ),
    byLandlord: rollup(invoice.lines, 'payee'),
    byDay: rollup(
      invoice.lines.filter((line) => line.category === 'usage' || line.category === 'allocation'),
      'day',
    ),
    priceListVersions: invoice.priceListVersions,
  };
}
