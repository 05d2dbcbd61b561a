import { parsePriceList } from '../price-list/load-price-list.js';
import type { BillingPriceList, BillingPriceListInput } from '../price-list/price-list-schema.js';
import type { InstanceBillingInput } from './instance-billing-schema.js';

/**
 * NERC's OpenStack rules (CCI-MOC/openstack-billing-from-db with the rates of CCI-MOC/nerc-rates)
 * as `instanceBilling` data. `chargeStopped` is the only rule that changes: NERC's "Charge for
 * Stopped Instances" is false 2023-06..2024-02 and true from 2024-03, so it is one version each.
 */
function nercRules(chargeStopped: boolean): InstanceBillingInput {
  return {
    outageService: 'NERC OpenStack',
    actions: {
      create: 'running',
      start: 'running',
      unshelve: 'running',
      stop: 'stopped',
      shelve: 'shelved',
      shelveOffload: 'shelved',
      delete: 'deleted',
    },
    terminalStates: ['deleted'],
    billedStates: ['running'],
    stoppedStates: ['stopped'],
    chargeStopped,
    flavorAttribution: 'final',
    hourRounding: 'period',
    serviceUnits: [
      { type: 'CPU', name: 'OpenStack CPU', rate: '0.013', vcpusPerSu: '1', ramMbPerSu: '4096', suRounding: 'floor' },
      { type: 'GPUA100SXM4', name: 'OpenStack GPUA100SXM4', rate: '2.078', gpuTypes: ['a100-sxm4'], gpusPerSu: '1' },
      { type: 'GPUA100', name: 'OpenStack GPUA100', rate: '1.803', gpuTypes: ['a100'], gpusPerSu: '1' },
      { type: 'GPUV100', name: 'OpenStack GPUV100', rate: '1.214', gpuTypes: ['v100'], gpusPerSu: '1' },
      { type: 'GPUK80', name: 'OpenStack GPUK80', rate: '0.463', gpuTypes: ['k80'], gpusPerSu: '1' },
      { type: 'GPUA2', name: 'OpenStack GPUA2', rate: '0.463', gpuTypes: ['a2'], gpusPerSu: '1' },
    ],
  };
}

/** NERC's published OpenStack price list as data: the worked example of the "Bill like NERC" guide. */
export const NERC_PRICE_LIST: BillingPriceListInput = {
  id: 'nerc-openstack',
  landlord: 'nerc',
  currency: 'USD',
  name: 'NERC OpenStack',
  versions: [
    {
      version: '2023-06',
      effectiveFrom: '2023-06-01T00:00:00Z',
      instanceBilling: nercRules(false),
    },
    {
      version: '2024-03',
      effectiveFrom: '2024-03-01T00:00:00Z',
      instanceBilling: nercRules(true),
    },
  ],
  outages: [],
};

/**
 * NERC's OpenStack price list, parsed. Outages are not included: load them from nerc-rates'
 * `outages.yaml` with `loadNercOutages` and pass them to `rateInstanceActions`.
 */
export function nercPriceList(): BillingPriceList {
  return parsePriceList(NERC_PRICE_LIST);
}
