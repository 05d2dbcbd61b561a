import { duplicate, HilApiError, HilServerError, pythonRepr } from '../api-error.js';
import { type HilRoute, text } from '../route-types.js';
import type { SimNetwork, SimState } from '../state.js';
import { isValidVlanId, legalChannels } from './channels.js';
import { mustFindNetwork, mustFindProject, sortedNames } from './lookup.js';

/** Every attachment of a network: node, NIC, channel, the node's project. */
function attachmentsOf(state: SimState, network: string) {
  const found: Array<{ node: string; nic: string; channel: string; project: string | null }> = [];
  for (const node of state.nodes.values()) {
    for (const nic of node.nics) {
      for (const [channel, attached] of nic.attachments) {
        if (attached === network) found.push({ node: node.name, nic: nic.label, channel, project: node.project });
      }
    }
  }
  return found;
}

function allocateVlan(state: SimState): string | undefined {
  const vlan = state.vlans.pool.find((candidate) => !state.vlans.used.has(candidate));
  if (vlan === undefined) return undefined;
  state.vlans.used.add(vlan);
  return String(vlan);
}

/** Networks and who may use them (hil/api.py, "Network Code"; hil/ext/network_allocators/vlan_pool.py). */
export const networkRoutes: HilRoute[] = [
  {
    method: 'GET',
    path: '/networks',
    schema: { fields: {} },
    handler({ principal, services }) {
      const admin = principal.haveAdmin();
      const result: Record<string, unknown> = {};
      for (const name of sortedNames(services.state.networks.keys())) {
        const network = services.state.networks.get(name)!;
        // Non-admins see only public networks.
        if (!admin && network.access.length > 0) continue;
        result[name] = {
          network_id: network.netId,
          projects: network.access.length > 0 ? sortedNames(network.access) : null,
        };
      }
      return { body: result, sortKeys: true };
    },
  },
  {
    method: 'PUT',
    path: '/network/<network>',
    schema: { fields: { network: 'string', owner: 'string', access: 'string', net_id: 'string' } },
    handler(call) {
      const { state } = call.services;
      const name = text(call, 'network');
      const owner = text(call, 'owner');
      const access = text(call, 'access');
      let netId = text(call, 'net_id');
      if (state.networks.has(name)) throw duplicate('Network', name);
      let network: Omit<SimNetwork, 'netId' | 'allocated'>;
      if (owner !== 'admin') {
        mustFindProject(state, owner);
        call.principal.requireProjectAccess(owner);
        if (access !== owner)
          throw new HilApiError('BadArgumentError', 'Project-owned networks must be accessible by the owner.');
        if (netId !== '')
          throw new HilApiError('BadArgumentError', 'Project-owned networks must use network ID allocation');
        network = { name, owner, access: [mustFindProject(state, access)] };
      } else {
        call.principal.requireAdmin();
        network = { name, owner: null, access: access === '' ? [] : [mustFindProject(state, access)] };
      }
      if (netId === '') {
        const allocated = allocateVlan(state);
        if (allocated === undefined) throw new HilServerError('AllocationError', 'No more networks');
        netId = allocated;
      } else {
        if (!isValidVlanId(netId)) throw new HilApiError('BadArgumentError', 'Invalid net_id');
        const vlan = Number.parseInt(netId, 10);
        if (state.vlans.pool.includes(vlan)) {
          if (state.vlans.used.has(vlan)) {
            throw new HilApiError('BlockedError', 'Network ID is not available. Please choose a different ID.');
          }
          state.vlans.used.add(vlan);
        }
      }
      state.networks.set(name, { ...network, netId, allocated: state.vlans.pool.includes(Number.parseInt(netId, 10)) });
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/network/<network>',
    schema: { fields: { network: 'string' } },
    handler(call) {
      const { state } = call.services;
      const network = mustFindNetwork(state, text(call, 'network'));
      call.principal.requireProjectAccess(network.owner);
      if (attachmentsOf(state, network.name).length > 0)
        throw new HilApiError('BlockedError', 'Network still connected to nodes');
      const pending = [...state.actions.values()].some(
        (action) => action.status === 'PENDING' && action.newNetwork === network.name,
      );
      if (pending) throw new HilApiError('BlockedError', 'There are pending actions on this network');
      if (network.allocated) state.vlans.used.delete(Number.parseInt(network.netId, 10));
      state.networks.delete(network.name);
      return undefined;
    },
  },
  {
    method: 'GET',
    path: '/network/<network>',
    schema: { fields: { network: 'string' } },
    handler(call) {
      const { state } = call.services;
      const { principal } = call;
      const network = mustFindNetwork(state, text(call, 'network'));
      if (network.access.length > 0 && !network.access.some((project) => principal.haveProjectAccess(project))) {
        throw new HilApiError('AuthorizationError', 'You do not have access to this network.');
      }
      const connected: Record<string, string[]> = {};
      for (const attachment of attachmentsOf(state, network.name)) {
        if (!principal.haveProjectAccess(network.owner) && !principal.haveProjectAccess(attachment.project)) continue;
        connected[attachment.node] = [...(connected[attachment.node] ?? []), attachment.nic];
      }
      return {
        body: {
          access: network.access.length > 0 ? [...network.access] : null,
          channels: legalChannels(network.netId),
          'connected-nodes': connected,
          name: network.name,
          owner: network.owner ?? 'admin',
        },
        sortKeys: true,
      };
    },
  },
  {
    method: 'GET',
    path: '/network/<network>/attachments',
    schema: { fields: { network: 'string', project: 'string?' } },
    handler(call) {
      const { state } = call.services;
      const { principal } = call;
      const network = mustFindNetwork(state, text(call, 'network'));
      const ownerAccess = principal.haveProjectAccess(network.owner);
      const project = call.args.project as string | undefined;
      if (project === undefined) {
        if (!ownerAccess) {
          throw new HilApiError(
            'AuthorizationError',
            "Operation requires admin rights or access to network's owning project",
          );
        }
      } else {
        mustFindProject(state, project);
        if (!ownerAccess && !(network.access.includes(project) && principal.haveProjectAccess(project))) {
          throw new HilApiError('AuthorizationError', 'You do not have access to this project.');
        }
      }
      const result: Record<string, unknown> = {};
      for (const attachment of attachmentsOf(state, network.name)) {
        if (project !== undefined && attachment.project !== project) continue;
        result[attachment.node] = { channel: attachment.channel, nic: attachment.nic, project: attachment.project };
      }
      return { body: result, sortKeys: true };
    },
  },
  {
    method: 'PUT',
    path: '/network/<network>/access/<project>',
    schema: { fields: { network: 'string', project: 'string' } },
    handler(call) {
      const { state } = call.services;
      const network = mustFindNetwork(state, text(call, 'network'));
      const project = mustFindProject(state, text(call, 'project'));
      call.principal.requireProjectAccess(network.owner);
      if (network.access.includes(project)) {
        throw new HilApiError('DuplicateError', `Network ${network.name} is already in project ${project}`);
      }
      network.access.push(project);
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/network/<network>/access/<project>',
    schema: { fields: { network: 'string', project: 'string' } },
    handler(call) {
      const { state } = call.services;
      const { principal } = call;
      const network = mustFindNetwork(state, text(call, 'network'));
      const project = mustFindProject(state, text(call, 'project'));
      const allowed =
        principal.haveAdmin() ||
        (network.owner !== null && principal.haveProjectAccess(network.owner)) ||
        (network.access.includes(project) && principal.haveProjectAccess(project));
      if (network.access.length > 0 && !allowed) {
        throw new HilApiError(
          'AuthorizationError',
          'You are not authorized to remove the specified project from this network.',
        );
      }
      if (!network.access.includes(project)) {
        throw new HilApiError(
          'NotFoundError',
          `Network ${pythonRepr(network.name)} is not in project ${pythonRepr(project)}`,
        );
      }
      if (network.owner === project) {
        throw new HilApiError(
          'BlockedError',
          `Project ${pythonRepr(project)} is owner of network ${pythonRepr(network.name)} and its access cannot be removed`,
        );
      }
      if (attachmentsOf(state, network.name).some((attachment) => attachment.project === project)) {
        throw new HilApiError('BlockedError', 'Project still has node(s) attached to the network');
      }
      network.access.splice(network.access.indexOf(project), 1);
      return undefined;
    },
  },
];
