import { createTestCertificates, runAttestorConformance } from '@ocx/core/testing';
import { createKeylimeDriver } from './keylime-driver.js';
import { createKeylimeSimulator, type KeylimeSimulator } from './simulator/index.js';

const passing = { agent: 'd432fbb3-d2f1-4a97-9ef7-75bd81c00001', node: 'node-1' };
const failing = { agent: 'd432fbb3-d2f1-4a97-9ef7-75bd81c00002', node: 'node-2' };

// The suite hands the revoke hook only the subject; the hook needs the simulator setup made.
let simulator: KeylimeSimulator | undefined;

runAttestorConformance({
  name: 'keylime (simulator)',
  passing,
  failing,
  policy: { pcrs: { 0: ['00'.repeat(32)], 7: ['11'.repeat(32)] }, allowlist: { '/usr/bin/bash': ['ab'.repeat(32)] } },
  maxWaitMs: 5_000,
  setup: async () => {
    simulator = await createKeylimeSimulator({
      certificates: await createTestCertificates(),
      quoteIntervalMs: 30,
      retryIntervalMs: 20,
      agents: [{ uuid: passing.agent }, { uuid: failing.agent, outcome: { invalidQuoteAt: 0 } }],
    });
    const driver = createKeylimeDriver({
      verifier: { url: simulator.verifier.url },
      registrar: { url: simulator.registrar.url },
      tls: {
        ca: simulator.certificates.ca.cert,
        cert: simulator.certificates.client.cert,
        key: simulator.certificates.client.key,
      },
      attestor: { pollIntervalMs: 20 },
    });
    const running = simulator;
    return {
      driver,
      teardown: async () => {
        await driver.dispose();
        await running.close();
      },
    };
  },
  revoke: async (_subject, agent) => {
    simulator?.revoke(agent, 'ima.validation.ima-ng.not_in_allowlist');
  },
});
