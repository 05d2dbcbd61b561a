import { runHostileBackendSuite } from '@ocx/core/testing';
import { createM2Client } from './client.js';

const PASSWORD = 'm2-forwarded-hil-password';

// M2 ("picasso") played by a hostile server; the HIL password it forwards is the secret at stake.
runHostileBackendSuite({
  name: 'm2',
  probes: ['listImages', 'listSnapshots', 'createDisk', 'provision', 'deprovision'],
  connect: ({ url, timeoutMs, logger }) => {
    const m2 = createM2Client({
      endpoint: url,
      username: 'landlord',
      password: PASSWORD,
      project: 'genomics',
      timeoutMs,
      logger,
      retry: { retries: 0 },
    });
    return {
      secrets: [PASSWORD],
      probes: {
        listImages: { run: () => m2.listImages() },
        listSnapshots: { run: () => m2.listSnapshots() },
        createDisk: { run: () => m2.createDisk({ disk: 'genomics-disk', image: 'centos' }) },
        provision: { run: () => m2.provision({ node: 'node-01', disk: 'genomics-disk', nic: 'eth0' }) },
        deprovision: { run: () => m2.deprovision({ node: 'node-01', nic: 'eth0' }) },
      },
      close: () => m2.close(),
    };
  },
});
