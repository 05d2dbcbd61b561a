import { OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { billingPeriod } from '../period/billing-period.js';
import { parsePriceList } from '../price-list/load-price-list.js';
import type { InstanceActionRow } from './instance-action-row.js';
import type { InstanceBillingInput } from './instance-billing-schema.js';
import { NERC_PRICE_LIST, nercPriceList } from './nerc-price-list.js';
import { rateInstanceActions } from './rate-instance-actions.js';

const MARCH = billingPeriod('2024-03'); // 744 h; NERC charges stopped instances from 2024-03
const FEBRUARY = billingPeriod('2024-02'); // 696 h; stopped instances not charged

interface Flavor {
  vcpus: number;
  ramMb: number;
  gpus?: number;
  gpuType?: string;
  name?: string;
}
const SMALL: Flavor = { vcpus: 1, ramMb: 4096 };

function action(
  instanceId: string,
  event: string,
  at: string,
  flavor: Flavor = SMALL,
  result: 'success' | 'error' = 'success',
  project = 'p1',
): InstanceActionRow {
  return {
    project,
    instanceId,
    flavor: flavor.name ?? `f${flavor.vcpus}`,
    vcpus: flavor.vcpus,
    ramMb: flavor.ramMb,
    gpus: flavor.gpus ?? 0,
    ...(flavor.gpuType === undefined ? {} : { gpuType: flavor.gpuType }),
    event,
    result,
    timestamp: new Date(at),
  };
}

function bill(
  actions: InstanceActionRow[],
  period = MARCH,
  outages = [] as Parameters<typeof rateInstanceActions>[0]['outages'],
) {
  return rateInstanceActions({ priceList: nercPriceList(), period, actions, outages });
}

/** NERC's rules with some changed: the price list of one version covering all of 2024. */
function withRules(change: Partial<InstanceBillingInput>) {
  const base = NERC_PRICE_LIST.versions[1]!.instanceBilling!;
  return parsePriceList({
    ...NERC_PRICE_LIST,
    versions: [{ version: 'v', effectiveFrom: '2024-01-01T00:00:00Z', instanceBilling: { ...base, ...change } }],
  });
}

const hoursOf = (result: ReturnType<typeof bill>) => result.instances.map((charge) => charge.hours);

describe('rateInstanceActions — NERC rules, one rule per test', () => {
  it('rounds 37 s of running up to one hour, once for the period', () => {
    // create → delete 37 s later: ceil(37 / 3600) = 1 h; 1 SU × 1 h × 0.013 = 0.013 → 0.01
    const result = bill([action('a', 'create', '2024-03-10T00:00:00Z'), action('a', 'delete', '2024-03-10T00:00:37Z')]);
    expect(result.rows).toEqual([
      expect.objectContaining({ project: 'p1', suType: 'CPU', suHours: '1', rate: '0.013', cost: '0.01' }),
    ]);
    expect(result.instances[0]).toMatchObject({ usedSeconds: '37', hours: '1' });
  });

  it('bills exactly 3 h as 3 h, not 4', () => {
    const result = bill([action('a', 'create', '2024-03-10T00:00:00Z'), action('a', 'delete', '2024-03-10T03:00:00Z')]);
    expect(result.rows[0]?.suHours).toBe('3');
  });

  it('rounds once per instance per period, not per interval', () => {
    // three 20-minute runs: 60 min in all → 1 h (per-interval rounding would give 3 h)
    const result = bill([
      action('a', 'create', '2024-03-10T00:00:00Z'),
      action('a', 'shelve', '2024-03-10T00:20:00Z'),
      action('a', 'unshelve', '2024-03-11T00:00:00Z'),
      action('a', 'shelve', '2024-03-11T00:20:00Z'),
      action('a', 'unshelve', '2024-03-12T00:00:00Z'),
      action('a', 'delete', '2024-03-12T00:20:00Z'),
    ]);
    expect(hoursOf(result)).toEqual(['1']);
  });

  it('leaves an instance unbilled after a failed reboot until its next start', () => {
    // running 00:00–01:00 (1 h), error 01:00–05:00 (not billed), running 05:00–06:00 (1 h) → 2 h
    const result = bill([
      action('a', 'create', '2024-03-10T00:00:00Z'),
      action('a', 'reboot', '2024-03-10T01:00:00Z', SMALL, 'error'),
      action('a', 'reboot', '2024-03-10T02:00:00Z'), // a successful reboot doesn't end the error state
      action('a', 'start', '2024-03-10T05:00:00Z'),
      action('a', 'delete', '2024-03-10T06:00:00Z'),
    ]);
    expect(hoursOf(result)).toEqual(['2']);
  });

  it('bills a resize then revert at the original flavor (the final one)', () => {
    const large: Flavor = { vcpus: 4, ramMb: 16384 };
    // 10 h at the final flavor (1 SU) = 10 SU-hours; at the large one it would be 40
    const result = bill([
      action('a', 'create', '2024-03-10T00:00:00Z'),
      action('a', 'resize', '2024-03-10T02:00:00Z', large),
      action('a', 'revertResize', '2024-03-10T03:00:00Z', SMALL),
      action('a', 'delete', '2024-03-10T10:00:00Z'),
    ]);
    expect(result.rows[0]?.suHours).toBe('10');
  });

  it('splits at each resize when flavorAttribution is split', () => {
    const large: Flavor = { vcpus: 4, ramMb: 16384 };
    // 2 h at 1 SU + 1 h at 4 SU + 7 h at 1 SU = 2 + 4 + 7 = 13 SU-hours
    const result = rateInstanceActions({
      priceList: withRules({ flavorAttribution: 'split' }),
      period: MARCH,
      actions: [
        action('a', 'create', '2024-03-10T00:00:00Z'),
        action('a', 'resize', '2024-03-10T02:00:00Z', large),
        action('a', 'revertResize', '2024-03-10T03:00:00Z', SMALL),
        action('a', 'delete', '2024-03-10T10:00:00Z'),
      ],
    });
    expect(result.rows[0]?.suHours).toBe('13');
  });

  it('credits an instance created inside an outage, before rounding', () => {
    // runs 15:00–22:00 (7 h); outage 14:00–20:00 covers 5 h of it → 2 h
    const outages = [{ start: '2024-03-12T14:00:00Z', end: '2024-03-12T20:00:00Z', services: ['NERC OpenStack'] }];
    const result = bill(
      [action('a', 'create', '2024-03-12T15:00:00Z'), action('a', 'delete', '2024-03-12T22:00:00Z')],
      MARCH,
      outages,
    );
    expect(result.instances[0]).toMatchObject({ usedSeconds: '25200', creditedSeconds: '18000', hours: '2' });
  });

  it('credits each outage window on its own and only for its service', () => {
    const actions = [action('a', 'create', '2024-03-12T00:00:00Z'), action('a', 'delete', '2024-03-12T10:00:00Z')];
    const outages = [
      { start: '2024-03-12T01:00:00Z', end: '2024-03-12T03:00:00Z', services: ['NERC OpenStack'] },
      { start: '2024-03-12T02:00:00Z', end: '2024-03-12T04:00:00Z', services: ['NERC OpenStack'] },
      { start: '2024-03-12T05:00:00Z', end: '2024-03-12T09:00:00Z', services: ['ocp-prod'] },
    ];
    // 10 h − 2 h − 2 h (the overlap counts in each window) = 6 h; the OpenShift outage is ignored
    expect(hoursOf(bill(actions, MARCH, outages))).toEqual(['6']);
  });

  it('bills suspended and paused instances as running', () => {
    const result = bill([
      action('a', 'create', '2024-03-10T00:00:00Z'),
      action('a', 'suspend', '2024-03-10T01:00:00Z'),
      action('a', 'resume', '2024-03-10T02:00:00Z'),
      action('a', 'pause', '2024-03-10T03:00:00Z'),
      action('a', 'delete', '2024-03-10T04:00:00Z'),
    ]);
    expect(hoursOf(result)).toEqual(['4']);
  });

  it('never bills shelved; bills stopped only when the dated flag says so', () => {
    const timeline = (month: string) => [
      action('a', 'create', `${month}-10T00:00:00Z`),
      action('a', 'stop', `${month}-10T01:00:00Z`),
      action('a', 'start', `${month}-10T02:00:00Z`),
      action('a', 'shelve', `${month}-10T03:00:00Z`),
      action('a', 'unshelve', `${month}-10T05:00:00Z`),
      action('a', 'delete', `${month}-10T06:00:00Z`),
    ];
    // March 2024 (stopped charged): 0–3 h + 5–6 h = 4 h; February 2024 (not): 0–1 + 2–3 + 5–6 = 3 h
    expect(hoursOf(bill(timeline('2024-03')))).toEqual(['4']);
    expect(hoursOf(bill(timeline('2024-02'), FEBRUARY))).toEqual(['3']);
    expect(bill(timeline('2024-02'), FEBRUARY).rows[0]?.priceListVersion).toBe('2023-06');
  });

  it('floors SUs per hour for legacy flavors: 10 vCPU / 46,080 MB is 11 SUs', () => {
    const legacy: Flavor = { vcpus: 10, ramMb: 46080 };
    // max(10 / 1, 46080 / 4096 = 11.25) = 11.25 → int() = 11; 1 h → 11 SU-hours; 11 × 0.013 = 0.143 → 0.14
    const result = bill([
      action('a', 'create', '2024-03-10T00:00:00Z', legacy),
      action('a', 'delete', '2024-03-10T01:00:00Z', legacy),
    ]);
    expect(result.rows[0]).toMatchObject({ suHours: '11', cost: '0.14' });
    expect(result.instances[0]?.serviceUnits).toBe('11');
  });

  it('counts GPU SUs as GPUs of the PCI alias, ignoring vCPUs and RAM', () => {
    const gpu: Flavor = { vcpus: 48, ramMb: 196608, gpus: 2, gpuType: 'A100-SXM4' };
    // 2 GPUs × 3 h = 6 SU-hours of GPUA100SXM4 at 2.078 = 12.468 → 12.47
    const result = bill([
      action('a', 'create', '2024-03-10T00:00:00Z', gpu),
      action('a', 'delete', '2024-03-10T03:00:00Z', gpu),
    ]);
    expect(result.rows).toEqual([
      expect.objectContaining({ suType: 'GPUA100SXM4', suName: 'OpenStack GPUA100SXM4', suHours: '6', cost: '12.47' }),
    ]);
  });

  it('takes the state at the period start from earlier actions and ignores later ones', () => {
    const result = bill([
      action('running', 'create', '2024-02-15T00:00:00Z'), // runs all March: 744 h
      action('running', 'stop', '2024-04-02T00:00:00Z'), // after the end: doesn't count
      action('gone', 'create', '2024-01-01T00:00:00Z'),
      action('gone', 'delete', '2024-02-01T00:00:00Z'), // deleted before the period: nothing
    ]);
    expect(result.instances.map((charge) => [charge.instanceId, charge.hours])).toEqual([['running', '744']]);
  });

  it('rounds cents once per (project, SU type) row, half-up', () => {
    // two instances of 1 SU-hour each: 2 × 0.013 = 0.026 → 0.03 (per-instance rounding would give 0.02)
    const result = bill([
      action('a', 'create', '2024-03-10T00:00:00Z'),
      action('a', 'delete', '2024-03-10T01:00:00Z'),
      action('b', 'create', '2024-03-10T00:00:00Z'),
      action('b', 'delete', '2024-03-10T01:00:00Z'),
      action('c', 'create', '2024-03-10T00:00:00Z', SMALL, 'success', 'p2'),
      action('c', 'delete', '2024-03-10T01:00:00Z', SMALL, 'success', 'p2'),
    ]);
    expect(result.rows.map((row) => [row.project, row.suHours, row.cost])).toEqual([
      ['p1', '2', '0.03'],
      ['p2', '1', '0.01'],
    ]);
    expect(result.total).toBe('0.04');
  });

  it('offers exact, interval and day hour rounding', () => {
    const actions = [
      action('a', 'create', '2024-03-10T23:30:00Z'),
      action('a', 'shelve', '2024-03-11T00:10:00Z'),
      action('a', 'unshelve', '2024-03-11T01:00:00Z'),
      action('a', 'delete', '2024-03-11T01:15:00Z'),
    ];
    const hours = (hourRounding: InstanceBillingInput['hourRounding']) =>
      hoursOf(rateInstanceActions({ priceList: withRules({ hourRounding }), period: MARCH, actions }));
    // 40 min + 15 min = 55 min
    expect(hours('none')).toEqual(['0.916667']); // 55 / 60, reported to 6 places
    expect(hours('interval')).toEqual(['2']); // ceil(40 min) + ceil(15 min)
    expect(hours('day')).toEqual(['2']); // 10th: 30 min → 1 h; 11th: 10 + 15 min → 1 h
    expect(hours('period')).toEqual(['1']);
  });

  it('keeps exact seconds and exact cents when hours are not rounded', () => {
    // 1,800 s at 1 SU = 0.5 SU-hours; 0.5 × 0.013 = 0.0065 → 0.01 (half-up)
    const result = rateInstanceActions({
      priceList: withRules({ hourRounding: 'none' }),
      period: MARCH,
      actions: [action('a', 'create', '2024-03-10T00:00:00Z'), action('a', 'delete', '2024-03-10T00:30:00Z')],
    });
    expect(result.rows[0]).toMatchObject({ suHours: '0.5', suSeconds: '1800', cost: '0.01' });
  });
});

describe('rateInstanceActions — bad input', () => {
  it('names the row and the field of a bad row and bills nothing', () => {
    const good = action('a', 'create', '2024-03-10T00:00:00Z');
    const bad = { ...good, ramMb: -1 };
    const error = (() => {
      try {
        bill([good, bad]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OcxError);
    expect((error as OcxError).code).toBe('validation');
    expect((error as OcxError).message).toContain('row 2, column ram_mb');
    expect((error as OcxError).issues[0]?.path).toBe('rows.2.ram_mb');
  });

  it('refuses a GPU type no SU covers', () => {
    const gpu: Flavor = { vcpus: 8, ramMb: 65536, gpus: 1, gpuType: 'h200' };
    expect(() =>
      bill([action('a', 'create', '2024-03-10T00:00:00Z', gpu), action('a', 'delete', '2024-03-10T01:00:00Z', gpu)]),
    ).toThrow(/No service unit for GPU type "h200"/);
  });

  it('refuses a period no version with instance rules covers', () => {
    expect(() => bill([], billingPeriod('2023-01'))).toThrow(/no instanceBilling rules in force in 2023-01/);
  });
});
