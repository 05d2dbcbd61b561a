import type { CallOptions, ReleasedResource } from '@ocx/core';
import type { CinderClient } from '../cinder/cinder-client.js';
import type { NeutronClient } from '../neutron/neutron-client.js';
import type { NovaClient } from '../nova/nova-client.js';
import { runConcurrently } from '../shared/run-concurrently.js';
import type { SwiftClient } from '../swift/swift-client.js';

/** The service clients whose resources a closing project gives back; absent services are skipped. */
export interface ReleaseClients {
  nova?: NovaClient;
  cinder?: CinderClient;
  neutron?: NeutronClient;
  swift?: SwiftClient;
}

const CONCURRENCY = 8;

async function collect<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * Release everything a project holds: servers first (their volumes detach when they go), then
 * floating IPs, volumes, and Swift objects and containers. Deletions are waited on, so a second
 * call finds nothing and reports `[]`. A failure stops the release and is thrown; what was
 * released before it stays released, and calling again finishes the job.
 */
export async function releaseProjectResources(
  clients: ReleaseClients,
  projectId: string,
  options: CallOptions = {},
): Promise<ReleasedResource[]> {
  const released: ReleasedResource[] = [];
  const { nova, cinder, neutron, swift } = clients;

  if (nova !== undefined) {
    const servers = (await collect(nova.listServers({ projectId }, options))).filter(
      (server) => server.status !== 'DELETED',
    );
    await runConcurrently(servers, CONCURRENCY, async (server) => {
      await nova.deleteServer(server.id, options);
      await nova.waitForServerDeleted(server.id, options);
    });
    released.push(
      ...servers.map((server) => ({ type: 'server', id: server.id, ...(server.name ? { name: server.name } : {}) })),
    );
  }

  if (neutron !== undefined) {
    const addresses = await collect(neutron.listFloatingIps({ projectId }, options));
    await runConcurrently(addresses, CONCURRENCY, (address) => neutron.deleteFloatingIp(address.id, options));
    released.push(
      ...addresses.map((address) => ({
        type: 'floating-ip',
        id: address.id,
        ...(address.floating_ip_address ? { name: address.floating_ip_address } : {}),
      })),
    );
  }

  if (cinder !== undefined) {
    const volumes = await collect(cinder.listVolumes({ projectId }, options));
    await runConcurrently(volumes, CONCURRENCY, async (volume) => {
      if (volume.status !== 'deleting') await cinder.deleteVolume(volume.id, options);
      await cinder.waitForVolumeDeleted(volume.id, options);
    });
    released.push(
      ...volumes.map((volume) => ({ type: 'volume', id: volume.id, ...(volume.name ? { name: volume.name } : {}) })),
    );
  }

  if (swift !== undefined) {
    for (const container of await collect(swift.listContainers(projectId, {}, options))) {
      // Listings are paged by name, so objects are deleted page by page rather than held all at once.
      for await (const object of swift.listObjects(container.name, projectId, {}, options)) {
        await swift.deleteObject(container.name, object.name, projectId, options);
      }
      await swift.deleteContainer(container.name, projectId, options);
      released.push({ type: 'container', id: container.name, name: container.name });
    }
  }
  return released;
}
