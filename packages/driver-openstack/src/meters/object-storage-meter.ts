import type { Meter } from '@ocx/core';
import { runConcurrently } from '../shared/run-concurrently.js';
import type { SwiftClient } from '../swift/swift-client.js';
import { bucketShares, endedBuckets } from './buckets.js';
import { bucketRecord, type MeterContext, perHour, startCollection } from './meter-context.js';

const GIB = 1n << 30n;

/**
 * Swift stored GB-hours (GiB × hours) per exchange project's account and bucket. Swift reports
 * only what an account holds now (`X-Account-Bytes-Used`, updated by its container updater), so
 * the meter samples it when it runs and holds the sample over the window's ended buckets:
 * collect each bucket promptly for an accurate bill. Accounts holding nothing give no records.
 */
export function createObjectStorageMeter(context: MeterContext, swift: SwiftClient): Meter {
  return {
    name: 'object-storage',
    metrics: ['object-storage-gb-hours'],
    async *collect(window, callOptions = {}) {
      const requested = startCollection(window, callOptions, 'object-storage');
      const range = endedBuckets(requested, context.bucketMs, context.clock.now().getTime());
      if (range === undefined) return;
      const projects = [...(await context.directory.managed(callOptions)).values()];
      const samples = await runConcurrently(projects, 8, async (project) => ({
        project,
        usage: await swift.headAccount(project.keystoneId, callOptions),
        account: await swift.accountUrl(project.keystoneId, callOptions),
      }));
      for (const { project, usage, account } of samples) {
        const bytes = BigInt(usage.bytesUsed);
        if (bytes === 0n) continue;
        const accountName = account.slice(account.lastIndexOf('/') + 1);
        for (const share of bucketShares([range.start, range.end], range)) {
          yield bucketRecord(context, {
            project,
            resource: { id: accountName, type: 'object-storage' },
            metric: 'object-storage-gb-hours',
            unit: 'GB·h',
            quantity: perHour(bytes, share.ms, GIB, 9),
            share,
            attributes: { bytes: usage.bytesUsed, objects: usage.objectCount },
          });
        }
      }
    },
  };
}
