import {
  BootDeviceSchema,
  type CallOptions,
  type HardwareNode,
  type HardwarePool,
  OcxError,
  PowerActionSchema,
} from '@ocx/core';
import { z } from 'zod';
import { HIL_BACKEND } from './client/hil-transport.js';
import { decodeMetadata } from './client/nodes.js';
import { HilChannelSchema, HilNameSchema } from './names.js';
import { checkPoolInput, checkSignal, isHilError, type PoolContext, withObm } from './pool-support.js';
import { releaseNode } from './release-node.js';

const NodeInput = z.object({ project: HilNameSchema, node: HilNameSchema });
const NetworkInput = z.object({ project: HilNameSchema, network: HilNameSchema });
const DeleteNetworkInput = z.object({ network: HilNameSchema, ignoreMissing: z.boolean().optional() });
const AttachInput = z.object({
  node: HilNameSchema,
  nic: HilNameSchema,
  network: HilNameSchema,
  channel: HilChannelSchema.optional(),
});
const DetachInput = z.object({ node: HilNameSchema, nic: HilNameSchema, network: HilNameSchema });
const PowerInput = z.object({ node: HilNameSchema, action: PowerActionSchema });
const BootInput = z.object({ node: HilNameSchema, device: BootDeviceSchema });

/** Read a name, checking the signal first, for the single-name calls. */
function name(value: unknown, field: string, operation: string, options: CallOptions | undefined): string {
  checkSignal(options, operation);
  return checkPoolInput(z.object({ [field]: HilNameSchema }), { [field]: value }, operation)[field] as string;
}

/**
 * The `HardwarePool` capability on HIL: free nodes are lent to projects with connect_node, put on
 * project-owned networks (each NIC change waited on until the switch applied it), powered through
 * OBMd, and released (power off → detach every network → OBM off → detach_node), resumably.
 */
export function createHilHardwarePool(context: PoolContext): HardwarePool {
  const { client } = context;
  const sorted = (names: string[]): string[] => [...names].sort();

  return {
    async listFreeNodes(options) {
      checkSignal(options, 'listFreeNodes');
      return sorted(await client.nodes.list('free', options));
    },
    async listProjectNodes(project, options) {
      return sorted(await client.projects.listNodes(name(project, 'project', 'listProjectNodes', options), options));
    },
    async getNode(node, options) {
      const shown = await client.nodes.show(name(node, 'node', 'getNode', options), options);
      const result: HardwareNode = {
        name: shown.name,
        project: shown.project,
        nics: shown.nics.map((nic) => ({ label: nic.label, macAddress: nic.macaddr, networks: { ...nic.networks } })),
        metadata: decodeMetadata(shown.metadata),
      };
      return result;
    },
    async ensureProject(project, options) {
      const checked = name(project, 'project', 'ensureProject', options);
      try {
        await client.projects.create(checked, options);
      } catch (error) {
        if (isHilError(error, 'conflict', 'DuplicateError')) return;
        // A tenant may not create projects, but its own project exists if it can list it.
        if (isHilError(error, 'auth')) {
          await client.projects.listNodes(checked, options).catch(() => Promise.reject(error));
          return;
        }
        throw error;
      }
    },
    async allocate(input, options) {
      const { project, node } = checkPoolInput(NodeInput, input, 'allocate');
      checkSignal(options, 'allocate');
      try {
        await client.projects.connectNode(project, node, options);
      } catch (error) {
        // HIL looks the project up before the node: a taken node asked for by an unknown project
        // is a 404 there, but the caller's real problem is that the node is not free.
        if (!isHilError(error, 'not-found')) throw error;
        const shown = await client.nodes.show(node, options).catch(() => undefined);
        if (shown === undefined || shown.project === null) throw error;
        throw new OcxError({
          code: 'conflict',
          backend: HIL_BACKEND,
          operation: 'allocate',
          fault: 'client',
          message: `${HIL_BACKEND}: node ${node} is not free (it belongs to a project)`,
          cause: error,
        });
      }
      context.obmHints.set(node, false);
      context.progress({ node, project, step: 'allocated' });
    },
    async createNetwork(input, options) {
      const { project, network } = checkPoolInput(NetworkInput, input, 'createNetwork');
      checkSignal(options, 'createNetwork');
      try {
        await client.networks.create(network, { owner: project, access: project, netId: '' }, options);
      } catch (error) {
        if (!isHilError(error, 'conflict', 'DuplicateError')) throw error;
        const existing = await client.networks.show(network, options);
        if (existing.owner !== project) {
          throw new OcxError({
            code: 'conflict',
            backend: HIL_BACKEND,
            operation: 'createNetwork',
            fault: 'client',
            message: `${HIL_BACKEND}: network ${network} already exists and belongs to ${existing.owner}`,
            cause: error,
          });
        }
      }
    },
    async deleteNetwork(input, options) {
      const { network, ignoreMissing } = checkPoolInput(DeleteNetworkInput, input, 'deleteNetwork');
      checkSignal(options, 'deleteNetwork');
      try {
        await client.networks.delete(network, options);
      } catch (error) {
        if (!(ignoreMissing && isHilError(error, 'not-found'))) throw error;
      }
    },
    async attachNetwork(input, options) {
      const request = checkPoolInput(AttachInput, input, 'attachNetwork');
      checkSignal(options, 'attachNetwork');
      try {
        await client.networking.connectNetwork(request, options);
      } catch (error) {
        // Already attached (e.g. an earlier call whose answer was lost): the goal is reached.
        if (!isHilError(error, 'conflict', 'BlockedError')) throw error;
        const shown = await client.nodes.show(request.node, options);
        const nic = shown.nics.find((item) => item.label === request.nic);
        if (!Object.values(nic?.networks ?? {}).includes(request.network)) throw error;
      }
      context.progress({ node: request.node, nic: request.nic, network: request.network, step: 'network-attached' });
    },
    async detachNetwork(input, options) {
      const request = checkPoolInput(DetachInput, input, 'detachNetwork');
      checkSignal(options, 'detachNetwork');
      try {
        await client.networking.detachNetwork(request, options);
      } catch (error) {
        // HIL's 400 "not attached": the goal is reached, unless the network itself is unknown (404).
        if (!isHilError(error, 'http', 'BadArgumentError')) throw error;
      }
      context.progress({ node: request.node, nic: request.nic, network: request.network, step: 'network-detached' });
    },
    async power(input, options) {
      const { node, action } = checkPoolInput(PowerInput, input, 'power');
      checkSignal(options, 'power');
      await withObm(context, node, options, () => {
        if (action === 'on') return client.obm.powerOn(node, options);
        if (action === 'off') return client.obm.powerOff(node, options);
        return client.obm.powerCycle(node, { force: context.powerCycleForce }, options);
      });
      context.progress({ node, step: 'powered', detail: action });
    },
    async powerStatus(node, options) {
      const checked = name(node, 'node', 'powerStatus', options);
      return withObm(context, checked, options, () => client.obm.powerStatus(checked, options));
    },
    async setBootDevice(input, options) {
      const { node, device } = checkPoolInput(BootInput, input, 'setBootDevice');
      checkSignal(options, 'setBootDevice');
      await withObm(context, node, options, () => client.obm.setBootDevice(node, device, options));
      context.progress({ node, step: 'boot-device-set', detail: device });
    },
    async release(input, options) {
      const { project, node } = checkPoolInput(NodeInput, input, 'release');
      checkSignal(options, 'release');
      return releaseNode(context, project, node, options);
    },
  };
}
