import { type Billing, catalogPriceList, createBilling } from '@ocx/billing';
import { type Clock, createExchange, type Driver, type Exchange, type Logger, systemClock } from '@ocx/core';
import { createReferenceDriver, type ReferenceExtension } from '@ocx/core/simulation';
import { DEMO_PRICE_LISTS } from './demo-prices.js';

/** What one project uses per day of each service it signs up for, in the demo. */
export const DEMO_DAILY_USAGE: Readonly<
  Record<string, ReadonlyArray<{ metric: string; unit: string; quantity: string; resource: string }>>
> = {
  'nerc/cloud': [
    { metric: 'vcpu-hours', unit: 'vCPU·h', quantity: '48', resource: 'vm-analysis' },
    { metric: 'ram-gb-hours', unit: 'GB·h', quantity: '96', resource: 'vm-analysis' },
  ],
  'cephco/objects': [{ metric: 'storage-gb-hours', unit: 'GB·h', quantity: '2400', resource: 'bucket-data' }],
  'bu/metal': [{ metric: 'node-hours', unit: 'node·h', quantity: '24', resource: 'bu-node-001' }],
};

/** The exchange a portal demo runs on, with the billing system over the same store. */
export interface DemoWorld {
  exchange: Exchange;
  billing: Billing;
  /** The landlords' reference drivers, by `landlord/service`. */
  drivers: Record<string, Driver<ReferenceExtension>>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * An exchange assembled in-process from reference landlords (`@ocx/core/simulation`): a research
 * cloud (`nerc/cloud`), object storage (`cephco/objects`) and bare metal (`bu/metal`), with price
 * lists, and organization `bu` (domain `bu.edu`). Its landlords "run" the services: when a project's
 * subscription becomes active, the service records {@link DEMO_DAILY_USAGE} for each whole day of
 * the month so far, which its meter then reports to the exchange. `wrap` lets a test put faults in
 * front of a driver.
 */
export async function createDemoWorld(
  options: { clock?: Clock; logger?: Logger; wrap?: (driver: Driver<ReferenceExtension>) => Driver } = {},
): Promise<DemoWorld> {
  const wrap = options.wrap ?? ((driver: Driver) => driver);
  const clock = options.clock ?? systemClock;
  const exchange = createExchange({
    clock,
    name: 'OCX portal demo',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const billing = createBilling({
    store: exchange.store,
    clock,
    events: exchange.events,
    priceLists: Object.values(DEMO_PRICE_LISTS),
    gracePeriodDays: 3,
  });
  const drivers: DemoWorld['drivers'] = {
    'nerc/cloud': createReferenceDriver({
      landlord: 'nerc',
      service: 'cloud',
      clock,
      nodes: 0,
      capabilities: ['tenancy', 'quotas', 'meters'],
      quotaResources: ['cores', 'ram-gb'],
      usageMetrics: ['vcpu-hours', 'ram-gb-hours'],
    }),
    'cephco/objects': createReferenceDriver({
      landlord: 'cephco',
      service: 'objects',
      clock,
      nodes: 0,
      capabilities: ['tenancy', 'quotas', 'meters'],
      quotaResources: ['storage-gb'],
      usageMetrics: ['storage-gb-hours'],
    }),
    'bu/metal': createReferenceDriver({
      landlord: 'bu',
      service: 'metal',
      clock,
      nodes: 8,
      nodePrefix: 'bu-node',
      capabilities: ['hardware', 'tenancy', 'quotas', 'meters'],
      quotaResources: ['nodes'],
      usageMetrics: ['node-hours'],
    }),
  };
  const at = clock.now();
  await exchange.landlords.register({
    id: 'nerc',
    name: 'New England Research Cloud',
    organization: 'Harvard University',
    credentials: { keystonePassword: 'nerc-demo-keystone-password' },
    services: [
      {
        id: 'cloud',
        kind: 'compute',
        name: 'NERC OpenStack',
        priceList: catalogPriceList(DEMO_PRICE_LISTS.nerc, at),
        sla: { availability: '99.5' },
        driver: wrap(drivers['nerc/cloud']!),
      },
    ],
  });
  await exchange.landlords.register({
    id: 'cephco',
    name: 'Ceph Co',
    organization: 'Ceph Co',
    credentials: { rgwSecret: 'cephco-demo-rgw-secret' },
    services: [
      {
        id: 'objects',
        kind: 'object-storage',
        name: 'Ceph object storage',
        priceList: catalogPriceList(DEMO_PRICE_LISTS.cephco, at),
        driver: wrap(drivers['cephco/objects']!),
      },
    ],
  });
  await exchange.landlords.register({
    id: 'bu',
    name: 'Boston University',
    organization: 'Boston University',
    credentials: { hilPassword: 'bu-demo-hil-password' },
    services: [
      {
        id: 'metal',
        kind: 'bare-metal',
        name: 'BU bare metal',
        priceList: catalogPriceList(DEMO_PRICE_LISTS.bu, at),
        driver: wrap(drivers['bu/metal']!),
      },
    ],
  });
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });

  const unsubscribe = exchange.events.on('subscription.changed', ({ project, landlord, service, status }) => {
    const daily = DEMO_DAILY_USAGE[`${landlord}/${service}`];
    const driver = drivers[`${landlord}/${service}`];
    if (status !== 'active' || daily === undefined || driver?.ext === undefined) return;
    const now = clock.now();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    for (let day = monthStart; day < today; day += DAY_MS) {
      for (const usage of daily) {
        driver.ext.recordUsage({
          project,
          ...usage,
          start: new Date(day).toISOString(),
          end: new Date(day + DAY_MS).toISOString(),
        });
      }
    }
  });
  return {
    exchange,
    billing,
    drivers,
    async close() {
      unsubscribe();
      await exchange.close();
    },
  };
}
