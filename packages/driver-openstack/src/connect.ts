import { createOpenStackDriver, type OpenStackDriver } from './driver.js';
import {
  DEFAULT_RETRY,
  OPENSTACK_SERVICES,
  type OpenStackDriverOptions,
  parseOpenStackDriverOptions,
  SERVICE_TYPES,
} from './driver-options.js';
import { catalogHas } from './keystone/catalog.js';
import { createKeystoneSession } from './keystone/session.js';

/**
 * Authenticate once and create the driver with exactly the services the catalog lists (of those
 * asked for): a cloud without Cinder gets a driver without volume quotas or the block-storage
 * meter, rather than one whose calls fail. Use it where a driver factory may be async (the
 * exchange accepts `(context) => Promise<Driver>`).
 *
 * @example
 * ```ts
 * const openstack = await connectOpenStackDriver({ auth, landlord: 'landlord-a', service: 'openstack' });
 * openstack.capabilities.quotas?.resources; // e.g. ['cores', 'ram-mb', 'instances', 'swift-bytes']
 * ```
 */
export async function connectOpenStackDriver(
  options: OpenStackDriverOptions,
  signal?: AbortSignal,
): Promise<OpenStackDriver> {
  const config = parseOpenStackDriverOptions(options);
  const session = createKeystoneSession({
    auth: config.auth,
    interface: config.interface,
    region: config.region,
    http: {
      timeoutMs: config.timeoutMs,
      dispatcher: config.dispatcher,
      logger: config.logger,
      retry: config.retry ?? DEFAULT_RETRY,
      clock: config.clock,
    },
  });
  try {
    const { catalog } = await session.current(signal);
    const wanted = options.services ?? [...OPENSTACK_SERVICES];
    return createOpenStackDriver({
      ...options,
      services: wanted.filter((service) => catalogHas(catalog, SERVICE_TYPES[service])),
    });
  } finally {
    await session.identity.close();
    await session.close();
  }
}
