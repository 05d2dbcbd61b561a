import { HilApiError, pythonRepr } from '../api-error.js';
import { type HilRoute, text } from '../route-types.js';
import { hasPendingAction } from '../state.js';
import { legalChannels } from './channels.js';
import { mustFindNetwork, mustFindNic, mustFindNode } from './lookup.js';

const DEFAULT_CHANNEL = 'vlan/native';

/** Attaching and detaching NICs: queued actions and their status (hil/api.py, hil/deferred.py). */
export const networkingRoutes: HilRoute[] = [
  {
    method: 'POST',
    path: '/node/<node>/nic/<nic>/connect_network',
    schema: { fields: { node: 'string', nic: 'string', network: 'string', channel: 'string?' } },
    handler(call) {
      const { state } = call.services;
      const node = mustFindNode(state, text(call, 'node'));
      const nic = mustFindNic(node, text(call, 'nic'));
      const network = mustFindNetwork(state, text(call, 'network'));
      if (node.project === null) throw new HilApiError('ProjectMismatchError', 'Node not in project');
      call.principal.requireProjectAccess(node.project);
      if (nic.port === null) throw new HilApiError('NotFoundError', 'No port is connected to given nic.');
      if (hasPendingAction(state, nic))
        throw new HilApiError('BlockedError', 'A networking operation is already active on the nic.');
      if (network.access.length > 0 && !network.access.includes(node.project)) {
        throw new HilApiError('ProjectMismatchError', 'Project does not have access to given network.');
      }
      if ([...nic.attachments.values()].includes(network.name)) {
        throw new HilApiError('BlockedError', 'The network is already attached to the nic.');
      }
      const channel = (call.args.channel as string | undefined) ?? DEFAULT_CHANNEL;
      if (nic.attachments.has(channel))
        throw new HilApiError('BlockedError', 'The channel is already in use on the nic.');
      if (!legalChannels(network.netId).includes(channel)) {
        throw new HilApiError('BadArgumentError', `Channel ${pythonRepr(channel)}, is not legal for this network.`);
      }
      const action = call.services.queueAction({
        node: node.name,
        nic: nic.label,
        type: 'modify_port',
        channel,
        newNetwork: network.name,
      });
      return { status: 202, body: { status_id: action.id } };
    },
  },
  {
    method: 'POST',
    path: '/node/<node>/nic/<nic>/detach_network',
    schema: { fields: { node: 'string', nic: 'string', network: 'string' } },
    handler(call) {
      const { state } = call.services;
      const node = mustFindNode(state, text(call, 'node'));
      const network = mustFindNetwork(state, text(call, 'network'));
      const nic = mustFindNic(node, text(call, 'nic'));
      if (node.project === null) throw new HilApiError('ProjectMismatchError', 'Node not in project');
      call.principal.requireProjectAccess(node.project);
      if (hasPendingAction(state, nic))
        throw new HilApiError('BlockedError', 'A networking operation is already active on the nic.');
      const channel = [...nic.attachments].find(([, attached]) => attached === network.name)?.[0];
      if (channel === undefined) throw new HilApiError('BadArgumentError', 'The network is not attached to the nic.');
      const action = call.services.queueAction({
        node: node.name,
        nic: nic.label,
        type: 'modify_port',
        channel,
        newNetwork: null,
      });
      return { status: 202, body: { status_id: action.id } };
    },
  },
  {
    method: 'GET',
    path: '/networking_action/<status_id>',
    schema: { fields: { status_id: 'string' } },
    handler(call) {
      const { state } = call.services;
      const action = state.actions.get(text(call, 'status_id'));
      if (action === undefined)
        throw new HilApiError('NotFoundError', `NetworkingAction ${text(call, 'status_id')} does not exist.`);
      call.principal.requireProjectAccess(state.nodes.get(action.node)?.project ?? null);
      return {
        body: {
          channel: action.channel,
          new_network: action.newNetwork,
          nic: action.nic,
          node: action.node,
          status: action.status,
          type: action.type,
        },
        sortKeys: true,
      };
    },
  },
];
