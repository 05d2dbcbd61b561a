import { type CallOptions, OcxError } from '@ocx/core';
import { type RgwUsage, rgwUsageSchema } from './rgw-schemas.js';
import type { RgwTransport } from './rgw-transport.js';

/** Which part of the usage log to read (`GET /admin/usage`). */
export interface RgwUsageQuery {
  uid?: string;
  bucket?: string;
  /** Inclusive. RGW keeps hourly buckets, so only the hour counts. */
  start?: Date | string;
  /** Exclusive. */
  end?: Date | string;
  /** Only these categories (op names such as `put_obj`, `get_obj`, `list_bucket`). */
  categories?: readonly string[];
  /** Include the hourly entries (default true). */
  showEntries?: boolean;
  /** Include the per-user summary (default true). */
  showSummary?: boolean;
}

/** Which part of the usage log to delete (`DELETE /admin/usage`). */
export interface RgwUsageTrim {
  uid?: string;
  bucket?: string;
  start?: Date | string;
  end?: Date | string;
  /** Required, and must be true, to trim every user's usage: RGW refuses a trim without uid otherwise. */
  removeAll?: boolean;
}

/** RGW's usage dates: `YYYY-MM-DD HH:MM:SS` in UTC. */
export function rgwUsageTime(value: Date | string): string {
  const time = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(time.getTime())) {
    throw new OcxError({
      code: 'validation',
      fault: 'client',
      message: `Invalid usage time: ${String(value)}`,
      issues: [{ path: 'start', message: 'not a date' }],
    });
  }
  return time.toISOString().slice(0, 19).replace('T', ' ');
}

const optionalTime = (value: Date | string | undefined): string | undefined =>
  value === undefined ? undefined : rgwUsageTime(value);

/** The usage-log calls of the Admin Ops API (needs `rgw_enable_usage_log = true` on RGW). */
export function rgwUsageCalls(transport: RgwTransport) {
  return {
    /**
     * Read the usage log: per user and bucket, hourly totals of bytes sent and received and ops,
     * per category. RGW writes it in batches, so the last second or so may not be there yet.
     */
    showUsage(query: RgwUsageQuery = {}, options?: CallOptions): Promise<RgwUsage> {
      return transport.call(
        {
          operation: 'show_usage',
          method: 'GET',
          resource: 'usage',
          query: {
            uid: query.uid,
            bucket: query.bucket,
            start: optionalTime(query.start),
            end: optionalTime(query.end),
            categories: query.categories === undefined ? undefined : query.categories.join(','),
            'show-entries': query.showEntries === undefined ? undefined : String(query.showEntries),
            'show-summary': query.showSummary === undefined ? undefined : String(query.showSummary),
          },
          schema: rgwUsageSchema({ entries: query.showEntries !== false, summary: query.showSummary !== false }),
        },
        options,
      );
    },

    /** Delete usage-log entries. Without `uid`, `removeAll: true` must be given (as RGW requires). */
    async trimUsage(trim: RgwUsageTrim, options?: CallOptions): Promise<void> {
      if (trim.uid === undefined && trim.removeAll !== true) {
        throw new OcxError({
          code: 'validation',
          fault: 'client',
          backend: transport.http.backend,
          operation: 'trim_usage',
          message: 'trimUsage without uid deletes every user’s usage: pass removeAll: true to mean it',
          issues: [{ path: 'removeAll', message: 'required (true) when uid is not given' }],
        });
      }
      await transport.call(
        {
          operation: 'trim_usage',
          method: 'DELETE',
          resource: 'usage',
          query: {
            uid: trim.uid,
            bucket: trim.bucket,
            start: optionalTime(trim.start),
            end: optionalTime(trim.end),
            'remove-all': trim.removeAll === true ? 'true' : undefined,
          },
          idempotent: true,
        },
        options,
      );
    },
  };
}
