import { OcxError } from '@ocx/core';
import type { Fault } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHilDriver } from './driver.js';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN, type HilSimulator } from './simulator/index.js';

/**
 * A fault at any step of lending a node (409, 500, connection reset, no answer at all) must leave
 * no node outside the free pool without the caller knowing: the step fails with an OcxError, and
 * one release afterwards returns the node — free, OBM off, no network, no pending action — as
 * the simulator's own state shows. The same holds for a fault during release: release again.
 */

const faults: Record<string, Fault> = {
  '409': { kind: 'status', status: 409, body: { type: 'BlockedError', msg: 'injected conflict' } },
  '500': { kind: 'status', status: 500, body: 'Internal Server Error' },
  reset: { kind: 'reset' },
  timeout: { kind: 'hang' },
};

/** The steps of lending a node, by the request each sends (HIL and, for power, OBMd). */
const lendSteps: Array<{ step: string; server: 'hil' | 'obmd'; path: (node: string) => RegExp }> = [
  { step: 'connect_node', server: 'hil', path: () => /\/connect_node$/ },
  { step: 'network_create', server: 'hil', path: () => /^\/v0\/network\/[^/]+$/ },
  { step: 'show_node', server: 'hil', path: (node) => new RegExp(`^/v0/node/${node}$`) },
  { step: 'connect_network', server: 'hil', path: (node) => new RegExp(`^/v0/node/${node}/nic/eth0/connect_network$`) },
  { step: 'networking_action', server: 'hil', path: () => /^\/v0\/networking_action\// },
  { step: 'power_on (HIL)', server: 'hil', path: (node) => new RegExp(`^/v0/node/${node}/power_on$`) },
  { step: 'obm enable', server: 'hil', path: (node) => new RegExp(`^/v0/node/${node}/obm$`) },
  { step: 'power_on (OBMd)', server: 'obmd', path: (node) => new RegExp(`^/node/${node}/power_on$`) },
  { step: 'boot_device (OBMd)', server: 'obmd', path: (node) => new RegExp(`^/node/${node}/boot_device$`) },
];

/** The steps of releasing a node. */
const releaseSteps: Array<{ step: string; server: 'hil' | 'obmd'; path: (node: string) => RegExp }> = [
  { step: 'show_node', server: 'hil', path: (node) => new RegExp(`^/v0/node/${node}$`) },
  { step: 'power_off (HIL)', server: 'hil', path: (node) => new RegExp(`^/v0/node/${node}/power_off$`) },
  { step: 'power_off (OBMd)', server: 'obmd', path: (node) => new RegExp(`^/node/${node}/power_off$`) },
  { step: 'detach_network', server: 'hil', path: (node) => new RegExp(`^/v0/node/${node}/nic/eth0/detach_network$`) },
  { step: 'networking_action', server: 'hil', path: () => /^\/v0\/networking_action\// },
  { step: 'obm disable', server: 'hil', path: (node) => new RegExp(`^/v0/node/${node}/obm$`) },
  { step: 'detach_node', server: 'hil', path: () => /\/detach_node$/ },
];

describe('faults at every step lose no node', () => {
  let hil: HilSimulator;
  let driver: ReturnType<typeof createHilDriver>;
  let next = 0;
  const takeNode = (): string => {
    next += 1;
    return `node-${String(next).padStart(3, '0')}`;
  };

  beforeAll(async () => {
    hil = await createHilSimulator({ nodes: (lendSteps.length + releaseSteps.length) * 4 + 4, actionDelayMs: 2 });
    driver = createHilDriver({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: { username: DEFAULT_SIMULATOR_ADMIN.username, password: DEFAULT_SIMULATOR_ADMIN.password },
      timeoutMs: 300,
      actionPollMs: 2,
      actionMaxPollMs: 10,
      retries: 1,
      releaseWaitMs: 2_000,
    });
  });
  afterAll(async () => {
    await driver.dispose();
    await hil.close();
  });

  const lend = async (node: string, project: string, network: string): Promise<void> => {
    const pool = driver.hardware;
    await pool.ensureProject(project);
    await pool.allocate({ project, node });
    await pool.createNetwork({ project, network });
    const nic = (await pool.getNode(node)).nics[0]!.label;
    await pool.attachNetwork({ node, nic, network });
    await pool.power({ node, action: 'on' });
    await pool.setBootDevice({ node, device: 'pxe' });
  };

  const expectBackInFreePool = (node: string): void => {
    const state = hil.state.node(node)!;
    expect(state.project).toBeNull();
    expect(state.obmEnabled).toBe(false);
    expect(state.power).toBe('off');
    for (const nic of state.nics) {
      expect(nic.networks).toEqual({});
      expect(nic.pendingAction).toBe(false);
    }
    expect(hil.state.freeNodes()).toContain(node);
  };

  /** How many requests so far matched a path: proves an armed fault met its request. */
  const seen = (server: 'hil' | 'obmd', pattern: RegExp): number =>
    (server === 'hil' ? hil.server : hil.obmdServer).requests.filter((request) => pattern.test(request.path)).length;

  const expectKnownFailure = (error: unknown): void => {
    expect(OcxError.is(error), String(error)).toBe(true);
    expect((error as OcxError).backend).toBe('hil');
  };

  for (const { step, server, path } of lendSteps) {
    for (const [name, fault] of Object.entries(faults)) {
      it(`a ${name} at ${step} while lending: the caller is told, and one release returns the node`, async () => {
        const node = takeNode();
        const project = `p-${node}`;
        const network = `net-${node}`;
        const before = seen(server, path(node));
        (server === 'hil' ? hil.server : hil.obmdServer).inject({ ...fault, times: 1 }, { path: path(node) });
        let failure: unknown;
        await lend(node, project, network).catch((error: unknown) => {
          failure = error;
        });
        hil.server.clearFaults();
        hil.obmdServer.clearFaults();
        expect(seen(server, path(node)), 'the faulty step was reached').toBeGreaterThan(before);
        if (failure !== undefined) expectKnownFailure(failure);
        const state = hil.state.node(node)!;
        if (state.project !== null) expect(state.project).toBe(project);
        await driver.hardware.release({ project, node });
        expectBackInFreePool(node);
        await driver.hardware.deleteNetwork({ network, ignoreMissing: true });
        expect(hil.state.networks().map((item) => item.name)).not.toContain(network);
      });
    }
  }

  for (const { step, server, path } of releaseSteps) {
    for (const [name, fault] of Object.entries(faults)) {
      it(`a ${name} at ${step} while releasing: release again finishes the job`, async () => {
        const node = takeNode();
        const project = `p-${node}`;
        const network = `net-${node}`;
        await lend(node, project, network);
        expect(hil.state.node(node)!.nics[0]!.networks).toEqual({ 'vlan/native': network });
        const before = seen(server, path(node));
        (server === 'hil' ? hil.server : hil.obmdServer).inject({ ...fault, times: 1 }, { path: path(node) });
        const first = await driver.hardware.release({ project, node }).catch((error: unknown) => error);
        hil.server.clearFaults();
        hil.obmdServer.clearFaults();
        expect(seen(server, path(node)), 'the faulty step was reached').toBeGreaterThan(before);
        if (OcxError.is(first)) expectKnownFailure(first);
        else expect(first).toEqual({ pool: 'free' });
        expect(await driver.hardware.release({ project, node })).toEqual({ pool: 'free' });
        expectBackInFreePool(node);
        await driver.hardware.deleteNetwork({ network });
      });
    }
  }
});
