import { runHardwarePoolConformance } from '@ocx/core/testing';
import { createHilDriver } from './driver.js';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN } from './simulator/index.js';

const admin = { username: DEFAULT_SIMULATOR_ADMIN.username, password: DEFAULT_SIMULATOR_ADMIN.password };

runHardwarePoolConformance({
  name: 'hil (simulator, basic auth)',
  setup: async () => {
    const hil = await createHilSimulator({ nodes: 4, actionDelayMs: 5 });
    const driver = createHilDriver({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: admin,
      actionPollMs: 5,
      actionMaxPollMs: 20,
    });
    return {
      driver,
      teardown: async () => {
        await driver.dispose();
        await hil.close();
      },
    };
  },
});

runHardwarePoolConformance({
  name: 'hil (simulator, maintenance pool)',
  maintenanceWaitMs: 5_000,
  setup: async () => {
    const hil = await createHilSimulator({
      nodes: 3,
      actionDelayMs: 5,
      maintenancePool: { project: 'scrub', scrubAfterMs: 30 },
    });
    const driver = createHilDriver({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: admin,
      actionPollMs: 5,
      actionMaxPollMs: 20,
      maintenancePool: { project: 'scrub' },
    });
    return {
      driver,
      teardown: async () => {
        await driver.dispose();
        await hil.close();
      },
    };
  },
});
