import { runProvisionerConformance } from '@ocx/core/testing';
import { createHilSimulator, type HilSimulator } from '@ocx/driver-hil/simulator';
import { createM2Driver } from './driver.js';
import { createM2Simulator } from './simulator/m2-simulator.js';

const alice = { username: 'alice', password: 'alice-conformance-password' };
let hil: HilSimulator | undefined;

runProvisionerConformance({
  name: 'm2 (M2 simulator on the HIL simulator)',
  async setup() {
    hil = await createHilSimulator({
      projects: ['genomics'],
      users: [{ name: alice.username, password: alice.password, projects: ['genomics'] }],
      nodes: [{ name: 'node-07', nics: [{ label: 'eth0', macaddr: '52:54:00:00:00:07' }] }],
    });
    const m2 = await createM2Simulator({ hilUrl: hil.url, projects: ['genomics'], images: ['ubuntu-22.04'] });
    const driver = createM2Driver({ endpoint: m2.url, ...alice, project: 'genomics' });
    return {
      driver,
      async teardown() {
        await driver.dispose();
        await m2.close();
        await hil?.close();
      },
    };
  },
  // M2 may look up a node's NIC only once the node is the project's in HIL: allocate it over HIL's REST API.
  async prepare() {
    const response = await fetch(`${hil!.url}/v0/project/genomics/connect_node`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${alice.username}:${alice.password}`).toString('base64')}` },
      body: JSON.stringify({ node: 'node-07' }),
    });
    if (!response.ok) throw new Error(`HIL refused connect_node: ${response.status} ${await response.text()}`);
    return { project: 'genomics', node: 'node-07', nic: 'eth0' };
  },
});
