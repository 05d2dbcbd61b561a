import { OcxError, type Store, type UsageRecordInput } from '@ocx/core';

const HOUR_MS = 3_600_000;

/** A usage record of one hour from `hour`, for tests. */
export function usageRecord(overrides: Partial<UsageRecordInput> & { hour?: string } = {}): UsageRecordInput {
  const { hour, ...rest } = overrides;
  const start = Date.parse(hour ?? '2026-11-02T00:00:00Z');
  const metric = rest.metric ?? 'vcpu-hours';
  const resource = rest.resource ?? { id: 'vm-1', type: 'server' };
  return {
    id: `${resource.id}/${metric}/${new Date(start).toISOString()}`,
    source: 'ocx://landlord-a/compute',
    time: new Date(start + HOUR_MS).toISOString(),
    subject: { organization: 'bu', project: 'genomics', user: 'alice' },
    landlord: 'landlord-a',
    service: 'compute',
    resource,
    metric,
    unit: 'vCPU·h',
    quantity: '1',
    window: { start: new Date(start).toISOString(), end: new Date(start + HOUR_MS).toISOString() },
    ...rest,
  };
}

/** `count` hourly records from `start`. */
export function hourlyRecords(
  count: number,
  start: string,
  overrides: Partial<UsageRecordInput> = {},
): UsageRecordInput[] {
  return Array.from({ length: count }, (_, index) =>
    usageRecord({ ...overrides, hour: new Date(Date.parse(start) + index * HOUR_MS).toISOString() }),
  );
}

/**
 * A store that fails on command: `failNext('batch')` makes the next batch throw a retryable
 * network error before writing anything, as a durable store's dropped connection would.
 */
export function faultyStore(
  inner: Store,
): Store & { failNext(method: 'batch' | 'put' | 'insertMany', times?: number): void } {
  const failures = new Map<string, number>();
  const maybeFail = (method: string): void => {
    const left = failures.get(method) ?? 0;
    if (left > 0) {
      failures.set(method, left - 1);
      throw new OcxError({
        code: 'network',
        message: `injected ${method} fault`,
        retryable: true,
        backend: 'faulty-store',
      });
    }
  };
  return {
    name: `faulty(${inner.name})`,
    failNext(method, times = 1) {
      failures.set(method, times);
    },
    get: (collection, key) => inner.get(collection, key),
    async put(collection, key, value, options) {
      maybeFail('put');
      return inner.put(collection, key, value, options);
    },
    delete: (collection, key, options) => inner.delete(collection, key, options),
    list: (collection, options) => inner.list(collection, options),
    async insertMany(collection, items) {
      maybeFail('insertMany');
      return inner.insertMany(collection, items);
    },
    append: (log, entries) => inner.append(log, entries),
    readLog: (log, options) => inner.readLog(log, options),
    async batch(operations) {
      maybeFail('batch');
      return inner.batch(operations);
    },
    close: () => inner.close(),
  } as Store & { failNext(method: 'batch' | 'put' | 'insertMany', times?: number): void };
}
