/** The services quotas live in. */
export type QuotaService = 'nova' | 'cinder' | 'neutron' | 'swift';

/** One quota resource the driver offers, and where it lives. */
export interface QuotaResource {
  service: QuotaService;
  /** The service's own key: Nova `ram`, Neutron `floatingip`, Swift's quota header. */
  key: string;
  unit: string;
  /** The largest limit the service stores (Nova, Cinder and Neutron keep 32-bit integers). */
  max: bigint;
}

const INT32_MAX = 2_147_483_647n;
const INT64_MAX = 9_223_372_036_854_775_807n;

/** The exchange's resource names, mapped to each service's quota key. */
export const QUOTA_RESOURCES: Readonly<Record<string, QuotaResource>> = Object.freeze({
  cores: { service: 'nova', key: 'cores', unit: 'vCPU', max: INT32_MAX },
  'ram-mb': { service: 'nova', key: 'ram', unit: 'MiB', max: INT32_MAX },
  instances: { service: 'nova', key: 'instances', unit: 'server', max: INT32_MAX },
  volumes: { service: 'cinder', key: 'volumes', unit: 'volume', max: INT32_MAX },
  gigabytes: { service: 'cinder', key: 'gigabytes', unit: 'GiB', max: INT32_MAX },
  'floating-ips': { service: 'neutron', key: 'floatingip', unit: 'IP', max: INT32_MAX },
  'swift-bytes': { service: 'swift', key: 'x-account-meta-quota-bytes', unit: 'B', max: INT64_MAX },
});

/** The resource names of the given services, in the table's order. */
export function quotaResourcesFor(services: ReadonlySet<string>): string[] {
  return Object.entries(QUOTA_RESOURCES)
    .filter(([, resource]) => services.has(resource.service))
    .map(([name]) => name);
}
