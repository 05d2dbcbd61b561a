import { runHostileBackendSuite } from '@ocx/core/testing';
import { createHilClient } from './client/hil-client.js';

const PASSWORD = 'hil-landlord-password';

// HIL, and OBMd behind its 307s, played by a hostile server: see @ocx/core/testing's kit.
runHostileBackendSuite({
  name: 'hil',
  probes: [
    'nodes.list',
    'nodes.show',
    'projects.create',
    'networking.connectNetwork',
    'obm.powerOn',
    'obm.powerStatus',
  ],
  connect: ({ url, timeoutMs, logger }) => {
    const hil = createHilClient({
      endpoint: url,
      auth: { username: 'landlord', password: PASSWORD },
      // OBMd is listed, but on another port: the kit's "other origin" is not it.
      obmdOrigins: ['http://127.0.0.1:1'],
      timeoutMs,
      logger,
      retries: 0,
      actionPollMs: 1,
      actionMaxPollMs: 2,
    });
    return {
      secrets: [PASSWORD],
      probes: {
        'nodes.list': { run: () => hil.nodes.list('free') },
        'nodes.show': { run: () => hil.nodes.show('node-01') },
        'projects.create': { run: () => hil.projects.create('genomics'), readsBody: false },
        'networking.connectNetwork': {
          run: () => hil.networking.connectNetwork({ node: 'node-01', nic: 'eth0', network: 'genomics-net' }),
        },
        'obm.powerOn': { run: () => hil.obm.powerOn('node-01'), readsBody: false },
        'obm.powerStatus': { run: () => hil.obm.powerStatus('node-01') },
      },
      close: () => hil.close(),
    };
  },
});
