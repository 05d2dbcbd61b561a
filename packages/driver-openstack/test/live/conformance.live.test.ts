import { runQuotaProviderConformance, runTenancyConformance, uniqueName } from '@ocx/core/testing';
import { describeLive, liveDriver, liveServices } from './live-env.js';

describeLive('openstack live: conformance', () => {
  runTenancyConformance({
    name: 'openstack (real Keystone)',
    user: uniqueName('conf-user'),
    setup: () => {
      const driver = liveDriver();
      return { driver, teardown: () => driver.dispose() };
    },
  });

  // One run per service that holds quotas, each on a fresh project the suite makes through Tenancy.
  const samples: Array<[string, string, string]> = [
    ['nova', 'cores', '7'],
    ['cinder', 'gigabytes', '70'],
    ['neutron', 'floating-ips', '3'],
    ['swift', 'swift-bytes', '1073741824'],
  ];
  for (const [service, resource, limit] of samples) {
    if (!liveServices.has(service)) {
      console.warn(
        `conformance.live.test.ts: the ${service} quota suite is left out: the live OpenStack was started without ${service}`,
      );
      continue;
    }
    runQuotaProviderConformance({
      name: `openstack (real ${service})`,
      sample: { resource, limit },
      setup: () => {
        const driver = liveDriver();
        return { driver, teardown: () => driver.dispose() };
      },
    });
  }
});
