import { expect } from 'vitest';
import { Decimal } from '../../money/decimal.js';
import type { Meter } from '../../spec/interfaces/meter.js';
import type { TimeWindow } from '../../spec/primitives.js';
import { type UsageRecord, UsageRecordSchema, usageRecordKey } from '../../spec/usage-record.js';
import {
  abortedSignal,
  type ConformanceOptions,
  type ConformanceSubject,
  defineConformanceSuite,
  expectOcxError,
  missingCapability,
} from './harness.js';

/** Options of {@link runMeterConformance}. */
export interface MeterConformanceOptions extends ConformanceOptions {
  /** The window to collect, half-open; it must contain usage (see `produceUsage`). */
  window: TimeWindow;
  /** Create usage inside the window before the cases run (e.g. allocate a node, boot a server). */
  produceUsage?: (subject: ConformanceSubject) => Promise<void>;
  /**
   * Whether collecting two adjoining halves gives the same records as the whole window.
   * True by default; say false (with a reason) for sampling meters whose buckets do not split.
   */
  splittable?: true | { reason: string };
  /** Where to split the window for the split case; the midpoint floored to the hour by default. */
  splitAt?: string;
}

interface Context {
  subject: ConformanceSubject;
  meters: readonly Meter[];
  records: Map<string, UsageRecord[]>;
}

async function collectAll(meter: Meter, window: TimeWindow, signal?: AbortSignal): Promise<UsageRecord[]> {
  const records: UsageRecord[] = [];
  for await (const record of meter.collect(window, { signal })) records.push(UsageRecordSchema.parse(record));
  return records;
}

function totalsByMetric(records: readonly UsageRecord[]): Record<string, string> {
  const totals: Record<string, Decimal> = {};
  for (const record of records) totals[record.metric] = (totals[record.metric] ?? Decimal.ZERO).add(record.quantity);
  return Object.fromEntries(Object.entries(totals).map(([metric, total]) => [metric, total.toString()]));
}

/** The Meter conformance suite: valid records, inside the window, stable ids, half-open windows. */
export function runMeterConformance(options: MeterConformanceOptions): void {
  const window = options.window;
  defineConformanceSuite<Context>(
    `Meter conformance${options.name === undefined ? '' : ` — ${options.name}`}`,
    {
      timeoutMs: options.timeoutMs,
      setup: async () => {
        const subject = await options.setup();
        if (subject.driver.meters !== undefined) await options.produceUsage?.(subject);
        return { subject, meters: subject.driver.meters ?? [], records: new Map() };
      },
      teardown: async (context) => context.subject.teardown?.(),
      gate: (context) => missingCapability(context.subject.driver, 'meters'),
    },
    (add) => {
      add('declares the metrics its meters produce', ({ subject, meters }) => {
        const produced = new Set(meters.flatMap((meter) => meter.metrics));
        expect([...produced].sort()).toEqual([...new Set(subject.driver.capabilities.meters?.metrics ?? [])].sort());
      });

      add('yields valid records of its own metrics, inside the window', async ({ meters, records }) => {
        const start = Date.parse(window.start);
        const end = Date.parse(window.end);
        for (const meter of meters) {
          const collected = await collectAll(meter, window);
          records.set(meter.name, collected);
          for (const record of collected) {
            expect(meter.metrics).toContain(record.metric);
            expect(Date.parse(record.window.start)).toBeGreaterThanOrEqual(start);
            expect(Date.parse(record.window.end)).toBeLessThanOrEqual(end);
            expect(Decimal.from(record.quantity).isNegative()).toBe(false);
          }
        }
        const total = [...records.values()].reduce((sum, list) => sum + list.length, 0);
        expect(total, 'no usage in the window: give produceUsage or a window with usage').toBeGreaterThan(0);
      });

      add('(source, id) is unique within a collection', ({ records }) => {
        for (const collected of records.values()) {
          expect(new Set(collected.map(usageRecordKey)).size).toBe(collected.length);
        }
      });

      add('collecting again yields the same records (ids are idempotency keys)', async ({ meters, records }) => {
        for (const meter of meters) {
          const again = await collectAll(meter, window);
          const first = new Map(
            (records.get(meter.name) ?? []).map((record) => [usageRecordKey(record), record.quantity]),
          );
          expect(new Map(again.map((record) => [usageRecordKey(record), record.quantity]))).toEqual(first);
        }
      });

      add(
        'two adjoining halves give the whole window: no record twice, none lost',
        async ({ meters }) => {
          const hour = 3_600_000;
          const midpoint = (Date.parse(window.start) + Date.parse(window.end)) / 2;
          const split =
            options.splitAt ??
            new Date(Math.max(Date.parse(window.start) + hour, Math.floor(midpoint / hour) * hour)).toISOString();
          for (const meter of meters) {
            const whole = await collectAll(meter, window);
            const first = await collectAll(meter, { start: window.start, end: split });
            const second = await collectAll(meter, { start: split, end: window.end });
            const firstKeys = new Set(first.map(usageRecordKey));
            expect(second.filter((record) => firstKeys.has(usageRecordKey(record)))).toEqual([]);
            expect(totalsByMetric([...first, ...second])).toEqual(totalsByMetric(whole));
          }
        },
        {
          skipUnless: () =>
            options.splittable === undefined || options.splittable === true
              ? undefined
              : `not splittable: ${options.splittable.reason}`,
        },
      );

      add('refuses a window whose end is not after its start', async ({ meters }) => {
        for (const meter of meters) {
          await expectOcxError(collectAll(meter, { start: window.end, end: window.start }), ['validation']);
        }
      });

      add('an aborted collection is refused', async ({ meters }) => {
        for (const meter of meters) await expectOcxError(collectAll(meter, window, abortedSignal()), ['aborted']);
      });
    },
  );
}
