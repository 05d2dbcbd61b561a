import { expect } from 'vitest';
import { ManualClock } from '../../runtime/clock.js';
import { createExchange, type Exchange } from '../../runtime/exchange.js';
import type { Driver } from '../../spec/driver.js';
import { createMemoryStore } from '../../store/memory-store.js';
import type { Store } from '../../store/store.js';
import { type CrashSwitch, crashingStore } from '../../testing/crash/crashing-store.js';

export { CrashSwitch, crashingStore } from '../../testing/crash/crashing-store.js';

import { createReferenceDriver, type ReferenceExtension } from '../../testing/reference-driver/index.js';

/** Decides, per backend call, whether to fail it (and how). */
export type FaultPlan = (call: { capability: string; method: string; input: unknown }) => Error | undefined;

/** Wrap a driver's capability methods with a fault plan and a crash switch. */
export function faultyDriver(driver: Driver, plan: FaultPlan, crash?: CrashSwitch): Driver {
  const wrapped: Record<string, unknown> = { ...driver };
  for (const capability of ['hardware', 'provisioner', 'attestor'] as const) {
    const implementation = driver[capability] as unknown as Record<string, unknown> | undefined;
    if (implementation === undefined) continue;
    const proxy: Record<string, unknown> = {};
    for (const [method, value] of Object.entries(implementation)) {
      if (typeof value !== 'function') continue;
      proxy[method] = (...args: unknown[]) => {
        crash?.check();
        const fault = plan({ capability, method, input: args[0] });
        if (fault !== undefined) {
          if (method === 'watch') throw fault;
          return Promise.reject(fault);
        }
        return (value as (...parameters: unknown[]) => unknown).apply(implementation, args);
      };
    }
    wrapped[capability] = proxy;
  }
  return wrapped as unknown as Driver;
}

/** The backends of a test: three reference landlords holding the "real" state. */
export interface Backends {
  clock: ManualClock;
  hardware: Driver<ReferenceExtension>;
  provisioner: Driver<ReferenceExtension>;
  attestor: Driver<ReferenceExtension>;
}

export function createBackends(options: { nodes?: number; failingAgents?: string[] } = {}): Backends {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const hardware = createReferenceDriver({
    landlord: 'hw',
    service: 'hil',
    clock,
    nodes: options.nodes ?? 16,
    capabilities: ['hardware'],
  });
  const provisioner = createReferenceDriver({
    landlord: 'prov',
    service: 'm2',
    clock,
    nodes: 0,
    capabilities: ['provisioner'],
    hardwareFrom: hardware,
  });
  const attestor = createReferenceDriver({
    landlord: 'tenant',
    service: 'keylime',
    clock,
    nodes: 0,
    capabilities: ['attestor'],
    failingAgents: options.failingAgents ?? [],
  });
  return { clock, hardware, provisioner, attestor };
}

/** An exchange over the backends, optionally with faults and a crash switch. */
export async function exchangeOver(
  backends: Backends,
  options: { store?: Store; plan?: FaultPlan; crash?: CrashSwitch } = {},
): Promise<Exchange> {
  const plan = options.plan ?? (() => undefined);
  const inner = options.store ?? createMemoryStore();
  const store = options.crash === undefined ? inner : crashingStore(inner, options.crash);
  const exchange = createExchange({ store, clock: backends.clock });
  const wrap = (driver: Driver) => faultyDriver(driver, plan, options.crash);
  await exchange.landlords.register({
    id: 'hw',
    name: 'Hardware Co',
    organization: 'HW',
    services: [{ id: 'hil', kind: 'bare-metal', driver: wrap(backends.hardware) }],
  });
  await exchange.landlords.register({
    id: 'prov',
    name: 'Provisioning U',
    organization: 'PROV',
    services: [{ id: 'm2', kind: 'provisioning', driver: wrap(backends.provisioner) }],
  });
  await exchange.landlords.register({
    id: 'tenant',
    name: 'Tenant Lab',
    organization: 'LAB',
    services: [{ id: 'keylime', kind: 'attestation', driver: wrap(backends.attestor) }],
  });
  return exchange;
}

export const enclaveRequest = (project: string, nodes: number | string[]) => ({
  id: `${project}-enclave`,
  project,
  organization: 'bu',
  hardware: { landlord: 'hw', service: 'hil' },
  provisioner: { landlord: 'prov', service: 'm2' },
  attestor: { landlord: 'tenant', service: 'keylime' },
  nodes,
  image: 'ubuntu-22.04',
  policy: { name: 'golden', pcrs: { '0': ['ab'] } },
});

/**
 * The enclave invariants: every node of every enclave ends joined-and-attested, quarantined, or
 * back in the free pool; no node is held twice; the journal and the backends agree.
 */
export async function expectInvariants(exchange: Exchange, backends: Backends): Promise<void> {
  const pool = backends.hardware.ext!.state;
  const agents = backends.attestor.ext!.state.agents;
  const holders = new Map<string, string>();
  for (const enclave of await exchange.enclaves.list()) {
    const records = await exchange.enclaves.journal(enclave.id);
    expect(records.length).toBeGreaterThanOrEqual(0);
    for (const node of enclave.nodes) {
      const backend = pool.nodes.get(node.node);
      expect(backend, node.node).toBeDefined();
      expect(['joined', 'rejected', 'released'], `${enclave.id}/${node.node} ended ${node.state}`).toContain(
        node.state,
      );
      const networks = backend!.nics.flatMap((nic) => Object.values(nic.networks));
      if (node.state === 'joined') {
        expect(backend!.project).toBe(enclave.project);
        expect(networks).toEqual([`${enclave.id}-net`]);
        expect(agents.get(node.node)?.verdict, `${node.node} joined without a pass`).toBe('pass');
      }
      if (node.state === 'rejected') {
        expect(backend!.project).toBe(enclave.project);
        expect(networks).toEqual([]);
        expect(agents.get(node.node)?.verdict).toBe('fail');
      }
      if (node.state === 'joined' || node.state === 'rejected') {
        expect(holders.get(node.node), `${node.node} held twice`).toBeUndefined();
        holders.set(node.node, enclave.id);
      }
    }
  }
  for (const node of pool.nodes.values()) {
    if (holders.has(node.name)) continue;
    expect(node.project, `${node.name} leaked to ${node.project}`).toBeNull();
    expect(node.nics.flatMap((nic) => Object.values(nic.networks))).toEqual([]);
  }
}
