import {
  type CallOptions,
  type Clock,
  Decimal,
  type Logger,
  OcxError,
  parseWith,
  type TimeWindow,
  TimeWindowSchema,
  type UsageRecordInput,
} from '@ocx/core';
import type { ManagedProject, ProjectDirectory } from '../tenancy/project-directory.js';
import type { BucketShare } from './buckets.js';

/** What every OpenStack meter shares. */
export interface MeterContext {
  /** The landlord and service ids the records carry. */
  landlord: string;
  service: string;
  /** Bucket length in milliseconds; divides an hour, so buckets start on the hour. */
  bucketMs: number;
  clock: Clock;
  directory: ProjectDirectory;
  logger?: Logger;
}

const MS_PER_HOUR = 3_600_000n;

/** Parse the window and refuse an aborted call before any request. */
export function startCollection(
  window: TimeWindow,
  options: CallOptions | undefined,
  meter: string,
): { start: number; end: number } {
  const parsed = parseWith(TimeWindowSchema, window, { what: `${meter} collection window`, prefix: 'window' });
  if (options?.signal?.aborted) {
    throw new OcxError({
      code: 'aborted',
      message: `Collecting ${meter} usage was aborted before it started`,
      cause: options.signal.reason,
    });
  }
  return { start: Date.parse(parsed.start), end: Date.parse(parsed.end) };
}

/**
 * `amount × ms / (divisor × 1 h)` rounded to `scale` digits: e.g. vCPUs × time → vCPU-hours,
 * exactly (bigint arithmetic, no float).
 */
export function perHour(amount: bigint | number, ms: number, divisor: bigint = 1n, scale = 6): string {
  return Decimal.from(BigInt(amount) * BigInt(ms))
    .divide(Decimal.from(divisor * MS_PER_HOUR), scale)
    .toString();
}

/** Build one usage record for a bucket share. */
export function bucketRecord(
  context: MeterContext,
  input: {
    project: ManagedProject;
    resource: { id: string; type: string; name?: string };
    metric: string;
    unit: string;
    quantity: string;
    share: BucketShare;
    attributes?: Record<string, string | number | boolean>;
  },
): UsageRecordInput {
  return {
    specversion: '1.0',
    type: 'ocx.usage.v1',
    // One record per resource, metric and bucket: the idempotency key.
    id: `${input.resource.type}/${input.resource.id}/${input.metric}/${new Date(input.share.bucketStart).toISOString()}`,
    source: `ocx://${context.landlord}/${context.service}`,
    time: context.clock.now().toISOString(),
    subject: { organization: input.project.organization, project: input.project.project },
    landlord: context.landlord,
    service: context.service,
    resource: input.resource.name
      ? { ...input.resource, name: input.resource.name.slice(0, 256) }
      : { id: input.resource.id, type: input.resource.type },
    metric: input.metric,
    unit: input.unit,
    quantity: input.quantity,
    window: { start: new Date(input.share.from).toISOString(), end: new Date(input.share.to).toISOString() },
    ...(input.attributes === undefined ? {} : { attributes: input.attributes }),
  };
}
