import { catalogPriceList, referencePriceList } from '@ocx/billing';
import type { Clock, LandlordRegistration } from '@ocx/core';
import { createReferenceDriver } from '@ocx/core/simulation';
import { createHilDriver } from '@ocx/driver-hil';
import { DEFAULT_SIMULATOR_ADMIN } from '@ocx/driver-hil/simulator';
import { createKeylimeDriver } from '@ocx/driver-keylime';
import { createM2Driver } from '@ocx/driver-m2';
import type { Simulators } from './world.js';

/** Each landlord's billing price list; the catalog shows a summary of it. */
export const PRICE_LISTS = [
  referencePriceList({ landlord: 'bu', priceFactor: '1' }),
  referencePriceList({ landlord: 'mghpcc', priceFactor: '0.9' }),
  referencePriceList({ landlord: 'nerc', priceFactor: '1.1' }),
];
/** The catalog's summary of a landlord's list, for the metrics one service reports. */
const prices = (landlord: string, metrics: readonly string[]) => {
  const summary = catalogPriceList(PRICE_LISTS.find((list) => list.landlord === landlord)!, '2026-11-01T00:00:00Z');
  return {
    ...summary,
    id: `${summary.id}-${metrics[0]}`,
    rates: summary.rates.filter((rate) => metrics.includes(rate.metric)),
  };
};

/**
 * The demo's landlords. Landlord A (Boston University) lends bare metal through HIL; landlord B
 * (MGHPCC) network-boots it with M2 and sells object storage; landlord C (NERC) runs a cloud; and
 * the tenant lab runs its own Keylime. Each has its own credentials, which only its own drivers
 * ever see.
 */
export function demoLandlords(clock: Clock, simulators: Simulators): LandlordRegistration[] {
  return [
    {
      id: 'bu',
      name: 'Boston University',
      organization: 'Boston University',
      contact: 'ocx-ops@bu.example',
      credentials: { hilPassword: DEFAULT_SIMULATOR_ADMIN.password },
      services: [
        {
          id: 'hil',
          kind: 'bare-metal',
          name: 'BU bare-metal pool (HIL)',
          endpoint: simulators.hil.url,
          priceList: prices('bu', ['node-hours']),
          sla: { availability: '99.5', supportHours: 'business hours' },
          driver: ({ credentials }) =>
            createHilDriver({
              endpoint: simulators.hil.url,
              // HIL answers power calls with a 307 to OBMd: that origin, and no other, is allowed.
              obmdOrigins: [simulators.hil.obmdUrl],
              auth: { username: DEFAULT_SIMULATOR_ADMIN.username, password: credentials.hilPassword! },
            }),
        },
      ],
    },
    {
      id: 'mghpcc',
      name: 'Massachusetts Green HPC Center',
      organization: 'MGHPCC',
      credentials: { m2Password: 'mghpcc-m2-hil-password' },
      services: [
        {
          id: 'm2',
          kind: 'provisioning',
          name: 'MGHPCC network boot (M2)',
          endpoint: simulators.m2.url,
          driver: ({ credentials }) =>
            createM2Driver({
              endpoint: simulators.m2.url,
              username: 'mghpcc-m2',
              password: credentials.m2Password!,
              project: 'genomics',
            }),
        },
        {
          id: 'objects',
          kind: 'object-storage',
          name: 'MGHPCC object storage',
          priceList: prices('mghpcc', ['storage-gb-hours']),
          driver: ({ landlord, service }) =>
            createReferenceDriver({
              landlord,
              service,
              clock,
              nodes: 0,
              capabilities: ['tenancy', 'quotas', 'meters'],
              quotaResources: ['storage-gb', 'objects'],
            }),
        },
      ],
    },
    {
      id: 'nerc',
      name: 'New England Research Cloud',
      organization: 'Harvard University',
      credentials: { keystonePassword: 'nerc-keystone-pa55word' },
      services: [
        {
          id: 'cloud',
          kind: 'compute',
          name: 'NERC OpenStack',
          priceList: prices('nerc', ['vcpu-hours', 'ram-gb-hours', 'floating-ip-hours']),
          driver: ({ landlord, service }) =>
            createReferenceDriver({
              landlord,
              service,
              clock,
              nodes: 0,
              capabilities: ['tenancy', 'quotas', 'meters'],
              quotaResources: ['cores', 'ram-gb', 'floating-ips'],
            }),
        },
      ],
    },
    {
      id: 'genomics-lab',
      name: 'Genomics Lab (tenant)',
      organization: 'Boston University',
      credentials: { keylimeClientKey: simulators.keylime.certificates.client.key },
      services: [
        {
          id: 'keylime',
          kind: 'attestation',
          name: "The tenant's own Keylime",
          endpoint: simulators.keylime.verifier.url,
          driver: ({ credentials }) =>
            createKeylimeDriver({
              verifier: { url: simulators.keylime.verifier.url },
              registrar: { url: simulators.keylime.registrar.url },
              tls: {
                ca: simulators.keylime.certificates.ca.cert,
                cert: simulators.keylime.certificates.client.cert,
                key: credentials.keylimeClientKey!,
              },
              attestor: { pollIntervalMs: 20, watchIntervalMs: 20 },
            }),
        },
      ],
    },
  ];
}
