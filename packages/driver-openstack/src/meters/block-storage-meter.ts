import type { Meter } from '@ocx/core';
import type { CinderClient } from '../cinder/cinder-client.js';
import { parseOpenStackTime } from '../shared/openstack-time.js';
import { bucketShares, endedBuckets } from './buckets.js';
import { bucketRecord, type MeterContext, perHour, startCollection } from './meter-context.js';

/** Volumes in these states hold no storage worth billing. */
const NOT_BILLED = new Set(['error', 'creating', 'error_deleting', 'deleting']);

/**
 * Volume GB-hours (GiB × hours) per volume and bucket. Cinder keeps no hourly usage (its usage
 * audit only emits notifications for Ceilometer) and does not list deleted volumes, so this
 * meter samples: it lists the volumes that exist when it runs (all projects, paged) and bills
 * each from its `created_at`. A volume deleted before a bucket was collected is not billed for
 * that bucket — collect every bucket promptly (the exchange's collection runs do).
 */
export function createBlockStorageMeter(context: MeterContext, cinder: CinderClient): Meter {
  return {
    name: 'block-storage',
    metrics: ['volume-gb-hours'],
    async *collect(window, callOptions = {}) {
      const requested = startCollection(window, callOptions, 'block-storage');
      const range = endedBuckets(requested, context.bucketMs, context.clock.now().getTime());
      if (range === undefined) return;
      const projects = await context.directory.managed(callOptions);
      if (projects.size === 0) return;
      for await (const volume of cinder.listVolumes({ allProjects: true }, callOptions)) {
        const project = projects.get(volume['os-vol-tenant-attr:tenant_id'] ?? '');
        const created = parseOpenStackTime(volume.created_at);
        if (project === undefined || created === undefined || NOT_BILLED.has(volume.status)) continue;
        for (const share of bucketShares([created, Number.POSITIVE_INFINITY], range)) {
          yield bucketRecord(context, {
            project,
            resource: { id: volume.id, type: 'volume', name: volume.name ?? undefined },
            metric: 'volume-gb-hours',
            unit: 'GB·h',
            quantity: perHour(volume.size, share.ms),
            share,
            attributes: { sizeGb: volume.size, volumeType: volume.volume_type ?? '' },
          });
        }
      }
    },
  };
}
