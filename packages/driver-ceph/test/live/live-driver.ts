import { readFileSync } from 'node:fs';
import { type Clock, Secret, type Store } from '@ocx/core';
import { type CephDriver, createCephDriver } from '../../src/driver.js';
import type { CephLiveEnv } from './ceph-env.js';

/**
 * A driver on the live Ceph, with the dashboard and the test image billed to `rbdProject`. Each
 * driver gets its own uid prefix, so it sees only the projects it made: the live RGW is shared
 * with other test files (and the services smoke test) running at the same time, and their usage
 * in the same hour must not change what this driver's meters report.
 */
export function liveDriver(
  env: CephLiveEnv,
  options: { clock?: Clock; graceMs?: number; store?: Store; rbdProject?: string; uidPrefix?: string } = {},
): CephDriver {
  const dashboard =
    env.dashboardUrl === undefined || env.dashboardUsername === undefined || env.dashboardPassword === undefined
      ? undefined
      : {
          endpoint: env.dashboardUrl,
          username: env.dashboardUsername,
          password: Secret.from(env.dashboardPassword),
          ...(env.dashboardCaFile === undefined ? {} : { ca: readFileSync(env.dashboardCaFile, 'utf8') }),
          owners:
            options.rbdProject === undefined || env.rbdPool === undefined
              ? []
              : [{ pool: env.rbdPool, project: options.rbdProject, organization: 'live-org' }],
        };
  return createCephDriver({
    landlord: 'ceph-lab',
    service: 'object-storage',
    rgw: {
      endpoint: env.rgwUrl,
      accessKey: env.accessKey,
      secretKey: Secret.from(env.secretKey),
      region: env.rgwRegion,
    },
    ...(dashboard === undefined ? {} : { dashboard }),
    uidPrefix: options.uidPrefix ?? `ocxt${Math.floor(Math.random() * 36 ** 6).toString(36)}-`,
    usageLog: { graceMs: options.graceMs ?? 2000 },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.store === undefined ? {} : { store: options.store }),
  });
}

/** The start of the current UTC hour, after waiting out the last two minutes of an hour (so a test's requests all land in one). */
export async function settledHour(): Promise<number> {
  const hour = 3_600_000;
  const now = Date.now();
  const untilNext = hour - (now % hour);
  if (untilNext < 120_000) await new Promise((resolve) => setTimeout(resolve, untilNext + 1000));
  return Math.floor(Date.now() / hour) * hour;
}
