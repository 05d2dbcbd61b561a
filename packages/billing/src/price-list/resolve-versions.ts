import type { BillingPriceList, PriceListVersion, Rate, ServiceUnit } from './price-list-schema.js';

/** A price-list version with the end of its validity resolved (`Infinity` when open-ended). */
export interface EffectiveVersion {
  version: PriceListVersion;
  fromMs: number;
  toMs: number;
}

/** Each version's effective range: it ends at its `effectiveTo`, else where the next begins. */
export function effectiveVersions(list: BillingPriceList): EffectiveVersion[] {
  return list.versions.map((version, index) => {
    const next = list.versions[index + 1];
    const toMs =
      version.effectiveTo !== undefined
        ? Date.parse(version.effectiveTo)
        : next !== undefined
          ? Date.parse(next.effectiveFrom)
          : Number.POSITIVE_INFINITY;
    return { version, fromMs: Date.parse(version.effectiveFrom), toMs };
  });
}

/** The rate of a metric in a version: a service-specific rate wins over a landlord-wide one. */
export function findRate(
  version: PriceListVersion,
  service: string,
  metric: string,
  charging: Rate['charging'],
): Rate | undefined {
  let fallback: Rate | undefined;
  for (const rate of version.rates) {
    if (rate.metric !== metric || rate.charging !== charging) continue;
    if (rate.service === service) return rate;
    if (rate.service === undefined) fallback = rate;
  }
  return fallback;
}

/** The service units of a version that apply to a service and resource type. */
export function serviceUnitsFor(version: PriceListVersion, service: string, resourceType: string): ServiceUnit[] {
  return version.serviceUnits.filter(
    (unit) =>
      (unit.service === undefined || unit.service === service) &&
      (unit.resourceTypes === undefined || unit.resourceTypes.includes(resourceType)),
  );
}
