import { createMemoryStore, type Driver, ManualClock } from '@ocx/core';
import { createReferenceDriver, type ReferenceExtension } from '@ocx/core/testing';
import type { Billing } from '../billing.js';
import { createBilling } from '../create-billing.js';
import type { RoundingInput } from '../money/rounding.js';
import { referencePriceList } from '../price-list/reference-price-list.js';

const MONTH = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };

/**
 * A month of usage from three reference landlords (bare metal, compute, storage) for three
 * projects, collected through the drivers' meters and ingested into a billing ledger; the
 * period is then finalized. Used by the end-to-end and browser tests.
 */
export async function billDemoMonth(
  options: { rounding?: RoundingInput } = {},
): Promise<{ billing: Billing; clock: ManualClock }> {
  const clock = new ManualClock(MONTH.start);
  const landlords: Array<{ id: string; service: string; factor: string; driver: Driver<ReferenceExtension> }> = [
    { id: 'landlord-a', service: 'metal', factor: '1' },
    { id: 'landlord-b', service: 'compute', factor: '1.1' },
    { id: 'landlord-c', service: 'storage', factor: '0.9' },
  ].map((landlord) => ({
    ...landlord,
    driver: createReferenceDriver({ landlord: landlord.id, service: landlord.service, nodes: 4, clock }),
  }));
  const [metal, compute, storage] = landlords.map((landlord) => landlord.driver) as [
    Driver<ReferenceExtension>,
    Driver<ReferenceExtension>,
    Driver<ReferenceExtension>,
  ];
  const projects = [
    { id: 'genomics', name: 'Genome assembly', organization: 'bu' },
    { id: 'climate', name: 'Climate models', organization: 'harvard' },
    { id: 'outreach', name: 'Public outreach', organization: 'bu' },
  ];
  for (const driver of [metal, compute, storage])
    for (const project of projects) await driver.tenancy!.ensureProject(project);

  await metal.hardware!.allocate({ project: 'genomics', node: 'node-001' });
  await metal.hardware!.allocate({ project: 'genomics', node: 'node-002' });
  const record = (
    driver: Driver<ReferenceExtension>,
    usage: {
      project: string;
      user?: string;
      metric: string;
      unit: string;
      perHour: number;
      resource: string;
      start: string;
      end: string;
    },
  ) => {
    const hours = (Date.parse(usage.end) - Date.parse(usage.start)) / 3_600_000;
    driver.ext!.recordUsage({
      project: usage.project,
      ...(usage.user === undefined ? {} : { user: usage.user }),
      metric: usage.metric,
      unit: usage.unit,
      quantity: String(usage.perHour * hours),
      resource: usage.resource,
      start: usage.start,
      end: usage.end,
    });
  };
  record(compute, {
    project: 'genomics',
    user: 'alice',
    metric: 'vcpu-hours',
    unit: 'vCPU·h',
    perHour: 4,
    resource: 'vm-alice',
    ...MONTH,
  });
  record(compute, {
    project: 'genomics',
    user: 'alice',
    metric: 'ram-gb-hours',
    unit: 'GB·h',
    perHour: 16,
    resource: 'vm-alice',
    ...MONTH,
  });
  record(compute, {
    project: 'genomics',
    user: 'bob',
    metric: 'floating-ip-hours',
    unit: 'IP·h',
    perHour: 1,
    resource: 'fip-1',
    ...MONTH,
  });
  record(compute, {
    project: 'climate',
    user: 'carol',
    metric: 'vcpu-hours',
    unit: 'vCPU·h',
    perHour: 8,
    resource: 'vm-carol',
    start: '2026-11-20T00:00:00Z',
    end: MONTH.end,
  });
  record(storage, {
    project: 'genomics',
    user: 'alice',
    metric: 'storage-gb-hours',
    unit: 'GB·h',
    perHour: 500,
    resource: 'vol-1',
    ...MONTH,
  });
  record(storage, {
    project: 'outreach',
    metric: 'storage-gb-hours',
    unit: 'GB·h',
    perHour: 50,
    resource: 'vol-2',
    ...MONTH,
  });

  clock.set('2026-11-10T00:00:00Z');
  await metal.hardware!.allocate({ project: 'climate', node: 'node-003' });
  clock.set('2026-11-15T00:00:00Z');
  await metal.hardware!.release({ project: 'genomics', node: 'node-002' });
  clock.set(MONTH.end);

  const billing = createBilling({
    store: createMemoryStore(),
    clock,
    priceLists: landlords.map((landlord) =>
      referencePriceList({ landlord: landlord.id, priceFactor: landlord.factor }),
    ),
    feePercent: '5',
    gracePeriodDays: 3,
    ...(options.rounding === undefined ? {} : { rounding: options.rounding }),
  });
  await billing.projects.put({
    id: 'genomics',
    organization: 'bu',
    name: 'Genome assembly',
    organizationName: 'Boston University',
    lead: { name: 'Ada Lovelace', email: 'ada@bu.example' },
    users: [
      { id: 'alice', name: 'Alice' },
      { id: 'bob', name: 'Bob' },
    ],
  });
  await billing.projects.put({
    id: 'climate',
    organization: 'harvard',
    name: 'Climate models',
    lead: { name: 'Carol Climate', email: 'carol@harvard.example' },
  });
  await billing.projects.put({ id: 'outreach', organization: 'bu', name: 'Public outreach', billingMode: 'showback' });
  for (const driver of [metal, compute, storage]) {
    for (const meter of driver.meters ?? []) {
      const batch = [];
      for await (const usage of meter.collect(MONTH)) batch.push(usage);
      await billing.ingest(batch);
    }
  }
  clock.set('2026-12-04T00:00:00Z');
  await billing.finalizeDue();
  return { billing, clock };
}
