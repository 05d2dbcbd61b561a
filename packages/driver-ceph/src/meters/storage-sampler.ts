import { type CallOptions, OcxError } from '@ocx/core';
import type { CephDashboardClient } from '../dashboard/dashboard-client.js';
import type { ProjectDirectory } from '../project-directory.js';
import type { ProjectNaming } from '../project-naming.js';
import type { RgwAdminClient } from '../rgw/rgw-admin-client.js';
import { type RbdOwnerRule, rbdOwnerOf, rbdResourceId } from './rbd-owners.js';
import type { SampleStore, StorageSample } from './storage-samples.js';

/** What one sampling run did. */
export interface SamplingReport {
  /** When the samples were taken. */
  time: string;
  /** Samples stored (a repeated run at the same instant stores none). */
  stored: number;
  /** Resources that could not be read; the others were sampled all the same. */
  failed: Array<{ resource: string; error: string }>;
}

/** Where the sampler reads from. */
export interface StorageSamplerSources {
  rgw: RgwAdminClient;
  naming: ProjectNaming;
  directory: ProjectDirectory;
  dashboard?: { client: CephDashboardClient; owners: readonly RbdOwnerRule[] };
  samples: SampleStore;
  now(): Date;
}

const message = (error: unknown): string => (OcxError.is(error) ? error.message : String(error));

/**
 * Take one sample of every project's stored bytes (RGW user statistics, synced first) and of
 * every owned RBD image's disk usage (dashboard), all stamped with one time. A resource that
 * fails is reported and skipped; the sample of each other resource is stored.
 */
export async function sampleStorage(sources: StorageSamplerSources, options?: CallOptions): Promise<SamplingReport> {
  const time = sources.now().toISOString();
  const taken: StorageSample[] = [];
  const failed: SamplingReport['failed'] = [];
  const ownerOf = sources.directory.resolver(options);

  const uids: string[] = [];
  for await (const uid of sources.rgw.listUsers(options)) {
    if (sources.naming.projectOf(uid) !== undefined) uids.push(uid);
  }
  for (const uid of uids.sort()) {
    try {
      const [user, owner] = await Promise.all([
        sources.rgw.getUser(uid, { stats: true, sync: true }, options),
        ownerOf(uid),
      ]);
      if (owner === undefined || user.stats === undefined) continue;
      taken.push({ kind: 'rgw-user', resource: uid, ...owner, time, bytes: user.stats.sizeBytes, basis: 'stored' });
    } catch (error) {
      if (OcxError.is(error) && error.code === 'aborted') throw error;
      // A user deleted since the listing has nothing left to sample.
      if (!(OcxError.is(error) && error.code === 'not-found')) failed.push({ resource: uid, error: message(error) });
    }
  }

  if (sources.dashboard !== undefined && sources.dashboard.owners.length > 0) {
    try {
      for await (const image of sources.dashboard.client.listImages(options)) {
        const owner = rbdOwnerOf(sources.dashboard.owners, image);
        if (owner === undefined) continue;
        const used = image.diskUsageBytes;
        taken.push({
          kind: 'rbd-image',
          resource: rbdResourceId(image),
          project: owner.project,
          organization: owner.organization,
          time,
          bytes: used ?? image.sizeBytes,
          basis: used === null ? 'provisioned' : 'used',
        });
      }
    } catch (error) {
      if (OcxError.is(error) && error.code === 'aborted') throw error;
      failed.push({ resource: 'rbd-images', error: message(error) });
    }
  }

  const stored = await sources.samples.add(taken);
  return { time, stored, failed };
}
