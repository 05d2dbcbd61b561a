import { z } from 'zod';
import { BootDeviceSchema, type HardwarePool, PowerActionSchema } from '../../spec/interfaces/hardware-pool.js';
import { checkInput, checkSignal, conflict, NameSchema, notFound } from './checks.js';
import type { ReferenceNode, ReferenceState } from './state.js';

const AllocateInputSchema = z.object({ project: NameSchema, node: NameSchema });
const CreateNetworkInputSchema = z.object({ project: NameSchema, network: NameSchema });
const DeleteNetworkInputSchema = z.object({ network: NameSchema, ignoreMissing: z.boolean().optional() });
const AttachNetworkInputSchema = z.object({
  node: NameSchema,
  nic: NameSchema,
  network: NameSchema,
  channel: z.string().min(1).optional(),
});
const DetachNetworkInputSchema = z.object({ node: NameSchema, nic: NameSchema, network: NameSchema });
const PowerInputSchema = z.object({ node: NameSchema, action: PowerActionSchema });
const SetBootDeviceInputSchema = z.object({ node: NameSchema, device: BootDeviceSchema });
const ReleaseInputSchema = z.object({ project: NameSchema, node: NameSchema });

/** The reference landlord's bare-metal pool: HIL's rules, in memory. */
export function createReferenceHardwarePool(state: ReferenceState): HardwarePool {
  const node = (name: string, operation: string): ReferenceNode => {
    const found = state.nodes.get(checkInput(NameSchema, name, operation));
    if (found === undefined) throw notFound(`Node ${name}`, operation);
    return found;
  };
  const nic = (target: ReferenceNode, label: string, operation: string) => {
    const found = target.nics.find((candidate) => candidate.label === label);
    if (found === undefined) throw notFound(`NIC ${label} of node ${target.name}`, operation);
    return found;
  };
  const sorted = (names: Iterable<string>): string[] => [...names].sort();

  return {
    async listFreeNodes(options) {
      checkSignal(options, 'listFreeNodes');
      return sorted(
        [...state.nodes.values()].filter((candidate) => candidate.project === null).map((candidate) => candidate.name),
      );
    },
    async listProjectNodes(project, options) {
      checkSignal(options, 'listProjectNodes');
      checkInput(NameSchema, project, 'listProjectNodes');
      return sorted(
        [...state.nodes.values()]
          .filter((candidate) => candidate.project === project)
          .map((candidate) => candidate.name),
      );
    },
    async getNode(name, options) {
      checkSignal(options, 'getNode');
      const found = node(name, 'getNode');
      return {
        name: found.name,
        project: found.project,
        nics: found.nics.map((item) => ({
          label: item.label,
          macAddress: item.macAddress,
          networks: { ...item.networks },
        })),
        metadata: {},
      };
    },
    async ensureProject(project, options) {
      checkSignal(options, 'ensureProject');
      state.hardwareProjects.add(checkInput(NameSchema, project, 'ensureProject'));
    },
    async allocate(input, options) {
      const { project, node: name } = checkInput(AllocateInputSchema, input, 'allocate');
      checkSignal(options, 'allocate');
      const target = node(name, 'allocate');
      if (target.project !== null) throw conflict(`Node ${name} is not free`, 'allocate');
      state.hardwareProjects.add(project);
      target.project = project;
      target.allocations.push({ project, start: state.clock.now().getTime() });
    },
    async createNetwork(input, options) {
      const { project, network } = checkInput(CreateNetworkInputSchema, input, 'createNetwork');
      checkSignal(options, 'createNetwork');
      const existing = state.networks.get(network);
      if (existing !== undefined && existing.owner !== project)
        throw conflict(`Network ${network} belongs to another project`, 'createNetwork');
      state.networks.set(network, { owner: project });
    },
    async deleteNetwork(input, options) {
      const { network, ignoreMissing } = checkInput(DeleteNetworkInputSchema, input, 'deleteNetwork');
      checkSignal(options, 'deleteNetwork');
      if (!state.networks.has(network)) {
        if (ignoreMissing) return;
        throw notFound(`Network ${network}`, 'deleteNetwork');
      }
      const attached = [...state.nodes.values()].some((candidate) =>
        candidate.nics.some((item) => Object.values(item.networks).includes(network)),
      );
      if (attached) throw conflict(`Network ${network} still has attached NICs`, 'deleteNetwork');
      state.networks.delete(network);
    },
    async attachNetwork(input, options) {
      const request = checkInput(AttachNetworkInputSchema, input, 'attachNetwork');
      checkSignal(options, 'attachNetwork');
      const target = node(request.node, 'attachNetwork');
      const owner = state.networks.get(request.network)?.owner;
      if (owner === undefined) throw notFound(`Network ${request.network}`, 'attachNetwork');
      if (target.project !== owner) throw conflict(`Node ${request.node} is not in project ${owner}`, 'attachNetwork');
      const item = nic(target, request.nic, 'attachNetwork');
      const channel = request.channel ?? 'vlan/native';
      if (item.networks[channel] !== undefined)
        throw conflict(`Channel ${channel} of ${request.nic} is in use`, 'attachNetwork');
      item.networks[channel] = request.network;
    },
    async detachNetwork(input, options) {
      const request = checkInput(DetachNetworkInputSchema, input, 'detachNetwork');
      checkSignal(options, 'detachNetwork');
      const item = nic(node(request.node, 'detachNetwork'), request.nic, 'detachNetwork');
      const channel = Object.keys(item.networks).find((key) => item.networks[key] === request.network);
      if (channel === undefined)
        throw conflict(`NIC ${request.nic} is not attached to ${request.network}`, 'detachNetwork');
      delete item.networks[channel];
    },
    async power(input, options) {
      const request = checkInput(PowerInputSchema, input, 'power');
      checkSignal(options, 'power');
      const target = node(request.node, 'power');
      if (target.project === null) throw conflict(`Node ${request.node} is free; allocate it first`, 'power');
      target.power = request.action === 'off' ? 'off' : 'on';
    },
    async powerStatus(name, options) {
      checkSignal(options, 'powerStatus');
      return node(name, 'powerStatus').power;
    },
    async setBootDevice(input, options) {
      const request = checkInput(SetBootDeviceInputSchema, input, 'setBootDevice');
      checkSignal(options, 'setBootDevice');
      node(request.node, 'setBootDevice').bootDevice = request.device;
    },
    async release(input, options) {
      const { project, node: name } = checkInput(ReleaseInputSchema, input, 'release');
      checkSignal(options, 'release');
      const target = node(name, 'release');
      if (target.project === null) return { pool: 'free' };
      if (target.project !== project) throw conflict(`Node ${name} belongs to another project`, 'release');
      target.power = 'off';
      for (const item of target.nics) item.networks = {};
      target.project = null;
      const open = target.allocations.find((allocation) => allocation.end === undefined);
      if (open !== undefined) open.end = state.clock.now().getTime();
      return { pool: 'free' };
    },
  };
}
