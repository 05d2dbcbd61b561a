import { type Billing, type BillingPeriod, billingPeriod, billingPeriodOf, type ProjectSummary } from '@ocx/billing';
import type { Exchange, Project, UsageRecord } from '@ocx/core';

const HOUR_MS = 3_600_000;

/** A project's bill for one period: the one-page summary of each invoice (one per currency). */
export interface ProjectBill {
  period: BillingPeriod;
  summaries: ProjectSummary[];
}

/**
 * Bring a project's bill up to date and summarize it, with `@ocx/billing` over the exchange's store:
 * optionally collect the period so far from the landlords' meters (idempotent), ingest the
 * project's usage and quota history (idempotent), record the project's profile for the bill's
 * header, and read the period's invoices (drafts are re-rated on every read).
 */
export async function projectBill(input: {
  exchange: Exchange;
  billing: Billing;
  project: Project;
  periodId?: string;
  collectUsage: boolean;
}): Promise<ProjectBill> {
  const { exchange, billing, project } = input;
  const now = exchange.clock.now().getTime();
  const period = input.periodId === undefined ? billingPeriodOf(now) : billingPeriod(input.periodId);
  if (input.collectUsage) {
    // Only whole hours that have ended: meters report an hour once it is over.
    const end = Math.min(Date.parse(period.end), Math.floor(now / HOUR_MS) * HOUR_MS);
    if (end > Date.parse(period.start))
      await exchange.usage.collect({ window: { start: period.start, end: new Date(end).toISOString() } });
  }
  const records: UsageRecord[] = [];
  for await (const record of exchange.usage.query({
    project: project.id,
    window: { start: period.start, end: period.end },
  }))
    records.push(record);
  await billing.ingest(records);
  await billing.ingestQuotaHistory(await exchange.quotas.history({ scope: { kind: 'project', id: project.id } }));
  const lead = await exchange.directory.user(project.lead);
  const organization = await exchange.directory.organization(project.organization);
  await billing.projects.put({
    id: project.id,
    organization: project.organization,
    name: project.name,
    ...(organization === undefined ? {} : { organizationName: organization.name }),
    ...(lead === undefined ? {} : { lead: { name: lead.name, email: lead.email } }),
  });
  const invoices = (await billing.invoices.list(period.id)).filter((invoice) => invoice.project === project.id);
  return { period, summaries: await Promise.all(invoices.map((invoice) => billing.summarize(invoice.id))) };
}
