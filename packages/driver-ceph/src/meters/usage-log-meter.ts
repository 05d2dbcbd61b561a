import { type Meter, TimeWindowSchema } from '@ocx/core';
import { checkInput, checkSignal } from '../checks.js';
import type { ProjectDirectory } from '../project-directory.js';
import type { RgwAdminClient } from '../rgw/rgw-admin-client.js';
import type { RgwUsageCategory } from '../rgw/rgw-schemas.js';
import { ceilHour, HOUR_MS } from './hours.js';
import { type MeterContext, usageRecord } from './usage-record.js';

/** Options of {@link createUsageLogMeter}. */
export interface UsageLogMeterOptions {
  /**
   * How long after an hour ends before it is reported. RGW writes its usage log in batches
   * (`rgw_usage_log_tick_interval`, 30 s by default), so an hour read too early would be
   * reported short, and the ledger, which keeps the first record of an id, would never take
   * the rest. Must exceed the tick interval plus clock skew. Default 60000.
   */
  graceMs: number;
  /** Only these categories (RGW op names: `put_obj`, `get_obj`, …); all by default. */
  categories?: readonly string[];
}

/** The metrics of the usage-log meter, from each category's ops, bytes received and bytes sent. */
export const USAGE_LOG_METRICS = [
  { metric: 'object-requests', unit: 'request', field: 'ops' },
  { metric: 'object-bytes-in', unit: 'byte', field: 'bytesReceived' },
  { metric: 'object-bytes-out', unit: 'byte', field: 'bytesSent' },
] as const satisfies ReadonlyArray<{ metric: string; unit: string; field: keyof RgwUsageCategory }>;

/**
 * Requests and bytes in and out per project, bucket, hour and RGW category, from RGW's usage
 * log. Only hours that ended at least `graceMs` ago are reported, and each record's id is
 * `<uid>/<bucket>/<hour>/<category>/<metric>`: a record is final when first reported, and
 * collecting a window again (late, or overlapping) yields the same ids and quantities, which
 * the usage ledger stores once. Usage of RGW users that are not exchange projects is skipped.
 */
export function createUsageLogMeter(
  rgw: RgwAdminClient,
  directory: ProjectDirectory,
  context: MeterContext,
  options: UsageLogMeterOptions,
): Meter {
  return {
    name: 'object-usage',
    metrics: USAGE_LOG_METRICS.map((entry) => entry.metric),
    async *collect(requested, callOptions) {
      const window = checkInput(TimeWindowSchema, requested, 'collect');
      checkSignal(callOptions, 'collect');
      const first = ceilHour(Date.parse(window.start));
      const settled = context.now().getTime() - options.graceMs;
      const end = Math.min(Date.parse(window.end), settled);
      // Whole hours inside the window that have settled: [first, last).
      const last = first + Math.max(0, Math.floor((end - first) / HOUR_MS)) * HOUR_MS;
      if (last <= first) return;
      const usage = await rgw.showUsage(
        {
          start: new Date(first),
          end: new Date(last),
          showSummary: false,
          ...(options.categories === undefined ? {} : { categories: options.categories }),
        },
        callOptions,
      );
      const ownerOf = directory.resolver(callOptions);
      for (const entry of [...usage.entries].sort((a, b) => a.user.localeCompare(b.user))) {
        const owner = await ownerOf(entry.user);
        if (owner === undefined) continue;
        for (const bucket of entry.buckets) {
          const hour = Date.parse(bucket.hourStart);
          if (hour < first || hour + HOUR_MS > last) continue;
          const bucketName = bucket.bucket === '' ? '-' : bucket.bucket;
          for (const category of [...bucket.categories].sort((a, b) => a.category.localeCompare(b.category))) {
            for (const { metric, unit, field } of USAGE_LOG_METRICS) {
              const quantity = category[field];
              if (quantity === '0') continue;
              yield usageRecord(context, {
                id: `${entry.user}/${bucketName}/${bucket.hourStart}/${category.category}/${metric}`,
                project: owner.project,
                organization: owner.organization,
                resource: { id: bucketName, type: bucket.bucket === '' ? 'rgw-account' : 'bucket' },
                metric,
                unit,
                quantity,
                start: hour,
                end: hour + HOUR_MS,
                attributes: { category: category.category, uid: entry.user },
              });
            }
          }
        }
      }
    },
  };
}
