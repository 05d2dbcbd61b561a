import { Decimal } from '@ocx/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingPeriod } from '../period/billing-period.js';
import type { InstanceActionRow } from './instance-action-row.js';
import { nercPriceList } from './nerc-price-list.js';
import { rateInstanceActions } from './rate-instance-actions.js';

const PERIOD = billingPeriod('2024-03');
const START = Date.parse(PERIOD.start);
const MINUTES = (Date.parse(PERIOD.end) - START) / 60_000;
const EVENTS = ['create', 'start', 'stop', 'shelve', 'unshelve', 'suspend', 'reboot', 'resize', 'delete'] as const;
const FLAVORS = [
  { vcpus: 1, ramMb: 2048, gpus: 0 },
  { vcpus: 10, ramMb: 46080, gpus: 0 },
  { vcpus: 24, ramMb: 98304, gpus: 2, gpuType: 'a100' },
];
const OUTAGE = { from: 10 * 1440, to: 10 * 1440 + 500 }; // minutes into the period

/** A few instances, each with actions at whole minutes from a day before the period to a day after. */
const timelines = fc.array(
  fc.record({
    project: fc.constantFrom('p1', 'p2'),
    flavor: fc.integer({ min: 0, max: FLAVORS.length - 1 }),
    actions: fc.array(
      fc.record({
        minute: fc.integer({ min: -1440, max: MINUTES + 1440 }),
        event: fc.constantFrom(...EVENTS),
        failed: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
  }),
  { minLength: 1, maxLength: 4 },
);

type Timeline = { project: string; flavor: number; actions: Array<{ minute: number; event: string; failed: boolean }> };

function rowsOf(instances: Timeline[]): InstanceActionRow[] {
  return instances.flatMap((instance, index) => {
    const flavor = FLAVORS[instance.flavor]!;
    // distinct minutes per instance: equal times would leave the order to the input
    const seen = new Set<number>();
    return instance.actions
      .filter((action) => !seen.has(action.minute) && seen.add(action.minute))
      .map((action) => ({
        project: instance.project,
        instanceId: `i${index}`,
        flavor: `f${instance.flavor}`,
        ...flavor,
        event: action.event,
        result: action.failed && action.event !== 'create' ? ('error' as const) : ('success' as const),
        timestamp: new Date(START + action.minute * 60_000),
      }));
  });
}

/** The rules written out minute by minute, the slow obvious way, as the oracle. */
function oracle(rows: InstanceActionRow[]): Map<string, Decimal> {
  const states: Record<string, string> = {
    create: 'running',
    start: 'running',
    unshelve: 'running',
    stop: 'stopped',
    shelve: 'shelved',
    delete: 'deleted',
  };
  const rates: Record<string, string> = { CPU: '0.013', GPUA100: '1.803' };
  const suHours = new Map<string, number>();
  const byInstance = new Map<string, InstanceActionRow[]>();
  for (const row of rows) byInstance.set(row.instanceId, [...(byInstance.get(row.instanceId) ?? []), row]);
  for (const actions of byInstance.values()) {
    actions.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    const minuteOf = (row: InstanceActionRow) => (row.timestamp.getTime() - START) / 60_000;
    let state = 'none';
    let next = 0;
    let billedMinutes = 0;
    for (; next < actions.length && minuteOf(actions[next]!) < 0; next++) {
      if (state === 'deleted') break;
      const row = actions[next]!;
      state = row.result === 'error' ? 'error' : (states[row.event] ?? state);
    }
    for (let minute = 0; minute < MINUTES; minute++) {
      while (next < actions.length && minuteOf(actions[next]!) === minute) {
        const row = actions[next++]!;
        if (state !== 'deleted') state = row.result === 'error' ? 'error' : (states[row.event] ?? state);
      }
      const billed = state === 'running' || state === 'stopped';
      if (billed && !(minute >= OUTAGE.from && minute < OUTAGE.to)) billedMinutes += 1;
    }
    const final = actions.filter((row) => minuteOf(row) < MINUTES).at(-1);
    if (final === undefined || billedMinutes === 0) continue;
    const type = final.gpus > 0 ? 'GPUA100' : 'CPU';
    const sus = final.gpus > 0 ? final.gpus : Math.floor(Math.max(final.vcpus, final.ramMb / 4096));
    const key = `${final.project}/${type}`;
    suHours.set(key, (suHours.get(key) ?? 0) + Math.ceil(billedMinutes / 60) * sus);
  }
  return new Map(
    [...suHours].map(([key, hours]) => [
      key,
      Decimal.from(rates[key.split('/')[1]!]!).multiply(String(hours)).round(2, 'half-up'),
    ]),
  );
}

const outages = [
  {
    start: new Date(START + OUTAGE.from * 60_000).toISOString(),
    end: new Date(START + OUTAGE.to * 60_000).toISOString(),
    services: ['NERC OpenStack'],
  },
];

describe('rateInstanceActions — properties', () => {
  it('agrees with a minute-by-minute oracle of the NERC rules, row by row', () => {
    fc.assert(
      fc.property(timelines, (instances) => {
        const rows = rowsOf(instances);
        const result = rateInstanceActions({ priceList: nercPriceList(), period: PERIOD, actions: rows, outages });
        const got = new Map(result.rows.map((row) => [`${row.project}/${row.suType}`, Decimal.from(row.cost)]));
        const expected = oracle(rows);
        expect([...got].map(([key, cost]) => [key, cost.toFixed(2)]).sort()).toEqual(
          [...expected]
            .filter(([, cost]) => true || cost)
            .map(([key, cost]) => [key, cost.toFixed(2)])
            .sort(),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('total is exactly the sum of rows, whatever the order of the input', () => {
    fc.assert(
      fc.property(timelines, fc.integer(), (instances, seed) => {
        const rows = rowsOf(instances);
        const shuffled = [...rows].sort(
          (a, b) => ((a.timestamp.getTime() ^ seed) % 7) - ((b.timestamp.getTime() ^ seed) % 7),
        );
        const first = rateInstanceActions({ priceList: nercPriceList(), period: PERIOD, actions: rows, outages });
        const second = rateInstanceActions({ priceList: nercPriceList(), period: PERIOD, actions: shuffled, outages });
        expect(second.rows).toEqual(first.rows);
        expect(first.total).toBe(Decimal.sum(first.rows.map((row) => row.cost)).toFixed(2));
      }),
      { numRuns: 100 },
    );
  });
});
