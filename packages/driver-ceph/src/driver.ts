import {
  type CallOptions,
  createMemoryStore,
  type Driver,
  type HealthReport,
  type Meter,
  OcxError,
  parseWith,
  redactingLogger,
  SPECIFICATION_VERSION,
  silentLogger,
  systemClock,
  type Tenancy,
} from '@ocx/core';
import { type CephDashboardClient, createCephDashboardClient } from './dashboard/dashboard-client.js';
import { type CephDriverOptions, CephDriverOptionsSchema } from './driver-options.js';
import { createSampledGbHoursMeter } from './meters/sampled-gb-hours-meter.js';
import { type SamplingReport, sampleStorage } from './meters/storage-sampler.js';
import { createSampleStore } from './meters/storage-samples.js';
import { createUsageLogMeter } from './meters/usage-log-meter.js';
import { createProjectDirectory } from './project-directory.js';
import { projectNaming } from './project-naming.js';
import { createProjectStorage } from './project-storage.js';
import { CEPH_QUOTA_RESOURCES, createCephQuotaProvider } from './quotas.js';
import { createRgwAdminClient, type RgwAdminClient } from './rgw/rgw-admin-client.js';
import { createCephTenancy, MEMBER_ROLES } from './tenancy.js';

/** Backend-only calls of the Ceph driver, under `driver.ext`. */
export interface CephExtension extends ReturnType<typeof createProjectStorage> {
  /** The RGW Admin Ops client. */
  readonly rgw: RgwAdminClient;
  /** The dashboard client, when the `dashboard` option was given. */
  readonly dashboard: CephDashboardClient | undefined;
  /** The RGW uid of an exchange project. */
  uidOf(project: string): string;
  /**
   * Sample every project's stored bytes (and every owned RBD image's usage) now; the GB-hour
   * meters bill the interval between consecutive samples. Run by the driver's timer when
   * `sampleIntervalMs` is set.
   */
  sampleStorage(options?: CallOptions): Promise<SamplingReport>;
}

/** The driver {@link createCephDriver} returns: tenancy, quotas and meters always present. */
export type CephDriver = Driver<CephExtension> & {
  /** With `releaseResources`, which this driver always has. */
  tenancy: Required<Tenancy>;
  quotas: NonNullable<Driver['quotas']>;
  meters: readonly Meter[];
  ext: CephExtension;
};

/**
 * The Ceph driver: the exchange's object-storage landlord on RGW Admin Ops (SigV4), with the
 * Ceph Dashboard for block storage. `Tenancy` makes one RGW user per project (uid
 * `ocx-<project>`), members as subusers; `QuotaProvider` sets user and per-bucket quotas; the
 * meters report stored GB-hours (sampled from user statistics), requests and bytes in/out per
 * category (from the usage log) and, with the dashboard, RBD GB-hours per image. A project's
 * S3 keys are handed out only by `ext.projectCredentials(project)`, as Secrets.
 *
 * @example
 * ```ts
 * const ceph = createCephDriver({
 *   landlord: 'moc', service: 'object-storage',
 *   rgw: { endpoint: 'http://127.0.0.1:7480', accessKey, secretKey: Secret.from(secret), region: 'default' },
 *   store: exchangeStore,
 * });
 * await ceph.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
 * await ceph.quotas.setQuotas('genomics', { 'max-size-bytes': '1000000000' });
 * await ceph.ext.createBucket('genomics', 'reads');
 * await ceph.ext.putObject('genomics', 'reads', 'sample-1.fastq', data);
 * ```
 */
export function createCephDriver(options: CephDriverOptions): CephDriver {
  const config = parseWith(CephDriverOptionsSchema, options, { what: 'Ceph driver options' });
  const clock = config.clock ?? systemClock;
  const logger = redactingLogger(config.logger ?? silentLogger);
  // Signatures and tokens always use the system clock: RGW refuses a request signed 15 minutes off.
  const rgwOptions = { ...config.rgw, ...(config.logger === undefined ? {} : { logger: config.logger }) };
  const rgw = createRgwAdminClient(rgwOptions);
  const { owners: rbdOwners = [], ...dashboardOptions } = config.dashboard ?? {};
  const dashboard =
    config.dashboard === undefined
      ? undefined
      : createCephDashboardClient({
          ...(dashboardOptions as typeof config.dashboard),
          ...(config.logger === undefined ? {} : { logger: config.logger }),
        });
  const store = config.store ?? createMemoryStore();
  const naming = projectNaming(config.uidPrefix);
  const directory = createProjectDirectory(store, naming, rgw, config.fallbackOrganization);
  const samples = createSampleStore(store);
  const context = { landlord: config.landlord, service: config.service, now: () => clock.now() };

  const meters: Meter[] = [
    createSampledGbHoursMeter(samples, context, {
      name: 'object-storage',
      metric: 'object-storage-gb-hours',
      kind: 'rgw-user',
      resourceType: 'rgw-user',
    }),
    createUsageLogMeter(rgw, directory, context, config.usageLog),
  ];
  if (dashboard !== undefined) {
    meters.push(
      createSampledGbHoursMeter(samples, context, {
        name: 'block-storage',
        metric: 'block-storage-gb-hours',
        kind: 'rbd-image',
        resourceType: 'rbd-image',
      }),
    );
  }

  const sample = (callOptions?: CallOptions): Promise<SamplingReport> =>
    sampleStorage(
      {
        rgw,
        naming,
        directory,
        samples,
        now: () => clock.now(),
        ...(dashboard === undefined ? {} : { dashboard: { client: dashboard, owners: rbdOwners } }),
      },
      callOptions,
    );

  let disposed = false;
  let timer: NodeJS.Timeout | undefined;
  if (config.sampleIntervalMs !== undefined) {
    timer = setInterval(() => {
      sample().then(
        (report) => {
          if (report.failed.length > 0) logger.warn('ceph: some storage samples failed', { failed: report.failed });
        },
        (error: unknown) =>
          logger.warn('ceph: storage sampling failed', { error: OcxError.is(error) ? error.message : String(error) }),
      );
    }, config.sampleIntervalMs);
    timer.unref();
  }

  const check = async (name: string, probe: () => Promise<unknown>) => {
    const started = performance.now();
    try {
      await probe();
      return [name, { ok: true, latencyMs: Math.round(performance.now() - started) }] as const;
    } catch (error) {
      const message = OcxError.is(error) ? error.message : String(error);
      return [name, { ok: false, latencyMs: Math.round(performance.now() - started), message }] as const;
    }
  };

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: 'ceph',
    capabilities: {
      tenancy: { roles: Object.keys(MEMBER_ROLES), releasesResources: true },
      quotas: { resources: [...CEPH_QUOTA_RESOURCES] },
      meters: { metrics: meters.flatMap((meter) => meter.metrics) },
    },
    tenancy: createCephTenancy(rgw, naming, directory),
    quotas: createCephQuotaProvider(rgw, naming),
    meters,
    ext: {
      rgw,
      dashboard,
      uidOf: (project) => naming.uidOf(project),
      sampleStorage: sample,
      ...createProjectStorage(rgw, naming, rgwOptions),
    },
    async health(callOptions?: CallOptions): Promise<HealthReport> {
      if (disposed) return { ok: false, checks: { rgw: { ok: false, message: 'driver disposed' } } };
      const signal = callOptions?.signal;
      const checks = await Promise.all([
        // The lightest Admin Ops call that proves the keys and the users cap: one uid.
        check('rgw', async () => {
          for await (const _uid of rgw.listUsers({ pageSize: 1, ...(signal === undefined ? {} : { signal }) })) break;
        }),
        ...(dashboard === undefined
          ? []
          : [check('dashboard', () => dashboard.listPools(signal === undefined ? {} : { signal }))]),
      ]);
      return { ok: checks.every(([, result]) => result.ok), checks: Object.fromEntries(checks) };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (timer !== undefined) clearInterval(timer);
      await rgw.close();
      await dashboard?.close();
    },
  };
}
