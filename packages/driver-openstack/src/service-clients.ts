import { type CinderClient, createCinderClient } from './cinder/cinder-client.js';
import type { OpenStackService } from './driver-options.js';
import { createGlanceClient, type GlanceClient } from './glance/glance-client.js';
import type { KeystoneSession } from './keystone/session.js';
import { createNeutronClient, type NeutronClient } from './neutron/neutron-client.js';
import { createNovaClient, type NovaClient } from './nova/nova-client.js';
import { createServiceClient, type OpenStackServiceClient } from './shared/service-client.js';
import { stripVersionSuffix, versionRoot } from './shared/service-paths.js';
import { createSwiftClient, type SwiftClient } from './swift/swift-client.js';

/** Nova microversions: 2.40 pages tenant usage; 2.79 is what the driver is written for. */
export const NOVA_MICROVERSIONS = { wanted: '2.79', minimum: '2.40' } as const;
/** Cinder microversions: 3.60 (volume transfers at `/volume-transfers` need 3.55, the summary 3.12). */
export const CINDER_MICROVERSIONS = { wanted: '3.60', minimum: '3.0' } as const;

/** The typed clients of the services a driver uses; absent services are undefined. */
export interface ServiceClients {
  nova?: NovaClient;
  cinder?: CinderClient;
  neutron?: NeutronClient;
  glance?: GlanceClient;
  swift?: SwiftClient;
  /** The underlying lazily made HTTP clients, by service, for health checks and closing. */
  raw: Partial<Record<OpenStackService, OpenStackServiceClient>>;
}

/** Make the clients of the given services over one Keystone session. */
export function createServiceClients(session: KeystoneSession, services: readonly OpenStackService[]): ServiceClients {
  const raw: ServiceClients['raw'] = {};
  const clients: ServiceClients = { raw };
  if (services.includes('nova')) {
    raw.nova = createServiceClient(session, {
      backend: 'nova',
      type: 'compute',
      microversion: {
        headerType: 'compute',
        legacyHeader: 'X-OpenStack-Nova-API-Version',
        ...NOVA_MICROVERSIONS,
        versionDocument: () => '',
      },
    });
    clients.nova = createNovaClient(raw.nova);
  }
  if (services.includes('cinder')) {
    raw.cinder = createServiceClient(session, {
      backend: 'cinder',
      type: 'block-storage',
      microversion: {
        headerType: 'volume',
        ...CINDER_MICROVERSIONS,
        versionDocument: (endpoint) => versionRoot(endpoint, /^v3$/),
      },
    });
    clients.cinder = createCinderClient(raw.cinder);
  }
  if (services.includes('neutron')) {
    raw.neutron = createServiceClient(session, {
      backend: 'neutron',
      type: 'network',
      baseUrl: (url) => stripVersionSuffix(url, 'v2.0'),
    });
    clients.neutron = createNeutronClient(raw.neutron);
  }
  if (services.includes('glance')) {
    raw.glance = createServiceClient(session, {
      backend: 'glance',
      type: 'image',
      baseUrl: (url) => stripVersionSuffix(url, 'v2'),
    });
    clients.glance = createGlanceClient(raw.glance);
  }
  if (services.includes('swift')) {
    raw.swift = createServiceClient(session, { backend: 'swift', type: 'object-store' });
    clients.swift = createSwiftClient(raw.swift);
  }
  return clients;
}
