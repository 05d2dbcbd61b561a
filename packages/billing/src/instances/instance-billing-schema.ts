import { Decimal, DecimalStringSchema } from '@ocx/core';
import { z } from 'zod';

const NonNegativeDecimal = DecimalStringSchema.refine(
  (text) => !Decimal.isDecimalString(text) || !Decimal.from(text).isNegative(),
  'must not be negative',
);
const PositiveDecimal = DecimalStringSchema.refine(
  (text) => !Decimal.isDecimalString(text) || Decimal.from(text).compare('0') > 0,
  'must be greater than zero',
);
const StateName = z.string().min(1).max(64);

/** The state a failed action leaves an instance in, until its next successful state-changing action. */
export const ERROR_STATE = 'error';
/** The state of an instance before its first state-changing action. */
export const NO_STATE = 'none';

/**
 * One kind of service unit (SU) billed from instance actions: which instances it covers, how many
 * SUs an instance of a flavor is per hour, and the price of one SU-hour.
 *
 * - A GPU SU (`gpuTypes` set) covers instances with GPUs of one of those PCI aliases (compared
 *   case-insensitively); its SUs are `gpus / gpusPerSu`, whatever the vCPUs and RAM.
 * - The CPU SU (no `gpuTypes`) covers instances without GPUs; its SUs are the larger of
 *   `vcpus / vcpusPerSu` and `ramMb / ramMbPerSu`.
 *
 * `suRounding` says what happens to a fractional SU count: `floor` (NERC: Python's `int()`, so
 * 10 vCPU / 46,080 MB is 11 SUs, not 11.25), `ceil`, or `exact` (the ratio itself, to 20 places).
 */
export const InstanceServiceUnitSchema = z
  .object({
    /** The SU type, as it appears in rows: `CPU`, `GPUA100`, … */
    type: z.string().min(1).max(64),
    /** The name printed on invoices (`OpenStack CPU`); the type when absent. */
    name: z.string().min(1).max(200).optional(),
    /** Price of one SU-hour. */
    rate: NonNegativeDecimal,
    gpuTypes: z.array(z.string().min(1).max(64)).min(1).optional(),
    gpusPerSu: PositiveDecimal.default('1'),
    vcpusPerSu: PositiveDecimal.optional(),
    ramMbPerSu: PositiveDecimal.optional(),
    suRounding: z.enum(['floor', 'ceil', 'exact']).default('floor'),
  })
  .strict()
  .superRefine((unit, context) => {
    if (unit.gpuTypes === undefined && unit.vcpusPerSu === undefined && unit.ramMbPerSu === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['vcpusPerSu'],
        message: 'a CPU service unit needs vcpusPerSu or ramMbPerSu (or gpuTypes for a GPU one)',
      });
    }
  });
export type InstanceServiceUnit = z.output<typeof InstanceServiceUnitSchema>;

/**
 * How one price-list version bills instances from their Nova actions — every rule is data:
 *
 * - `actions`: the state each successful action enters (`create: running`, `stop: stopped`, …).
 *   Actions not listed (reboot, suspend, pause, resize…) leave the state as it is. Any action
 *   whose result is an error puts the instance in the `error` state until its next successful
 *   action that is listed here. `terminalStates` end the timeline (later actions are ignored).
 * - `billedStates` are always billed; `stoppedStates` are billed only when `chargeStopped` is true
 *   (NERC's "Charge for Stopped Instances" flag: false 2023-06..2024-02, true from 2024-03 — put
 *   each value in the version in force then). `error`, `none` and other states are not billed.
 * - `flavorAttribution`: `final` bills every hour at the instance's last flavor in the period
 *   (NERC); `split` bills each interval at the flavor the instance had then.
 * - `hourRounding`: `none` (exact seconds), `interval` (each billed interval rounded up to whole
 *   hours), `day` (each UTC day's billed time rounded up), or `period` (NERC: `ceil(billed
 *   seconds / 3600)` once per instance for the period, after the outage credit).
 * - Outage credit: the billed time inside each outage window affecting `outageService` is
 *   subtracted before rounding, each window on its own (never below zero).
 * - Money: `rate × SU-hours` rounded half-up to cents once per (project, SU type) row.
 */
export const InstanceBillingSchema = z
  .object({
    /** Outage windows naming this service (or no service) are credited. */
    outageService: z.string().min(1).max(200).optional(),
    actions: z.record(z.string().min(1).max(64), StateName),
    terminalStates: z.array(StateName).default(['deleted']),
    billedStates: z.array(StateName).default(['running']),
    stoppedStates: z.array(StateName).default(['stopped']),
    chargeStopped: z.boolean().default(false),
    flavorAttribution: z.enum(['final', 'split']).default('final'),
    hourRounding: z.enum(['none', 'interval', 'day', 'period']).default('period'),
    serviceUnits: z.array(InstanceServiceUnitSchema).min(1),
  })
  .strict()
  .superRefine((rules, context) => {
    const reserved = new Set([ERROR_STATE, NO_STATE]);
    for (const [event, state] of Object.entries(rules.actions)) {
      if (reserved.has(state))
        context.addIssue({ code: 'custom', path: ['actions', event], message: `"${state}" is reserved` });
    }
    for (const key of ['billedStates', 'stoppedStates'] as const) {
      rules[key].forEach((state, index) => {
        if (reserved.has(state))
          context.addIssue({ code: 'custom', path: [key, index], message: `"${state}" is never billed` });
      });
    }
    const types = new Set<string>();
    const gpuTypes = new Set<string>();
    let cpuUnits = 0;
    rules.serviceUnits.forEach((unit, index) => {
      if (types.has(unit.type))
        context.addIssue({ code: 'custom', path: ['serviceUnits', index, 'type'], message: 'duplicate SU type' });
      types.add(unit.type);
      if (unit.gpuTypes === undefined) cpuUnits += 1;
      unit.gpuTypes?.forEach((gpuType, at) => {
        const key = gpuType.toLowerCase();
        if (gpuTypes.has(key))
          context.addIssue({
            code: 'custom',
            path: ['serviceUnits', index, 'gpuTypes', at],
            message: `GPU type ${gpuType} belongs to two SUs`,
          });
        gpuTypes.add(key);
      });
    });
    if (cpuUnits > 1)
      context.addIssue({ code: 'custom', path: ['serviceUnits'], message: 'at most one SU may be without gpuTypes' });
  });
export type InstanceBilling = z.output<typeof InstanceBillingSchema>;
export type InstanceBillingInput = z.input<typeof InstanceBillingSchema>;
