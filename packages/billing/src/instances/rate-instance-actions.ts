import { Decimal, OcxError } from '@ocx/core';
import type { BillingPeriod } from '../period/billing-period.js';
import type { BillingPriceList, Outage } from '../price-list/price-list-schema.js';
import { billedTime, HOUR_MS } from './billed-hours.js';
import { checkInstanceActionRows, type InstanceActionRow } from './instance-action-row.js';
import type { InstanceBilling, InstanceServiceUnit } from './instance-billing-schema.js';
import { billedStatesOf, replayInstance } from './instance-timeline.js';

/** Input of {@link rateInstanceActions}. */
export interface RateInstanceActionsInput {
  priceList: BillingPriceList;
  period: BillingPeriod;
  /** Every action of the instances to bill, before and inside the period, in any order. */
  actions: readonly InstanceActionRow[];
  /** Outage windows besides the price list's own (e.g. from `loadNercOutages`). */
  outages?: readonly Outage[];
}

/** One instance's charge: its SUs per hour, billed time and SU-hours (per flavor with `split`). */
export interface InstanceCharge {
  project: string;
  instanceId: string;
  suType: string;
  /** SUs per hour of the flavor billed. */
  serviceUnits: string;
  /** Seconds in billed states, before the outage credit. */
  usedSeconds: string;
  creditedSeconds: string;
  /** Hours charged after credit and rounding. */
  hours: string;
  suHours: string;
  priceListVersion: string;
}

/** One invoice row: a project's SU-hours of one SU type, at one rate, and their cost. */
export interface InstanceInvoiceRow {
  project: string;
  suType: string;
  /** The invoice name of the SU type (`OpenStack CPU`). */
  suName: string;
  /** SU-hours charged (exact when hours are rounded; else to 6 places, half-up). */
  suHours: string;
  /** The same quantity in SU-seconds, exact. */
  suSeconds: string;
  rate: string;
  /** `rate × SU-hours` rounded half-up to cents: the only rounding of money. */
  cost: string;
  currency: string;
  priceListId: string;
  priceListVersion: string;
  /** How many instance charges were added up. */
  instances: number;
}

/** What {@link rateInstanceActions} returns. */
export interface InstanceBillingResult {
  period: BillingPeriod;
  currency: string;
  /** By project, then SU type in the price list's order, then version. */
  rows: InstanceInvoiceRow[];
  instances: InstanceCharge[];
  /** Exactly the sum of the rows' costs. */
  total: string;
}

interface Segment {
  version: string;
  rules: InstanceBilling;
  fromMs: number;
  toMs: number;
}

function segmentsOf(list: BillingPriceList, period: BillingPeriod): Segment[] {
  const periodStart = Date.parse(period.start);
  const periodEnd = Date.parse(period.end);
  const segments: Segment[] = [];
  list.versions.forEach((version, index) => {
    const from = Date.parse(version.effectiveFrom);
    const nextFrom = list.versions[index + 1]?.effectiveFrom;
    const to = Date.parse(version.effectiveTo ?? nextFrom ?? '9999-12-31T00:00:00Z');
    const fromMs = Math.max(from, periodStart);
    const toMs = Math.min(to, periodEnd);
    if (toMs > fromMs && version.instanceBilling !== undefined)
      segments.push({ version: version.version, rules: version.instanceBilling, fromMs, toMs });
  });
  if (segments.length === 0) {
    throw new OcxError({
      code: 'validation',
      message: `Price list ${list.id} has no instanceBilling rules in force in ${period.id}`,
      issues: [{ path: 'priceList.versions', message: 'no version with instanceBilling covers the period' }],
      fault: 'client',
    });
  }
  return segments;
}

function outageWindows(outages: readonly Outage[], rules: InstanceBilling, segment: Segment): Array<[number, number]> {
  return outages
    .filter(
      (outage) =>
        outage.services === undefined ||
        (rules.outageService !== undefined && outage.services.includes(rules.outageService)),
    )
    .map((outage): [number, number] => [
      Math.max(Date.parse(outage.start), segment.fromMs),
      Math.min(Date.parse(outage.end), segment.toMs),
    ])
    .filter(([from, to]) => to > from);
}

/** Finds an instance's SU type and SUs per hour from its flavor, with a cache per flavor. */
class ServiceUnitFinder {
  private readonly cache = new Map<string, { unit: InstanceServiceUnit; count: Decimal }>();
  private readonly byGpu = new Map<string, InstanceServiceUnit>();
  private readonly cpu: InstanceServiceUnit | undefined;

  constructor(rules: InstanceBilling) {
    for (const unit of rules.serviceUnits)
      for (const type of unit.gpuTypes ?? []) this.byGpu.set(type.toLowerCase(), unit);
    this.cpu = rules.serviceUnits.find((unit) => unit.gpuTypes === undefined);
  }

  find(row: InstanceActionRow): { unit: InstanceServiceUnit; count: Decimal } {
    const key = `${row.vcpus}/${row.ramMb}/${row.gpus}/${row.gpuType ?? ''}`;
    let found = this.cache.get(key);
    if (found === undefined) {
      found = this.compute(row);
      this.cache.set(key, found);
    }
    return found;
  }

  private compute(row: InstanceActionRow): { unit: InstanceServiceUnit; count: Decimal } {
    const gpu = row.gpus > 0;
    const unit = gpu ? this.byGpu.get((row.gpuType ?? '').toLowerCase()) : this.cpu;
    if (unit === undefined) {
      throw new OcxError({
        code: 'validation',
        message: gpu
          ? `No service unit for GPU type ${JSON.stringify(row.gpuType)} (instance ${row.instanceId})`
          : `No CPU service unit for instance ${row.instanceId}`,
        issues: [{ path: gpu ? 'actions.gpuType' : 'priceList.instanceBilling.serviceUnits', message: 'no SU' }],
        fault: 'client',
      });
    }
    const ratios = gpu
      ? [Decimal.from(row.gpus).divide(unit.gpusPerSu, 20, 'half-up')]
      : [
          ...(unit.vcpusPerSu === undefined ? [] : [Decimal.from(row.vcpus).divide(unit.vcpusPerSu, 20, 'half-up')]),
          ...(unit.ramMbPerSu === undefined ? [] : [Decimal.from(row.ramMb).divide(unit.ramMbPerSu, 20, 'half-up')]),
        ];
    const ratio = ratios.reduce((a, b) => a.max(b));
    const count =
      unit.suRounding === 'exact' ? ratio : ratio.round(0, unit.suRounding === 'floor' ? 'floor' : 'ceiling');
    return { unit, count };
  }
}

/** Group rows by instance, each sorted by time (stable: equal times keep their input order). */
function byInstance(actions: readonly InstanceActionRow[]): Map<string, InstanceActionRow[]> {
  const groups = new Map<string, InstanceActionRow[]>();
  for (const row of actions) {
    const group = groups.get(row.instanceId);
    if (group === undefined) groups.set(row.instanceId, [row]);
    else group.push(row);
  }
  for (const group of groups.values()) {
    let sorted = true;
    for (let index = 1; index < group.length && sorted; index++)
      sorted = group[index - 1]!.timestamp.getTime() <= group[index]!.timestamp.getTime();
    if (!sorted) group.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  }
  return groups;
}

/** Drop trailing zeros of a decimal string (`12.500000` → `12.5`, `3.000` → `3`). */
function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

interface RowSum {
  project: string;
  unit: InstanceServiceUnit;
  unitIndex: number;
  segmentIndex: number;
  version: string;
  suMs: Decimal;
  instances: number;
}

/**
 * Bill instances from their Nova actions by the `instanceBilling` rules of the price list
 * versions in force in the period (see `InstanceBillingSchema` for each rule), and return one row
 * per (project, SU type) with SU-hours next to cost, plus each instance's charge.
 *
 * The actions are checked first: a bad row fails the whole call with a `validation` OcxError
 * naming the row and the field, and nothing is billed.
 *
 * @example
 * ```ts
 * const bill = rateInstanceActions({ priceList: nercPriceList(), period: billingPeriod('2024-03'), actions });
 * bill.rows; // [{ project: 'p1', suType: 'CPU', suHours: '744', rate: '0.013', cost: '9.67', … }]
 * ```
 */
export function rateInstanceActions(input: RateInstanceActionsInput): InstanceBillingResult {
  const actions = checkInstanceActionRows(input.actions);
  const list = input.priceList;
  const segments = segmentsOf(list, input.period);
  const outages = [...list.outages, ...(input.outages ?? [])];
  const groups = byInstance(actions);
  const sums = new Map<string, RowSum>();
  const instances: InstanceCharge[] = [];
  segments.forEach((segment, segmentIndex) => {
    const { rules } = segment;
    const billed = billedStatesOf(rules);
    const terminal = new Set(rules.terminalStates);
    const windows = outageWindows(outages, rules, segment);
    const finder = new ServiceUnitFinder(rules);
    for (const [instanceId, rows] of groups) {
      const timeline = replayInstance(rows, rules, billed, terminal, segment.fromMs, segment.toMs);
      if (timeline.intervals.length === 0 || timeline.lastRow === undefined) continue;
      const byFlavor = new Map<InstanceActionRow, typeof timeline.intervals>();
      if (rules.flavorAttribution === 'final') byFlavor.set(timeline.lastRow, timeline.intervals);
      else {
        for (const interval of timeline.intervals) {
          const found = finder.find(interval.flavorRow);
          const key = [...byFlavor.keys()].find((other) => finder.find(other) === found) ?? interval.flavorRow;
          const list = byFlavor.get(key);
          if (list === undefined) byFlavor.set(key, [interval]);
          else list.push(interval);
        }
      }
      for (const [flavorRow, intervals] of byFlavor) {
        const { unit, count } = finder.find(flavorRow);
        const time = billedTime(intervals, windows, rules.hourRounding);
        const suMs = count.multiply(Decimal.from(time.chargedMs));
        const project = flavorRow.project;
        instances.push({
          project,
          instanceId,
          suType: unit.type,
          serviceUnits: trimZeros(count.toString()),
          usedSeconds: trimZeros(Decimal.from(time.usedMs).divide('1000', 3).toString()),
          creditedSeconds: trimZeros(Decimal.from(time.creditedMs).divide('1000', 3).toString()),
          hours: trimZeros(Decimal.from(time.chargedMs).divide(String(HOUR_MS), 6, 'half-up').toString()),
          suHours: trimZeros(suMs.divide(String(HOUR_MS), 6, 'half-up').toString()),
          priceListVersion: segment.version,
        });
        if (time.chargedMs === 0 || count.isZero()) continue;
        const key = `${project}\u0000${unit.type}\u0000${segmentIndex}`;
        const sum = sums.get(key);
        if (sum === undefined) {
          const unitIndex = rules.serviceUnits.indexOf(unit);
          sums.set(key, { project, unit, unitIndex, segmentIndex, version: segment.version, suMs, instances: 1 });
        } else {
          sum.suMs = sum.suMs.add(suMs);
          sum.instances += 1;
        }
      }
    }
  });
  const rows = [...sums.values()]
    .sort((a, b) =>
      a.project !== b.project
        ? a.project < b.project
          ? -1
          : 1
        : a.unitIndex - b.unitIndex || a.segmentIndex - b.segmentIndex,
    )
    .map(
      (sum): InstanceInvoiceRow => ({
        project: sum.project,
        suType: sum.unit.type,
        suName: sum.unit.name ?? sum.unit.type,
        suHours: trimZeros(sum.suMs.divide(String(HOUR_MS), 6, 'half-up').toString()),
        suSeconds: trimZeros(sum.suMs.divide('1000', 3).toString()),
        rate: sum.unit.rate,
        cost: Decimal.from(sum.unit.rate).multiply(sum.suMs).divide(String(HOUR_MS), 2, 'half-up').toFixed(2),
        currency: list.currency,
        priceListId: list.id,
        priceListVersion: sum.version,
        instances: sum.instances,
      }),
    );
  const total = Decimal.sum(rows.map((row) => row.cost)).toFixed(2);
  return { period: input.period, currency: list.currency, rows, instances, total };
}
