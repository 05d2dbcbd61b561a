/**
 * One usage record (or the part of it inside one billing period), flattened for rating.
 * Quantities are decimal strings; times are epoch milliseconds, half-open `[startMs, endMs)`.
 */
export interface UsagePart {
  /** Unique: the record's idempotency key and the part's index. */
  key: string;
  landlord: string;
  service: string;
  organization: string;
  project: string;
  user?: string;
  resourceId: string;
  resourceType: string;
  resourceName?: string;
  metric: string;
  unit: string;
  quantity: string;
  startMs: number;
  endMs: number;
  attributes?: Record<string, string | number | boolean>;
}

/** A quota limit held by a project in `[startMs, endMs)`, for allocation charging. */
export interface AllocationInterval {
  landlord: string;
  service: string;
  organization: string;
  project: string;
  /** The quota resource (`storage-gb`). */
  resource: string;
  limit: string;
  startMs: number;
  endMs: number;
}

/** Usage that could not be priced, reported instead of dropped. */
export interface UnratedUsage {
  key: string;
  landlord: string;
  service: string;
  metric: string;
  reason: 'no-price-list' | 'no-version' | 'no-rate';
}
