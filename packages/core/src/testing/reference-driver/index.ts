import { z } from 'zod';
import { parseWith } from '../../errors/validation.js';
import type { Clock } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import { CAPABILITY_NAMES, type Capabilities, type CapabilityName } from '../../spec/capabilities.js';
import { type Driver, SPECIFICATION_VERSION } from '../../spec/driver.js';
import type { Meter } from '../../spec/interfaces/meter.js';
import { DecimalStringSchema, IdSchema } from '../../spec/primitives.js';
import { createReferenceAttestor, revokeAgent } from './attestor.js';
import { checkInput } from './checks.js';
import { createReferenceHardwarePool } from './hardware.js';
import { createNodeHoursMeter, createRecordedUsageMeter } from './meters.js';
import { createReferenceProvisioner } from './provisioner.js';
import { createReferenceQuotaProvider } from './quotas.js';
import { createReferenceState, type ReferenceState } from './state.js';
import { createReferenceTenancy } from './tenancy.js';

const ReferenceDriverOptionsSchema = z
  .object({
    /** The landlord and service this driver reports usage for. */
    landlord: IdSchema,
    service: IdSchema,
    /** Which capabilities to offer; all of them by default. */
    capabilities: z
      .array(z.enum(CAPABILITY_NAMES))
      .min(1)
      .default([...CAPABILITY_NAMES]),
    nodes: z.number().int().min(0).max(100_000).default(8),
    nodePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .default('node'),
    images: z.array(z.string().min(1)).default(['ubuntu-22.04', 'centos-stream-9']),
    quotaResources: z.array(z.string().min(1)).min(1).default(['nodes', 'networks', 'storage-gb']),
    roles: z.array(z.string().min(1)).min(1).default(['member', 'admin', 'reader']),
    /** Metrics the hand-recorded usage meter may report. */
    usageMetrics: z
      .array(z.string().min(1))
      .min(1)
      .default(['vcpu-hours', 'ram-gb-hours', 'storage-gb-hours', 'floating-ip-hours']),
    /** Agents that fail attestation with an invalid quote. */
    failingAgents: z.array(z.string().min(1)).default([]),
    clock: z
      .custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function', 'must be a Clock')
      .optional(),
    /**
     * Another reference landlord whose pool the provisioner asks about nodes (as M2 asks HIL),
     * for enclaves whose hardware and provisioning come from different landlords.
     */
    hardwareFrom: z
      .custom<Driver<ReferenceExtension>>(
        (value) => typeof (value as Driver<ReferenceExtension> | undefined)?.ext?.state === 'object',
        'must be a reference driver',
      )
      .optional(),
  })
  .strict();
export type ReferenceDriverOptions = z.input<typeof ReferenceDriverOptionsSchema>;

const RecordUsageSchema = z
  .object({
    project: IdSchema,
    user: IdSchema.optional(),
    metric: z.string().min(1),
    unit: z.string().min(1),
    quantity: DecimalStringSchema,
    resource: z.string().min(1),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
  })
  .strict()
  .refine((usage) => Date.parse(usage.end) > Date.parse(usage.start), {
    message: 'end must be after start',
    path: ['end'],
  });

/** Backend-only calls of the reference landlord, under `driver.ext`. */
export interface ReferenceExtension {
  /** The in-memory state, for tests and demos to read. */
  readonly state: ReferenceState;
  /** Record usage that the `usage` meter reports (for demos and meter tests). */
  recordUsage(usage: z.input<typeof RecordUsageSchema>): void;
  /** Make a passing agent fail, as a revocation would. */
  revoke(agent: string, reason: string): void;
}

/**
 * The reference landlord: an in-memory data centre implementing every capability of spec v1
 * (hardware, provisioner, attestor, tenancy, quotas, meters). It passes every conformance
 * suite; copy it as the starting point of a driver for your own backend.
 *
 * @example
 * ```ts
 * const driver = createReferenceDriver({ landlord: 'bu', service: 'metal', nodes: 4 });
 * await driver.hardware!.allocate({ project: 'genomics', node: 'node-001' });
 * ```
 */
export function createReferenceDriver(options: ReferenceDriverOptions): Driver<ReferenceExtension> {
  const config = parseWith(ReferenceDriverOptionsSchema, options, { what: 'reference driver options' });
  const clock = config.clock ?? systemClock;
  const state = createReferenceState({
    nodeCount: config.nodes,
    nodePrefix: config.nodePrefix,
    images: config.images,
    clock,
  });
  const offers = (name: CapabilityName): boolean => config.capabilities.includes(name);
  const meters: Meter[] = [
    createNodeHoursMeter(state, config.landlord, config.service),
    createRecordedUsageMeter(state, config.landlord, config.service, config.usageMetrics),
  ];
  const capabilities: Capabilities = {
    ...(offers('hardware') ? { hardware: { maintenancePool: false, power: true } } : {}),
    ...(offers('provisioner') ? { provisioner: { snapshots: false } } : {}),
    ...(offers('attestor') ? { attestor: { continuous: true } } : {}),
    ...(offers('tenancy') ? { tenancy: { roles: config.roles, releasesResources: true } } : {}),
    ...(offers('quotas') ? { quotas: { resources: config.quotaResources } } : {}),
    ...(offers('meters') ? { meters: { metrics: meters.flatMap((meter) => meter.metrics) } } : {}),
  };
  let disposed = false;
  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: 'reference',
    capabilities,
    ...(offers('hardware') ? { hardware: createReferenceHardwarePool(state) } : {}),
    ...(offers('provisioner')
      ? { provisioner: createReferenceProvisioner(state, config.hardwareFrom?.ext?.state) }
      : {}),
    ...(offers('attestor') ? { attestor: createReferenceAttestor(state, new Set(config.failingAgents)) } : {}),
    ...(offers('tenancy') ? { tenancy: createReferenceTenancy(state, config.roles) } : {}),
    ...(offers('quotas') ? { quotas: createReferenceQuotaProvider(state, config.quotaResources) } : {}),
    ...(offers('meters') ? { meters } : {}),
    ext: {
      state,
      recordUsage(usage) {
        const parsed = checkInput(RecordUsageSchema, usage, 'recordUsage');
        state.recordedUsage.push({ ...parsed, start: Date.parse(parsed.start), end: Date.parse(parsed.end) });
      },
      revoke(agent, reason) {
        revokeAgent(state, agent, reason);
      },
    },
    async health() {
      return { ok: !disposed, checks: { memory: { ok: !disposed, latencyMs: 0 } } };
    },
    async dispose() {
      disposed = true;
    },
  };
}
