import { Decimal, type Driver, type Exchange, type UsageRecord } from '@ocx/core';
import type { ReferenceExtension } from '@ocx/core/simulation';
import { heading, progress, table } from '../console.js';

export const MONTH = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };

/** The month of cloud and storage use the reference landlords' meters will report. */
export function recordCloudUsage(exchange: Exchange): void {
  const cloud = exchange.landlords.service('nerc', 'cloud').driver.ext as ReferenceExtension;
  const storage = exchange.landlords.service('mghpcc', 'objects').driver.ext as ReferenceExtension;
  for (let day = 0; day < 30; day += 1) {
    const start = new Date(Date.UTC(2026, 10, day + 1)).toISOString();
    const end = new Date(Date.UTC(2026, 10, day + 2)).toISOString();
    cloud.recordUsage({
      project: 'genomics',
      user: 'alice',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '96',
      resource: 'vm-analysis-1',
      start,
      end,
    });
    cloud.recordUsage({
      project: 'genomics',
      user: 'alice',
      metric: 'ram-gb-hours',
      unit: 'GB·h',
      quantity: '384',
      resource: 'vm-analysis-1',
      start,
      end,
    });
    cloud.recordUsage({
      project: 'genomics',
      user: 'bob',
      metric: 'floating-ip-hours',
      unit: 'IP·h',
      quantity: '24',
      resource: 'fip-1',
      start,
      end,
    });
    storage.recordUsage({
      project: 'genomics',
      metric: 'storage-gb-hours',
      unit: 'GB·h',
      quantity: String(2400 + day * 120),
      resource: 'bucket-reads',
      start,
      end,
    });
  }
}

/**
 * Collect the month from every meter, day by day, then once more for the whole month: records
 * land once each. Enclave node-hours come from the journal's allocation intervals.
 */
export async function meterTheMonth(exchange: Exchange): Promise<UsageRecord[]> {
  heading('6. A month of usage is metered and ingested once');
  const days = progress('days', 30);
  for (let day = 0; day < 30; day += 1) {
    await exchange.usage.collect({
      window: {
        start: new Date(Date.UTC(2026, 10, day + 1)).toISOString(),
        end: new Date(Date.UTC(2026, 10, day + 2)).toISOString(),
      },
    });
    days.tick();
  }
  days.done();
  const again = await exchange.usage.collect({ window: MONTH });
  process.stdout.write(
    `  the whole month collected again: ${again.inserted} new records, ${again.duplicates} already stored\n`,
  );
  const nodeHours = [];
  for await (const record of exchange.enclaves.meter().collect(MONTH)) nodeHours.push(record);
  await exchange.usage.ingest(nodeHours);
  const records: UsageRecord[] = [];
  for await (const record of exchange.usage.query({ project: 'genomics', window: MONTH })) records.push(record);
  const totals = new Map<string, { quantity: Decimal; unit: string }>();
  for (const record of records) {
    const key = `${record.landlord}/${record.service} ${record.metric}`;
    const total = totals.get(key) ?? { quantity: Decimal.ZERO, unit: record.unit };
    total.quantity = total.quantity.add(record.quantity);
    totals.set(key, total);
  }
  table(
    ['landlord/service metric', 'quantity'],
    [...totals].map(([key, total]) => [key, `${total.quantity.toFixed(2)} ${total.unit}`]),
  );
  return records;
}

/** A driver's extension, typed. */
export function referenceOf(driver: Driver): ReferenceExtension {
  return driver.ext as ReferenceExtension;
}
