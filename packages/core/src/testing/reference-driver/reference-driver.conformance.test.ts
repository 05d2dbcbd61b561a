import { ManualClock } from '../../runtime/clock.js';
import { createMemoryStore } from '../../store/memory-store.js';
import {
  runAttestorConformance,
  runHardwarePoolConformance,
  runMeterConformance,
  runProvisionerConformance,
  runQuotaProviderConformance,
  runStoreConformance,
  runTenancyConformance,
} from '../conformance/index.js';
import { createReferenceDriver, type ReferenceExtension } from './index.js';

const reference = () => createReferenceDriver({ landlord: 'ref', service: 'all', failingAgents: ['agent-bad'] });

runHardwarePoolConformance({ name: 'reference', setup: () => ({ driver: reference() }) });
runTenancyConformance({ name: 'reference', setup: () => ({ driver: reference() }) });
runQuotaProviderConformance({ name: 'reference', setup: () => ({ driver: reference() }) });
runProvisionerConformance({
  name: 'reference',
  setup: () => ({ driver: reference() }),
  prepare: async ({ driver }) => {
    await driver.hardware?.allocate({ project: 'prov', node: 'node-001' });
    return { project: 'prov', node: 'node-001', nic: 'eth0' };
  },
});
runAttestorConformance({
  name: 'reference',
  setup: () => ({ driver: reference() }),
  passing: { agent: 'agent-good', node: 'node-001' },
  failing: { agent: 'agent-bad', node: 'node-002' },
  policy: { name: 'default', pcrs: { '0': ['aa'] } },
  revoke: async ({ driver }, agent) =>
    (driver.ext as ReferenceExtension).revoke(agent, 'IMA measurement of /usr/bin/sshd not in allowlist'),
});

const clock = new ManualClock('2026-11-01T00:00:00Z');
runMeterConformance({
  name: 'reference',
  window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T04:00:00Z' },
  setup: () => ({ driver: createReferenceDriver({ landlord: 'ref', service: 'all', clock }) }),
  produceUsage: async ({ driver }) => {
    await driver.tenancy?.ensureProject({ id: 'metered', name: 'Metered', organization: 'bu' });
    clock.set('2026-11-01T00:30:00Z');
    await driver.hardware?.allocate({ project: 'metered', node: 'node-001' });
    clock.set('2026-11-01T01:00:00Z');
    await driver.hardware?.allocate({ project: 'metered', node: 'node-002' });
    clock.set('2026-11-01T02:15:00Z');
    await driver.hardware?.release({ project: 'metered', node: 'node-001' });
    (driver.ext as ReferenceExtension).recordUsage({
      project: 'metered',
      user: 'alice',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '8',
      resource: 'server-1',
      start: '2026-11-01T01:00:00Z',
      end: '2026-11-01T03:00:00Z',
    });
    clock.set('2026-11-01T05:00:00Z');
  },
});

runStoreConformance({ name: 'memory', setup: () => createMemoryStore() });
