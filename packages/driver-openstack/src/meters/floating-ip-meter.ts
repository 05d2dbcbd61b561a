import type { Meter } from '@ocx/core';
import type { NeutronClient } from '../neutron/neutron-client.js';
import { parseOpenStackTime } from '../shared/openstack-time.js';
import { bucketShares, endedBuckets } from './buckets.js';
import { bucketRecord, type MeterContext, perHour, startCollection } from './meter-context.js';

/**
 * Floating-IP hours per address and bucket. Like volumes, released addresses leave no trace in
 * Neutron's API, so the meter samples the addresses that exist when it runs (all projects,
 * paged) and bills each from its `created_at` (from the start of the window when Neutron does
 * not report one).
 */
export function createFloatingIpMeter(context: MeterContext, neutron: NeutronClient): Meter {
  return {
    name: 'floating-ips',
    metrics: ['floating-ip-hours'],
    async *collect(window, callOptions = {}) {
      const requested = startCollection(window, callOptions, 'floating-ip');
      const range = endedBuckets(requested, context.bucketMs, context.clock.now().getTime());
      if (range === undefined) return;
      const projects = await context.directory.managed(callOptions);
      if (projects.size === 0) return;
      for await (const address of neutron.listFloatingIps({}, callOptions)) {
        const project = projects.get(address.project_id ?? address.tenant_id ?? '');
        if (project === undefined) continue;
        const created = parseOpenStackTime(address.created_at) ?? range.start;
        for (const share of bucketShares([created, Number.POSITIVE_INFINITY], range)) {
          yield bucketRecord(context, {
            project,
            resource: { id: address.id, type: 'floating-ip', name: address.floating_ip_address ?? undefined },
            metric: 'floating-ip-hours',
            unit: 'IP·h',
            quantity: perHour(1, share.ms),
            share,
          });
        }
      }
    },
  };
}
