import { expect } from 'vitest';
import type { HardwarePool } from '../../spec/interfaces/hardware-pool.js';
import { HardwareNodeSchema } from '../../spec/interfaces/hardware-pool.js';
import {
  abortedSignal,
  type ConformanceOptions,
  type ConformanceSubject,
  defineConformanceSuite,
  expectOcxError,
  missingCapability,
  uniqueName,
} from './harness.js';

/** Options of {@link runHardwarePoolConformance}. */
export interface HardwarePoolConformanceOptions extends ConformanceOptions {
  /** Project to lend nodes to (created with `ensureProject`); a unique one by default. */
  project?: string;
  /** How long to wait for a released node to come back from a maintenance pool (default 30 s). */
  maintenanceWaitMs?: number;
}

interface Context {
  subject: ConformanceSubject;
  pool: HardwarePool;
  project: string;
  network: string;
  nodes: string[];
  maintenancePool: boolean;
  power: boolean;
}

/**
 * The HardwarePool conformance suite. Call it at the top level of a test file; it needs a
 * backend with at least two free nodes that each have a NIC.
 *
 * @example
 * ```ts
 * runHardwarePoolConformance({ name: 'hil', setup: async () => ({ driver: createHilDriver(...), teardown }) });
 * ```
 */
export function runHardwarePoolConformance(options: HardwarePoolConformanceOptions): void {
  defineConformanceSuite<Context>(
    `HardwarePool conformance${options.name === undefined ? '' : ` — ${options.name}`}`,
    {
      timeoutMs: options.timeoutMs,
      setup: async () => {
        const subject = await options.setup();
        const hardware = subject.driver.capabilities.hardware;
        return {
          subject,
          pool: subject.driver.hardware as HardwarePool,
          project: options.project ?? uniqueName('conf'),
          network: uniqueName('conf-net'),
          nodes: [],
          maintenancePool: hardware?.maintenancePool ?? false,
          power: hardware?.power ?? true,
        };
      },
      teardown: async (context) => {
        for (const node of context.nodes)
          await context.pool.release({ project: context.project, node }).catch(() => undefined);
        await context.pool.deleteNetwork({ network: context.network, ignoreMissing: true }).catch(() => undefined);
        await context.subject.teardown?.();
      },
      gate: (context) => missingCapability(context.subject.driver, 'hardware'),
    },
    (add) => {
      add('lists free nodes, sorted and unique, at least two', async ({ pool, nodes }) => {
        const free = await pool.listFreeNodes();
        expect(free.length).toBeGreaterThanOrEqual(2);
        expect([...free].sort()).toEqual(free);
        expect(new Set(free).size).toBe(free.length);
        nodes.push(free[0] as string, free[1] as string);
      });

      add('describes a free node: no project, at least one NIC', async ({ pool, nodes }) => {
        const node = HardwareNodeSchema.parse(await pool.getNode(nodes[0] as string));
        expect(node.name).toBe(nodes[0]);
        expect(node.project).toBeNull();
        expect(node.nics.length).toBeGreaterThan(0);
      });

      add('an unknown node is not-found', async ({ pool }) => {
        await expectOcxError(pool.getNode(uniqueName('missing')), ['not-found']);
      });

      add('ensureProject is idempotent', async ({ pool, project }) => {
        await pool.ensureProject(project);
        await pool.ensureProject(project);
      });

      add('malformed input is refused as validation and changes nothing', async ({ pool, nodes }) => {
        const before = await pool.listFreeNodes();
        await expectOcxError(pool.allocate({ project: '', node: nodes[0] as string }), ['validation']);
        expect(await pool.listFreeNodes()).toEqual(before);
      });

      add('an aborted call is refused and changes nothing', async ({ pool, project, nodes }) => {
        await expectOcxError(pool.allocate({ project, node: nodes[0] as string }, { signal: abortedSignal() }), [
          'aborted',
        ]);
        expect(await pool.listFreeNodes()).toContain(nodes[0]);
      });

      add('allocates free nodes to the project', async ({ pool, project, nodes }) => {
        for (const node of nodes) await pool.allocate({ project, node });
        const free = await pool.listFreeNodes();
        for (const node of nodes) expect(free).not.toContain(node);
        expect(await pool.listProjectNodes(project)).toEqual(expect.arrayContaining(nodes));
        expect((await pool.getNode(nodes[0] as string)).project).toBe(project);
      });

      add('allocating a node that is not free is a conflict', async ({ pool, nodes }) => {
        await expectOcxError(pool.allocate({ project: uniqueName('other'), node: nodes[0] as string }), ['conflict']);
      });

      add(
        'creates a network (idempotent) and attaches and detaches a NIC',
        async ({ pool, project, network, nodes }) => {
          await pool.createNetwork({ project, network });
          await pool.createNetwork({ project, network });
          const node = nodes[0] as string;
          const nic = (await pool.getNode(node)).nics[0]?.label as string;
          await pool.attachNetwork({ node, nic, network });
          const attached = await pool.getNode(node);
          expect(Object.values(attached.nics.find((item) => item.label === nic)?.networks ?? {})).toContain(network);
          await pool.detachNetwork({ node, nic, network });
          const detached = await pool.getNode(node);
          expect(Object.values(detached.nics.find((item) => item.label === nic)?.networks ?? {})).not.toContain(
            network,
          );
        },
      );

      add(
        'powers a node on and off and reports it',
        async ({ pool, nodes }) => {
          const node = nodes[0] as string;
          await pool.power({ node, action: 'on' });
          expect(await pool.powerStatus(node)).toBe('on');
          await pool.power({ node, action: 'off' });
          expect(await pool.powerStatus(node)).toBe('off');
          await pool.setBootDevice({ node, device: 'pxe' });
        },
        { skipUnless: ({ power }) => (power ? undefined : 'the pool declares power: false') },
      );

      add('releases a powered, networked node back to the pool', async ({ pool, project, network, nodes }) => {
        const node = nodes[1] as string;
        const nic = (await pool.getNode(node)).nics[0]?.label as string;
        await pool.attachNetwork({ node, nic, network });
        if ((await pool.getNode(node)).project !== null)
          await pool.power({ node, action: 'on' }).catch(() => undefined);
        const result = await pool.release({ project, node });
        expect(['free', 'maintenance']).toContain(result.pool);
        const deadline = Date.now() + (options.maintenanceWaitMs ?? 30_000);
        while (!(await pool.listFreeNodes()).includes(node) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(await pool.listFreeNodes()).toContain(node);
        const released = await pool.getNode(node);
        expect(released.project).toBeNull();
        for (const item of released.nics) expect(Object.keys(item.networks)).toEqual([]);
      });

      add('release is safe to call again', async ({ pool, project, nodes }) => {
        await pool.release({ project, node: nodes[1] as string });
        await pool.release({ project, node: nodes[0] as string });
        await pool.release({ project, node: nodes[0] as string });
        expect(await pool.listProjectNodes(project)).toEqual([]);
      });

      add('deletes the network; a missing network is fine with ignoreMissing', async ({ pool, network }) => {
        await pool.deleteNetwork({ network });
        await pool.deleteNetwork({ network, ignoreMissing: true });
        await expectOcxError(pool.deleteNetwork({ network }), ['not-found']);
      });
    },
  );
}
