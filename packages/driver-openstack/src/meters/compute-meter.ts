import type { Meter } from '@ocx/core';
import type { NovaClient } from '../nova/nova-client.js';
import type { ServerUsage } from '../nova/results.js';
import { parseOpenStackTime } from '../shared/openstack-time.js';
import { runConcurrently } from '../shared/run-concurrently.js';
import { bucketShares, endedBuckets, type Interval } from './buckets.js';
import { collectionError } from './collection-error.js';
import { bucketRecord, type MeterContext, perHour, startCollection } from './meter-context.js';
import { stoppedIntervals } from './power-intervals.js';

/** Whether a stopped server's time is billed (`charge`, as Nova counts it) or not (`free`). */
export type StoppedServerPolicy = 'charge' | 'free';

/** Options of {@link createComputeMeter}. */
export interface ComputeMeterOptions {
  nova: NovaClient;
  stoppedServerPolicy: StoppedServerPolicy;
  /** Servers per usage page. Default 1000. */
  pageSize?: number;
  /** Instance-action lookups in flight at once (policy `free` only). Default 8. */
  actionConcurrency?: number;
}

/**
 * vCPU-hours and RAM GB-hours (GiB of the flavor's RAM) per server and bucket, from Nova's
 * `os-simple-tenant-usage` (all projects, detailed, 2.40 paging). It streams: each page of
 * servers is turned into records before the next page is asked for, so memory stays flat
 * however many servers there are. Time runs from `started_at` to `ended_at` (exact, not Nova's
 * float `hours`); with policy `free` the time a server was stopped, shelved or suspended (from
 * its instance actions) is left out. Like Nova, it uses the server's current flavor. Only
 * exchange projects (see the project directory) are reported.
 */
export function createComputeMeter(context: MeterContext, options: ComputeMeterOptions): Meter {
  return {
    name: 'compute',
    metrics: ['vcpu-hours', 'ram-gb-hours'],
    async *collect(window, callOptions = {}) {
      const requested = startCollection(window, callOptions, 'compute');
      const range = endedBuckets(requested, context.bucketMs, context.clock.now().getTime());
      if (range === undefined) return;
      const signal = callOptions.signal;
      const projects = await context.directory.managed(callOptions);
      if (projects.size === 0) return;
      const progress = { records: 0, resources: 0 };
      try {
        for await (const page of options.nova.usagePages({
          start: range.start,
          end: range.end,
          pageSize: options.pageSize,
          signal,
        })) {
          const servers: Array<{ server: ServerUsage; interval: Interval }> = [];
          for (const entry of page) {
            if (!projects.has(entry.projectId)) continue;
            for (const server of entry.servers) {
              const started = parseOpenStackTime(server.started_at);
              if (started === undefined) continue;
              servers.push({
                server,
                interval: [started, parseOpenStackTime(server.ended_at) ?? Number.POSITIVE_INFINITY],
              });
            }
          }
          const gaps =
            options.stoppedServerPolicy === 'free'
              ? await runConcurrently(servers, options.actionConcurrency ?? 8, ({ server }) =>
                  stoppedIntervals(options.nova, server, range, signal),
                )
              : [];
          progress.resources += servers.length;
          for (const [index, { server, interval }] of servers.entries()) {
            const project = projects.get(server.tenant_id)!;
            const resource = { id: server.instance_id, type: 'server', name: server.name ?? undefined };
            const attributes = { flavor: server.flavor ?? '', vcpus: server.vcpus, memoryMb: server.memory_mb };
            for (const share of bucketShares(interval, range, gaps[index] ?? [])) {
              progress.records += 2;
              yield bucketRecord(context, {
                project,
                resource,
                metric: 'vcpu-hours',
                unit: 'vCPU·h',
                quantity: perHour(server.vcpus, share.ms),
                share,
                attributes,
              });
              yield bucketRecord(context, {
                project,
                resource,
                metric: 'ram-gb-hours',
                unit: 'GB·h',
                quantity: perHour(server.memory_mb, share.ms, 1024n),
                share,
                attributes,
              });
            }
          }
        }
      } catch (error) {
        throw collectionError(error, 'compute', progress);
      }
    },
  };
}
