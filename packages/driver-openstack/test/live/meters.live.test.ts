import { execSync } from 'node:child_process';
import { runMeterConformance } from '@ocx/core/testing';
import type { OpenStackDriver } from '../../src/index.js';
import { describeLive, liveDriver, liveEnv, liveServices } from './live-env.js';
import { externalNetwork, liveProject } from './live-project.js';

const BUCKET_MS = 10_000;
const now = Date.now();
// An hour back and ~40 s ahead: the server booted during setup lands in buckets that have ended by the time the cases run.
const windowStart = Math.floor((now - 3_600_000) / BUCKET_MS) * BUCKET_MS;
const windowEnd = Math.ceil((now + 40_000) / BUCKET_MS) * BUCKET_MS;
const splitAt = new Date(Math.floor((windowStart + windowEnd) / 2 / BUCKET_MS) * BUCKET_MS).toISOString();

describeLive('openstack live: meters', () => {
  let admin: OpenStackDriver;
  let project: Awaited<ReturnType<typeof liveProject>>;
  runMeterConformance({
    name: 'openstack (real Nova, Cinder, Neutron, Swift; 10 s buckets)',
    window: { start: new Date(windowStart).toISOString(), end: new Date(windowEnd).toISOString() },
    splitAt,
    timeoutMs: 180_000,
    setup: async () => {
      admin = liveDriver({ bucketSeconds: 10 });
      project = await liveProject(admin, 'live-meter');
      return {
        driver: admin,
        teardown: async () => {
          await project.cleanup();
          await admin.dispose();
        },
      };
    },
    produceUsage: async () => {
      const nova = project.scoped.ext.nova!;
      const server = await nova.createServer({
        name: `${project.project}-vm`,
        imageRef: liveEnv.OCX_OS_IMAGE_ID!,
        flavorRef: liveEnv.OCX_OS_FLAVOR_ID ?? '1',
      });
      await nova.waitForServer(server.id, 'ACTIVE');
      if (liveServices.has('cinder')) {
        const volume = await project.scoped.ext.cinder!.createVolume({ size: 1, name: `${project.project}-vol` });
        await project.scoped.ext.cinder!.waitForVolume(volume.id, 'available');
      }
      if (liveServices.has('neutron') && liveEnv.OCX_NEUTRON_KIND === 'real') {
        await admin.ext.neutron!.createFloatingIp({
          floatingNetworkId: await externalNetwork(admin),
          projectId: project.keystoneId,
        });
      }
      if (liveServices.has('swift')) {
        await project.scoped.ext.swift!.createContainer('meter-data');
        await project.scoped.ext.swift!.putObject('meter-data', 'object-1', Buffer.alloc(256 * 1024, 7));
        // Swift's account usage moves only when its container updater runs.
        if (liveEnv.OCX_SWIFT_UPDATE_USAGE) execSync(liveEnv.OCX_SWIFT_UPDATE_USAGE, { stdio: 'ignore' });
      }
      // Wait until the window's last bucket has ended (plus Nova's usage lag).
      const wait = windowEnd + 2000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    },
  });
});
