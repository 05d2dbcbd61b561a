import { CurrencySchema, Decimal, DecimalStringSchema, IdSchema, TimestampSchema } from '@ocx/core';
import { z } from 'zod';
import { InstanceBillingSchema } from '../instances/instance-billing-schema.js';

// zod runs every refinement even after one failed, so each guards against a non-decimal.
const NonNegativeDecimal = DecimalStringSchema.refine(
  (text) => !Decimal.isDecimalString(text) || !Decimal.from(text).isNegative(),
  'must not be negative',
);
const PositiveDecimal = DecimalStringSchema.refine(
  (text) => !Decimal.isDecimalString(text) || Decimal.from(text).compare('0') > 0,
  'must be greater than zero',
);
const MetricSchema = z.string().min(1).max(128);

function isDecimals(...texts: string[]): boolean {
  return texts.every((text) => Decimal.isDecimalString(text));
}

/** One tier: units up to `upTo` (inclusive; `null` = no limit, only on the last tier) cost `unitPrice` each. */
export const TierSchema = z
  .object({
    upTo: PositiveDecimal.nullable(),
    unitPrice: NonNegativeDecimal,
  })
  .strict();
export type Tier = z.output<typeof TierSchema>;

const TiersSchema = z
  .array(TierSchema)
  .min(1)
  .superRefine((tiers, context) => {
    tiers.forEach((tier, index) => {
      const last = index === tiers.length - 1;
      if (tier.upTo === null && !last) {
        context.addIssue({
          code: 'custom',
          path: [index, 'upTo'],
          message: 'only the last tier may be unlimited (null)',
        });
      }
      if (tier.upTo !== null && last) {
        context.addIssue({ code: 'custom', path: [index, 'upTo'], message: 'the last tier must be unlimited (null)' });
      }
      const previous = tiers[index - 1]?.upTo;
      if (
        tier.upTo !== null &&
        previous != null &&
        isDecimals(tier.upTo, previous) &&
        Decimal.from(tier.upTo).compare(previous) <= 0
      ) {
        context.addIssue({
          code: 'custom',
          path: [index, 'upTo'],
          message: 'tiers must ascend: upTo must exceed the previous tier',
        });
      }
    });
  });

/**
 * How a quantity becomes money:
 * - `unit`: every unit at `unitPrice`;
 * - `graduated`: each unit at the price of the tier it falls in (the first 1,000 at one price, the next at another);
 * - `volume`: every unit at the price of the tier the period's whole quantity falls in;
 * - `package`: per started package of `packageSize` units, at `packagePrice`.
 */
export const PricingSchema = z.discriminatedUnion('model', [
  z.object({ model: z.literal('unit'), unitPrice: NonNegativeDecimal }).strict(),
  z.object({ model: z.literal('graduated'), tiers: TiersSchema }).strict(),
  z.object({ model: z.literal('volume'), tiers: TiersSchema }).strict(),
  z.object({ model: z.literal('package'), packageSize: PositiveDecimal, packagePrice: NonNegativeDecimal }).strict(),
]);
export type Pricing = z.output<typeof PricingSchema>;

/** Whose usage is added up for tiers, free allowances and minimums within a period. */
export const AggregationScopeSchema = z.enum(['organization', 'project', 'user', 'resource']);
export type AggregationScope = z.output<typeof AggregationScopeSchema>;

/**
 * The price of one metric of one landlord (optionally of one service).
 *
 * `charging: 'usage'` prices usage records of `metric`; `charging: 'allocation'` prices the quota
 * history of `quotaResource` (limit × hours, as NERC bills storage on approved quota), reported
 * under `metric`. The unit price is per unit of the metric, which for time-based metrics
 * (`vcpu-hours`, `storage-gb-hours`) is a unit price per unit of time.
 */
export const RateSchema = z
  .object({
    service: IdSchema.optional(),
    metric: MetricSchema,
    unit: z.string().min(1).max(64),
    description: z.string().max(500).optional(),
    charging: z.enum(['usage', 'allocation']).default('usage'),
    quotaResource: z.string().min(1).max(64).optional(),
    pricing: PricingSchema,
    /** Units free of charge per period and aggregation scope, used first. */
    freeAllowance: PositiveDecimal.optional(),
    /** The least a scope pays for this metric in a period it used it in; the difference is a `minimum` line. */
    minimumCharge: PositiveDecimal.optional(),
    aggregation: AggregationScopeSchema.default('project'),
    /** Overrides the version's `chargeStopped` policy for this metric (storage of a stopped VM, say). */
    chargeStopped: z.boolean().optional(),
  })
  .strict()
  .superRefine((rate, context) => {
    if (rate.charging === 'allocation' && rate.quotaResource === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['quotaResource'],
        message: 'allocation charging needs the quota resource it bills',
      });
    }
    if (rate.minimumCharge !== undefined && rate.aggregation === 'organization') {
      // A minimum line must land on one project's invoice; an organization spans several.
      context.addIssue({
        code: 'custom',
        path: ['minimumCharge'],
        message: 'a minimum charge needs aggregation project, user or resource',
      });
    }
    if (rate.charging === 'usage' && rate.quotaResource !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['quotaResource'],
        message: 'only allocation charging reads a quota resource',
      });
    }
  });
export type Rate = z.output<typeof RateSchema>;

/**
 * A service unit (SU) as NERC defines them: for each resource and window, the SU quantity is the
 * largest of the component ratios (`vcpu-hours / 1`, `ram-gb-hours / 4` — GiB, so NERC's 4096 MB —, `gpu-hours / 1`), optionally
 * rounded up to whole SUs per hour. Component records it consumes are billed only as the SU.
 */
export const ServiceUnitSchema = z
  .object({
    metric: MetricSchema,
    unit: z.string().min(1).max(64),
    service: IdSchema.optional(),
    /** Only resources of these types become SUs; all types when absent. */
    resourceTypes: z.array(z.string().min(1)).min(1).optional(),
    components: z
      .array(z.object({ metric: MetricSchema, perUnit: PositiveDecimal }).strict())
      .min(1)
      .superRefine((components, context) => {
        const seen = new Set<string>();
        components.forEach((component, index) => {
          if (seen.has(component.metric))
            context.addIssue({ code: 'custom', path: [index, 'metric'], message: 'duplicate component metric' });
          seen.add(component.metric);
        });
      }),
    roundUp: z.boolean().default(false),
  })
  .strict();
export type ServiceUnit = z.output<typeof ServiceUnitSchema>;

/** Charging policies of one price-list version. */
export const PoliciesSchema = z
  .object({
    /** Whether usage of a resource in a stopped state is charged (NERC changed this in 2024). */
    chargeStopped: z.boolean().default(false),
    /** Values of the state attribute that count as stopped. */
    stoppedStates: z
      .array(z.string().min(1))
      .default(['stopped', 'shelved', 'shelved_offloaded', 'suspended', 'paused']),
    /** The usage-record attribute that carries the resource's state. */
    stateAttribute: z.string().min(1).default('state'),
  })
  .strict();
export type Policies = z.output<typeof PoliciesSchema>;

/** A window in which a landlord's service was down: usage inside it is credited (not charged). */
export const OutageSchema = z
  .object({
    start: TimestampSchema,
    end: TimestampSchema,
    /** Services affected (ids, or names such as NERC's `NERC OpenStack`); all of the landlord's when absent. */
    services: z.array(z.string().min(1).max(200)).min(1).optional(),
    /** Metrics affected; all when absent. */
    metrics: z.array(MetricSchema).min(1).optional(),
    description: z.string().max(500).optional(),
  })
  .strict()
  .refine((outage) => Date.parse(outage.end) > Date.parse(outage.start), {
    path: ['end'],
    message: 'end must be after start',
  });
export type Outage = z.output<typeof OutageSchema>;

/** One effective-dated version of a price list: it applies to usage in `[effectiveFrom, effectiveTo)`. */
export const PriceListVersionSchema = z
  .object({
    version: z.string().min(1).max(64),
    effectiveFrom: TimestampSchema,
    /** Defaults to the next version's `effectiveFrom` (open-ended for the last). */
    effectiveTo: TimestampSchema.optional(),
    policies: PoliciesSchema.default(PoliciesSchema.parse({})),
    serviceUnits: z.array(ServiceUnitSchema).default([]),
    rates: z.array(RateSchema).default([]),
    /** Rules for billing instances from their Nova actions (`rateInstanceActions`). */
    instanceBilling: InstanceBillingSchema.optional(),
  })
  .strict()
  .superRefine((version, context) => {
    if (version.rates.length === 0 && version.instanceBilling === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['rates'],
        message: 'a version needs at least one rate (or instanceBilling rules)',
      });
    }
    if (version.effectiveTo !== undefined && Date.parse(version.effectiveTo) <= Date.parse(version.effectiveFrom)) {
      context.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'effectiveTo must be after effectiveFrom' });
    }
    const keys = new Set<string>();
    version.rates.forEach((rate, index) => {
      const key = `${rate.service ?? '*'}/${rate.metric}`;
      if (keys.has(key))
        context.addIssue({ code: 'custom', path: ['rates', index, 'metric'], message: `duplicate rate for ${key}` });
      keys.add(key);
    });
    const suMetrics = new Set<string>();
    version.serviceUnits.forEach((unit, index) => {
      if (suMetrics.has(unit.metric))
        context.addIssue({
          code: 'custom',
          path: ['serviceUnits', index, 'metric'],
          message: 'duplicate service unit',
        });
      suMetrics.add(unit.metric);
    });
  });
export type PriceListVersion = z.output<typeof PriceListVersionSchema>;

/**
 * A landlord's price list as data (JSON or YAML): versions in time order, each with its rates,
 * service units and policies, plus outage windows that are credited.
 *
 * @example
 * ```yaml
 * id: bu-prices
 * landlord: bu
 * currency: USD
 * versions:
 *   - version: "2026.1"
 *     effectiveFrom: "2026-01-01T00:00:00Z"
 *     rates:
 *       - metric: vcpu-hours
 *         unit: vCPU·h
 *         pricing: { model: graduated, tiers: [{ upTo: "1000", unitPrice: "0.02" }, { upTo: null, unitPrice: "0.015" }] }
 * ```
 */
export const BillingPriceListSchema = z
  .object({
    id: IdSchema,
    landlord: IdSchema,
    currency: CurrencySchema,
    name: z.string().max(200).optional(),
    versions: z.array(PriceListVersionSchema).min(1),
    outages: z.array(OutageSchema).default([]),
  })
  .strict()
  .superRefine((list, context) => {
    const seen = new Set<string>();
    list.versions.forEach((version, index) => {
      if (seen.has(version.version))
        context.addIssue({ code: 'custom', path: ['versions', index, 'version'], message: 'duplicate version' });
      seen.add(version.version);
      const previous = list.versions[index - 1];
      if (previous === undefined) return;
      if (Date.parse(version.effectiveFrom) <= Date.parse(previous.effectiveFrom)) {
        context.addIssue({
          code: 'custom',
          path: ['versions', index, 'effectiveFrom'],
          message: 'versions must be in time order',
        });
      } else if (
        previous.effectiveTo !== undefined &&
        Date.parse(previous.effectiveTo) > Date.parse(version.effectiveFrom)
      ) {
        context.addIssue({
          code: 'custom',
          path: ['versions', index - 1, 'effectiveTo'],
          message: 'overlaps the next version',
        });
      }
    });
  });
export type BillingPriceList = z.output<typeof BillingPriceListSchema>;
export type BillingPriceListInput = z.input<typeof BillingPriceListSchema>;
