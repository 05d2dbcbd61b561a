import { type Clock, createExchange, type Driver, type Exchange, type Logger, type PriceList } from '@ocx/core';
import { createReferenceDriver, type ReferenceExtension } from '@ocx/core/simulation';

/** The landlords' drivers of {@link createSampleExchange}, for recording usage and reading their state. */
export interface SampleDrivers {
  /** `hw/metal`: bare metal with tenancy, a `nodes` quota and meters (node-hours, node-cpu-hours). */
  metal: Driver<ReferenceExtension>;
  /** `nerc/cloud`: a cloud with tenancy, quotas (`cores`, `ram-gb`) and metered vCPU-hours. */
  cloud: Driver<ReferenceExtension>;
  provisioner: Driver<ReferenceExtension>;
  attestor: Driver<ReferenceExtension>;
}

function prices(id: string, rates: Array<[metric: string, unit: string, unitPrice: string]>): PriceList {
  return {
    id,
    version: '1',
    currency: 'USD',
    effectiveFrom: '2026-01-01T00:00:00Z',
    rates: rates.map(([metric, unit, unitPrice]) => ({ metric, unit, unitPrice })),
  };
}

/**
 * A small exchange on reference landlords (in-memory data centres from `@ocx/core/simulation`):
 * bare metal from `hw`, a cloud from `nerc`, provisioning from `prov`, attestation from `lab`,
 * and organization `bu` with user `alice` leading project `genomics`. Used by the runnable demo
 * and the tests. `wrap` lets a test put faults in front of a driver.
 */
export async function createSampleExchange(options: {
  clock: Clock;
  logger?: Logger;
  wrap?: (driver: Driver<ReferenceExtension>) => Driver;
}): Promise<{ exchange: Exchange; drivers: SampleDrivers }> {
  const { clock } = options;
  const wrap = options.wrap ?? ((driver: Driver) => driver);
  const exchange = createExchange({
    clock,
    name: 'quota-bot sample',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const metal = createReferenceDriver({
    landlord: 'hw',
    service: 'metal',
    clock,
    nodes: 6,
    capabilities: ['hardware', 'tenancy', 'quotas', 'meters'],
    quotaResources: ['nodes'],
    usageMetrics: ['node-cpu-hours'],
  });
  const cloud = createReferenceDriver({
    landlord: 'nerc',
    service: 'cloud',
    clock,
    nodes: 0,
    capabilities: ['tenancy', 'quotas', 'meters'],
    quotaResources: ['cores', 'ram-gb'],
    usageMetrics: ['vcpu-hours', 'ram-gb-hours'],
  });
  const provisioner = createReferenceDriver({
    landlord: 'prov',
    service: 'm2',
    clock,
    nodes: 0,
    capabilities: ['provisioner'],
    hardwareFrom: metal,
  });
  const attestor = createReferenceDriver({
    landlord: 'lab',
    service: 'keylime',
    clock,
    nodes: 0,
    capabilities: ['attestor'],
  });
  await exchange.landlords.register({
    id: 'hw',
    name: 'Hardware Co',
    organization: 'HW',
    credentials: { hilPassword: 'hw-s3cret-hil-password' },
    services: [
      {
        id: 'metal',
        kind: 'bare-metal',
        priceList: prices('hw-metal', [
          ['node-hours', 'node·h', '0.85'],
          ['node-cpu-hours', 'core·h', '0.01'],
        ]),
        driver: wrap(metal),
      },
    ],
  });
  await exchange.landlords.register({
    id: 'nerc',
    name: 'New England Research Cloud',
    organization: 'Harvard',
    credentials: { keystonePassword: 'nerc-s3cret-keystone' },
    services: [
      {
        id: 'cloud',
        kind: 'compute',
        priceList: prices('nerc-cloud', [
          ['vcpu-hours', 'vCPU·h', '0.013'],
          ['ram-gb-hours', 'GB·h', '0.0021'],
        ]),
        driver: wrap(cloud),
      },
    ],
  });
  await exchange.landlords.register({
    id: 'prov',
    name: 'Provisioning U',
    organization: 'PROV',
    services: [{ id: 'm2', kind: 'provisioning', driver: wrap(provisioner) }],
  });
  await exchange.landlords.register({
    id: 'lab',
    name: 'Genomics Lab',
    organization: 'BU',
    services: [{ id: 'keylime', kind: 'attestation', driver: wrap(attestor) }],
  });
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });
  await exchange.directory.upsertUser({ id: 'alice', organization: 'bu', name: 'Alice', email: 'alice@bu.edu' });
  await exchange.directory.createProject({ id: 'genomics', name: 'Genomics', organization: 'bu', lead: 'alice' });
  return { exchange, drivers: { metal, cloud, provisioner, attestor } };
}

/** An enclave request for `project` on the sample landlords: metal from `hw`, M2 from `prov`, Keylime from `lab`. */
export function sampleEnclave(project: string, nodes: number) {
  return {
    id: `${project}-enclave`,
    project,
    organization: 'bu',
    hardware: { landlord: 'hw', service: 'metal' },
    provisioner: { landlord: 'prov', service: 'm2' },
    attestor: { landlord: 'lab', service: 'keylime' },
    nodes,
    image: 'ubuntu-22.04',
    policy: { name: 'golden' },
  };
}
