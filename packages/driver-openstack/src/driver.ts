import {
  type CallOptions,
  type Driver,
  type HealthReport,
  type Meter,
  OcxError,
  type QuotaProvider,
  SPECIFICATION_VERSION,
  systemClock,
  type Tenancy,
} from '@ocx/core';
import { DEFAULT_RETRY, type OpenStackDriverOptions, parseOpenStackDriverOptions } from './driver-options.js';
import { createOpenStackExtension, type OpenStackExtension } from './extension.js';
import { createBlockStorageMeter } from './meters/block-storage-meter.js';
import { createComputeMeter } from './meters/compute-meter.js';
import { createFloatingIpMeter } from './meters/floating-ip-meter.js';
import type { MeterContext } from './meters/meter-context.js';
import { createObjectStorageMeter } from './meters/object-storage-meter.js';
import { createOpenStackQuotaProvider } from './quotas/quota-provider.js';
import { quotaResourcesFor } from './quotas/quota-resources.js';
import { releaseProjectResources } from './tenancy/release-resources.js';
import { createOpenStackTenancy } from './tenancy/tenancy.js';

/** The OpenStack driver: a spec v1 driver with Tenancy, quotas, meters and the typed clients under `ext`. */
export type OpenStackDriver = Driver<OpenStackExtension> & {
  readonly tenancy: Tenancy & { releaseResources: NonNullable<Tenancy['releaseResources']> };
  readonly ext: OpenStackExtension;
};

/**
 * Create the OpenStack driver of one landlord's cloud. Options are checked at once (a bad one is
 * a `validation` error naming its path); nothing is sent until the first call, which
 * authenticates with Keystone. What the driver offers follows `services`: quotas and meters of
 * services not listed are absent (use `connectOpenStackDriver` to list exactly what the catalog
 * has).
 *
 * - `tenancy` — projects, members and roles in Keystone; `releaseResources` deletes a project's
 *   servers, floating IPs, volumes and containers.
 * - `quotas` — `cores`, `ram-mb`, `instances` (Nova), `volumes`, `gigabytes` (Cinder),
 *   `floating-ips` (Neutron), `swift-bytes` (Swift).
 * - `meters` — `compute` (vcpu-hours, ram-gb-hours), `block-storage` (volume-gb-hours),
 *   `floating-ips` (floating-ip-hours), `object-storage` (object-storage-gb-hours).
 * - `ext` — the typed Keystone, Nova, Cinder, Neutron, Glance and Swift clients, federation,
 *   K2K, unified limits and `shareImage` (resource federation).
 *
 * @example
 * ```ts
 * const openstack = createOpenStackDriver({
 *   auth: { url: 'https://keystone.landlord-a.example/v3', username: 'ocx', password: Secret.from(pw), project: 'admin' },
 *   landlord: 'landlord-a',
 *   service: 'openstack',
 * });
 * await openstack.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
 * await openstack.tenancy.ensureMember({ project: 'genomics', user: 'alice', role: 'member' });
 * await openstack.quotas?.setQuotas('genomics', { cores: '32', 'ram-mb': '65536' });
 * for await (const record of openstack.meters![0]!.collect({ start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' })) console.log(record);
 * ```
 */
export function createOpenStackDriver(options: OpenStackDriverOptions): OpenStackDriver {
  const config = parseOpenStackDriverOptions(options);
  const clock = config.clock ?? systemClock;
  const ext = createOpenStackExtension(config, {
    timeoutMs: config.timeoutMs,
    dispatcher: config.dispatcher,
    logger: config.logger,
    retry: config.retry ?? DEFAULT_RETRY,
    clock: config.clock,
  });
  const services = new Set<string>(config.services);

  const tenancy = createOpenStackTenancy({
    identity: ext.identity,
    directory: ext.projects,
    roles: config.roles,
    userDomainId: config.userDomainId,
    release: (projectId, callOptions) => releaseProjectResources(ext, projectId, callOptions),
  });

  const resources = quotaResourcesFor(services);
  const quotas: QuotaProvider | undefined =
    resources.length === 0 ? undefined : createOpenStackQuotaProvider(ext.projects, ext, resources);

  const context: MeterContext = {
    landlord: config.landlord,
    service: config.service,
    bucketMs: config.bucketSeconds * 1000,
    clock,
    directory: ext.projects,
    logger: config.logger,
  };
  const meters: Meter[] = [];
  if (ext.nova !== undefined)
    meters.push(
      createComputeMeter(context, {
        nova: ext.nova,
        stoppedServerPolicy: config.stoppedServerPolicy,
        pageSize: config.pageSize,
      }),
    );
  if (ext.cinder !== undefined) meters.push(createBlockStorageMeter(context, ext.cinder));
  if (ext.neutron !== undefined) meters.push(createFloatingIpMeter(context, ext.neutron));
  if (ext.swift !== undefined) meters.push(createObjectStorageMeter(context, ext.swift));

  let disposed = false;
  const driver: OpenStackDriver = {
    specificationVersion: SPECIFICATION_VERSION,
    name: 'openstack',
    capabilities: {
      tenancy: { roles: [...config.roles], releasesResources: true },
      ...(quotas === undefined ? {} : { quotas: { resources } }),
      ...(meters.length === 0 ? {} : { meters: { metrics: meters.flatMap((meter) => [...meter.metrics]) } }),
    },
    tenancy,
    ...(quotas === undefined ? {} : { quotas }),
    ...(meters.length === 0 ? {} : { meters }),
    ext,
    health: (callOptions) => checkHealth(ext, disposed, callOptions),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await ext.close();
    },
  };
  return driver;
}

async function timed(check: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs: number; message?: string }> {
  const started = performance.now();
  try {
    await check();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      message: OcxError.is(error) ? error.message : String(error),
    };
  }
}

/** Keystone (a token) and each service (its version document, or Swift's account HEAD). */
async function checkHealth(
  ext: OpenStackExtension,
  disposed: boolean,
  options: CallOptions = {},
): Promise<HealthReport> {
  if (disposed) return { ok: false, checks: { openstack: { ok: false, message: 'driver disposed' } } };
  const checks: HealthReport['checks'] = { keystone: await timed(() => ext.session.current(options.signal)) };
  const probes: Array<[string, () => Promise<unknown>]> = [];
  if (ext.nova) probes.push(['nova', () => ext.nova!.microversion(options)]);
  if (ext.cinder) probes.push(['cinder', () => ext.cinder!.microversion(options)]);
  if (ext.neutron)
    probes.push([
      'neutron',
      async () =>
        (await ext.raw.neutron!.client(options.signal)).get('', { operation: 'health', signal: options.signal }),
    ]);
  if (ext.glance)
    probes.push([
      'glance',
      async () =>
        (await ext.raw.glance!.client(options.signal)).get('', {
          operation: 'health',
          signal: options.signal,
          expectedStatus: [200, 300],
        }),
    ]);
  if (ext.swift) probes.push(['swift', () => ext.swift!.headAccount(undefined, options)]);
  if (checks.keystone!.ok) {
    for (const [name, probe] of probes) checks[name] = await timed(probe);
  }
  return { ok: Object.values(checks).every((check) => check.ok), checks };
}
