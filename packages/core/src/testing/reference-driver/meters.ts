import { Decimal } from '../../money/decimal.js';
import type { Meter } from '../../spec/interfaces/meter.js';
import { TimeWindowSchema } from '../../spec/primitives.js';
import type { UsageRecordInput } from '../../spec/usage-record.js';
import { checkInput, checkSignal } from './checks.js';
import type { ReferenceState } from './state.js';

const HOUR_MS = 3_600_000;

/**
 * Node-hours per allocated node, one record per node and whole UTC hour. An hour is reported
 * only once it has ended, so a record never changes after it was first collected and the id
 * (node, hour, allocation) stays a true idempotency key.
 */
export function createNodeHoursMeter(state: ReferenceState, landlord: string, service: string): Meter {
  return {
    name: 'node-hours',
    metrics: ['node-hours'],
    async *collect(requested, options) {
      const window = checkInput(TimeWindowSchema, requested, 'collect');
      checkSignal(options, 'collect');
      const start = Date.parse(window.start);
      const end = Math.min(Date.parse(window.end), state.clock.now().getTime());
      const firstHour = Math.floor(start / HOUR_MS) * HOUR_MS;
      for (const node of [...state.nodes.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        for (const allocation of node.allocations) {
          for (let hour = firstHour; hour + HOUR_MS <= end; hour += HOUR_MS) {
            if (hour < start) continue;
            const from = Math.max(hour, allocation.start);
            const to = Math.min(hour + HOUR_MS, allocation.end ?? Number.POSITIVE_INFINITY);
            if (to <= from) continue;
            yield record(state, landlord, service, {
              id: `${node.name}/${new Date(hour).toISOString()}/${allocation.start}`,
              project: allocation.project,
              resource: { id: node.name, type: 'bare-metal-node' },
              metric: 'node-hours',
              unit: 'node·h',
              quantity: Decimal.from(to - from)
                .divide(Decimal.from(HOUR_MS), 6)
                .toString(),
              start: from,
              end: to,
            });
          }
        }
      }
    },
  };
}

/**
 * Usage recorded by hand with `driver.ext.recordUsage`, prorated into whole-hour buckets so that
 * adjoining windows split it without loss or overlap. The last bucket takes the rounding
 * remainder, so the buckets always sum exactly to the recorded quantity.
 */
export function createRecordedUsageMeter(
  state: ReferenceState,
  landlord: string,
  service: string,
  metrics: readonly string[],
): Meter {
  return {
    name: 'usage',
    metrics,
    async *collect(requested, options) {
      const window = checkInput(TimeWindowSchema, requested, 'collect');
      checkSignal(options, 'collect');
      const start = Date.parse(window.start);
      const end = Date.parse(window.end);
      for (const [index, usage] of state.recordedUsage.entries()) {
        for (const bucket of hourlyBuckets(usage.start, usage.end, usage.quantity)) {
          if (bucket.start < start || bucket.end > end) continue;
          yield record(state, landlord, service, {
            id: `recorded/${index}/${new Date(bucket.start).toISOString()}`,
            project: usage.project,
            user: usage.user,
            resource: { id: usage.resource, type: usage.metric.split('-')[0] ?? 'resource' },
            metric: usage.metric,
            unit: usage.unit,
            quantity: bucket.quantity,
            start: bucket.start,
            end: bucket.end,
          });
        }
      }
    },
  };
}

function hourlyBuckets(
  start: number,
  end: number,
  quantity: string,
): Array<{ start: number; end: number; quantity: string }> {
  const total = Decimal.from(quantity);
  const duration = Decimal.from(end - start);
  const buckets: Array<{ start: number; end: number; quantity: string }> = [];
  let assigned = Decimal.ZERO;
  for (let from = start; from < end; ) {
    const to = Math.min(end, (Math.floor(from / HOUR_MS) + 1) * HOUR_MS);
    const share =
      to === end ? total.subtract(assigned) : total.multiply(Decimal.from(to - from)).divide(duration, 6, 'down');
    assigned = assigned.add(share);
    buckets.push({ start: from, end: to, quantity: share.toString() });
    from = to;
  }
  return buckets;
}

function record(
  state: ReferenceState,
  landlord: string,
  service: string,
  item: {
    id: string;
    project: string;
    user?: string;
    resource: { id: string; type: string };
    metric: string;
    unit: string;
    quantity: string;
    start: number;
    end: number;
  },
): UsageRecordInput {
  const organization = state.projects.get(item.project)?.organization ?? 'unassigned';
  return {
    specversion: '1.0',
    type: 'ocx.usage.v1',
    id: item.id,
    source: `ocx://${landlord}/${service}`,
    time: state.clock.now().toISOString(),
    subject: { organization, project: item.project, ...(item.user === undefined ? {} : { user: item.user }) },
    landlord,
    service,
    resource: item.resource,
    metric: item.metric,
    unit: item.unit,
    quantity: item.quantity,
    window: { start: new Date(item.start).toISOString(), end: new Date(item.end).toISOString() },
  };
}
