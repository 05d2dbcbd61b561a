import { createM2Driver } from '../driver.js';
import { createM2Simulator, type M2Simulator } from '../simulator/m2-simulator.js';
import { createLossyProxy, type LossyProxy } from './lossy-proxy.js';
import { type RunningHil, startHil } from './start-hil.js';

/** The credentials of the test bed's user, who is a member of `genomics` in HIL. */
export const TEST_BED_USER = { username: 'alice', password: 'alice-test-bed-password' } as const;

/** A HIL, an M2 in front of it, a lossy proxy in front of M2 and a driver talking through the proxy. */
export interface M2TestBed {
  hil: RunningHil;
  m2: M2Simulator;
  proxy: LossyProxy;
  driver: ReturnType<typeof createM2Driver>;
  /** The disks (clones) of `genomics`, by name. */
  disks(): string[];
  close(): Promise<void>;
}

/**
 * Start a small world for provisioner tests, on `@ocx/driver-hil/simulator`: project `genomics` with images `ubuntu-22.04` and
 * `centos-7`, node `node-01` (NIC `eth0`) allocated to it in HIL, and a driver whose client
 * retries quickly (or not at all) and times out after `timeoutMs`.
 */
export async function createM2TestBed(options: { retries?: number; timeoutMs?: number } = {}): Promise<M2TestBed> {
  const hil = await startHil('hil-simulator', {
    users: [{ ...TEST_BED_USER, projects: ['genomics'] }],
    nodes: [
      { name: 'node-01', project: 'genomics', nics: [{ label: 'eth0', macaddr: '52:54:00:00:00:01' }] },
      { name: 'node-02', project: null, nics: [{ label: 'eth0', macaddr: '52:54:00:00:00:02' }] },
    ],
  });
  const m2 = await createM2Simulator({
    hilUrl: hil.url,
    projects: ['genomics'],
    images: ['ubuntu-22.04', 'centos-7'],
    hilTimeoutMs: 1_000,
  });
  const proxy = await createLossyProxy(m2.url);
  const driver = createM2Driver({
    endpoint: proxy.url,
    ...TEST_BED_USER,
    project: 'genomics',
    timeoutMs: options.timeoutMs ?? 5_000,
    retry: { retries: options.retries ?? 2, minDelayMs: 5, maxDelayMs: 20 },
  });
  return {
    hil,
    m2,
    proxy,
    driver,
    disks: () =>
      m2
        .images('genomics')
        .filter((image) => image.kind === 'disk')
        .map((image) => image.name),
    async close() {
      await driver.dispose();
      await proxy.close();
      await m2.close();
      await hil.close();
    },
  };
}
