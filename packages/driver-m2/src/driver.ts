import { type CallOptions, type Driver, type HealthReport, OcxError, SPECIFICATION_VERSION } from '@ocx/core';
import { createM2Client, type M2Client, type M2ClientOptions } from './client.js';
import { createM2Provisioner } from './provisioner.js';

/** Options of {@link createM2Driver}: those of the client (see {@link M2ClientOptions}). */
export type M2DriverOptions = M2ClientOptions;

/**
 * The M2 (BMI) driver: a `Provisioner` that network-boots HIL nodes from disks cloned from
 * images, with snapshots. `ext` is the typed M2 client, for the calls outside the Provisioner
 * interface (`createSnapshot`, `listSnapshots`, `removeImage`, and the raw disk calls).
 *
 * @example
 * ```ts
 * const m2 = createM2Driver({ endpoint: 'http://m2.example:8000', username: 'alice', password: Secret.from(pw), project: 'genomics' });
 * const { disk } = await m2.provisioner.provision({ project: 'genomics', node: 'node-01', nic: 'eth0', image: 'ubuntu-22.04' });
 * await m2.ext.createSnapshot({ disk, snapshot: 'genomics-golden-2' });
 * await m2.provisioner.deprovision({ project: 'genomics', node: 'node-01', nic: 'eth0', disk });
 * ```
 */
export function createM2Driver(
  options: M2DriverOptions,
): Driver<M2Client> & { provisioner: NonNullable<Driver['provisioner']>; ext: M2Client } {
  const client = createM2Client(options);
  const project = options.project;
  let disposed = false;
  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: 'm2',
    capabilities: { provisioner: { snapshots: true } },
    provisioner: createM2Provisioner(client),
    ext: client,
    async health(callOptions?: CallOptions): Promise<HealthReport> {
      if (disposed) return { ok: false, checks: { m2: { ok: false, message: 'driver disposed' } } };
      // M2 has no status call and every call needs a project: listing its images is the lightest check.
      if (project === undefined) {
        return {
          ok: false,
          checks: { m2: { ok: false, message: 'no project option set, so M2 cannot be asked anything' } },
        };
      }
      const started = performance.now();
      try {
        await client.listImages({ project }, callOptions);
        return { ok: true, checks: { m2: { ok: true, latencyMs: Math.round(performance.now() - started) } } };
      } catch (error) {
        const message = OcxError.is(error) ? error.message : String(error);
        return {
          ok: false,
          checks: { m2: { ok: false, latencyMs: Math.round(performance.now() - started), message } },
        };
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await client.close();
    },
  };
}
