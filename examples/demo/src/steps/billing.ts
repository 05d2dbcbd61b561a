import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBilling, renderHtmlBill } from '@ocx/billing';
import type { Exchange, ManualClock, UsageRecord } from '@ocx/core';
import { bold, green, heading, table } from '../console.js';
import { PRICE_LISTS } from '../landlords.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out');

/**
 * Rate the month with each landlord's price list, finalize the invoice after its grace period,
 * settle with the landlords, and write the project's HTML bill.
 */
export async function billTheMonth(exchange: Exchange, clock: ManualClock, records: UsageRecord[]): Promise<string> {
  heading('7. The bill and the settlement between landlords');
  const billing = createBilling({
    store: exchange.store,
    clock,
    events: exchange.events,
    priceLists: PRICE_LISTS,
    feePercent: '5',
    gracePeriodDays: 3,
  });
  await billing.projects.put({
    id: 'genomics',
    organization: 'bu',
    name: 'Genomics Lab',
    organizationName: 'Boston University',
    lead: { name: 'Alice Smith', email: 'alice@bu.edu' },
    users: [
      { id: 'alice', name: 'Alice Smith' },
      { id: 'bob', name: 'Bob Jones' },
    ],
  });
  const ingested = await billing.ingest(records);
  await billing.ingestQuotaHistory(await exchange.quotas.history());
  exchange.events.on('invoice.finalized', (event) =>
    process.stdout.write(`  ${green('finalized')} ${JSON.stringify(event)}\n`),
  );
  clock.set('2026-12-04T00:00:00Z');
  await billing.finalizeDue();
  const [invoice] = await billing.invoices.list('2026-11');
  if (invoice === undefined) throw new Error('no invoice was made');
  process.stdout.write(
    `  ${JSON.stringify(ingested)}\n  invoice ${bold(invoice.id)}: ${invoice.status}, total ${bold(`${invoice.totals.total} ${invoice.currency}`)}\n`,
  );
  const settlement = await billing.settle('2026-11');
  table(
    ['landlord', 'earned', 'exchange fee', 'payout'],
    settlement.statements.map((statement) => [statement.landlord, statement.gross, statement.fee, statement.net]),
  );
  for (const total of settlement.totals) {
    process.stdout.write(
      `  ${settlement.status} settlement: invoiced ${total.invoiced} ${total.currency}, settled ${total.settled}, balanced: ${total.balanced}\n`,
    );
  }
  const html = renderHtmlBill(await billing.summarize(invoice.id), { issuer: 'OCX demo exchange' });
  await mkdir(OUT, { recursive: true });
  const path = join(OUT, 'bill-genomics-2026-11.html');
  await writeFile(path, html);
  return path;
}
