import { type Capabilities, type Driver, parseWith, SPECIFICATION_VERSION, systemClock } from '@ocx/core';
import { z } from 'zod';
import type { HilClientOptions } from './client/client-options.js';
import { createHilClient, type HilClient } from './client/hil-client.js';
import { createHilHardwarePool } from './hardware-pool.js';
import { HilNameSchema } from './names.js';
import type { HilProgressEvent, PoolContext } from './pool-support.js';

const DriverOnlyOptionsSchema = z
  .object({
    /** The driver's name in the exchange. Default `hil`. */
    name: z.string().min(1).default('hil'),
    /**
     * Set when HIL runs a maintenance pool (`[maintenance]` in hil.cfg): released nodes go to this
     * project and come back to the free pool once scrubbed.
     */
    maintenancePool: z.object({ project: HilNameSchema }).strict().optional(),
    /** Power cycles cut the power (true, default) rather than asking the OS to shut down. */
    powerCycleForce: z.boolean().default(true),
    /** How long a release waits for someone else's pending networking action. Default 120000. */
    releaseWaitMs: z.number().int().positive().default(120_000),
    /** Called at each step (allocated, network attached, release steps…), e.g. to show progress. */
    onProgress: z
      .custom<(event: HilProgressEvent) => void>((value) => typeof value === 'function', 'must be a function')
      .optional(),
  })
  .strict();

const DRIVER_ONLY_KEYS = ['name', 'maintenancePool', 'powerCycleForce', 'releaseWaitMs', 'onProgress'] as const;

/** Options of {@link createHilDriver}: the client's options and the pool's own. */
export type HilDriverOptions = HilClientOptions & z.input<typeof DriverOnlyOptionsSchema>;

/**
 * Create the HIL driver: a `HardwarePool` (`driver.hardware`) over HIL v0, and the full typed
 * client under `driver.ext`. Options are parsed at once; a bad option is an `OcxError`
 * (`validation`) naming its path.
 *
 * @example
 * ```ts
 * const hil = createHilDriver({ endpoint: 'https://hil.example', auth: { username: 'landlord', password: Secret.from(pw) } });
 * await hil.hardware.ensureProject('genomics');
 * const [node] = await hil.hardware.listFreeNodes();
 * await hil.hardware.allocate({ project: 'genomics', node });
 * await hil.hardware.release({ project: 'genomics', node });
 * await hil.dispose();
 * ```
 */
export function createHilDriver(
  options: HilDriverOptions,
): Driver<HilClient> & { hardware: NonNullable<Driver['hardware']>; ext: HilClient } {
  const given = (options ?? {}) as Record<string, unknown>;
  const driverOnly: Record<string, unknown> = {};
  const clientOnly: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if ((DRIVER_ONLY_KEYS as readonly string[]).includes(key)) driverOnly[key] = value;
    else clientOnly[key] = value;
  }
  const config = parseWith(DriverOnlyOptionsSchema, driverOnly, { what: 'HIL driver options' });
  const client = createHilClient(clientOnly as HilClientOptions);
  const clock = (clientOnly.clock as PoolContext['clock'] | undefined) ?? systemClock;
  const context: PoolContext = {
    client,
    clock,
    maintenanceProject: config.maintenancePool?.project,
    powerCycleForce: config.powerCycleForce,
    releasePollMs: (clientOnly.actionPollMs as number | undefined) ?? 250,
    releaseWaitMs: config.releaseWaitMs,
    obmHints: new Map(),
    progress: (event) => {
      try {
        config.onProgress?.(event);
      } catch {
        // A failing progress display must not fail the operation it reports on.
      }
    },
  };
  const capabilities: Capabilities = {
    hardware: { maintenancePool: config.maintenancePool !== undefined, power: true },
  };
  let disposed = false;

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: config.name,
    capabilities,
    hardware: createHilHardwarePool(context),
    ext: client,
    async health(callOptions) {
      const started = clock.now().getTime();
      try {
        await client.nodes.list('free', callOptions);
        return { ok: true, checks: { hil: { ok: true, latencyMs: clock.now().getTime() - started } } };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, checks: { hil: { ok: false, latencyMs: clock.now().getTime() - started, message } } };
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await client.close();
    },
  };
}
