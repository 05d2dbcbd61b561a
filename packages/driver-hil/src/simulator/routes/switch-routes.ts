import { duplicate, HilApiError, pythonRepr } from '../api-error.js';
import { type HilRoute, text } from '../route-types.js';
import type { SimPort, SimSwitch } from '../state.js';
import { mustFindNic, mustFindNode, mustFindSwitch, sortedNames } from './lookup.js';

/** The switch type of HIL's in-memory switch driver, the one the simulator offers. */
export const MOCK_SWITCH_TYPE = 'http://schema.massopencloud.org/haas/v0/switches/mock';

/** hil/ext/switches/mock.py `validate_port_name`. */
const MOCK_PORT_NAME = /^(gi|te)\d+\/\d+(\/\d+)?$/;

function mustFindPort(found: SimSwitch, label: string): SimPort {
  const port = found.ports.get(label);
  if (port === undefined)
    throw new HilApiError('NotFoundError', `Port ${label} on Switch ${found.name} does not exist.`);
  return port;
}

/** Switches and their ports; admin only (hil/api.py, "Switch code"). */
export const switchRoutes: HilRoute[] = [
  {
    method: 'GET',
    path: '/switches',
    schema: { fields: {} },
    handler({ principal, services }) {
      principal.requireAdmin();
      return { body: sortedNames(services.state.switches.keys()) };
    },
  },
  {
    method: 'PUT',
    path: '/switch/<switch>',
    schema: { fields: { switch: 'string', type: 'string' }, allowExtra: true },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const name = text(call, 'switch');
      const type = text(call, 'type');
      if (state.switches.has(name)) throw duplicate('Switch', name);
      if (type !== MOCK_SWITCH_TYPE)
        throw new HilApiError('BadArgumentError', `${pythonRepr(type)} is not a valid switch type.`);
      const { switch: _name, type: _type, ...fields } = call.args;
      const keys = Object.keys(fields).sort().join(',');
      const allStrings = Object.values(fields).every((value) => typeof value === 'string');
      if (keys !== 'hostname,password,username' || !allStrings) {
        throw new HilApiError(
          'BadArgumentError',
          'The mock switch needs exactly hostname, username and password (strings).',
        );
      }
      state.switches.set(name, { name, type, fields, ports: new Map() });
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/switch/<switch>',
    schema: { fields: { switch: 'string' } },
    handler(call) {
      call.principal.requireAdmin();
      const found = mustFindSwitch(call.services.state, text(call, 'switch'));
      if (found.ports.size > 0)
        throw new HilApiError('BlockedError', `Switch ${pythonRepr(found.name)} has ports; delete them first.`);
      call.services.state.switches.delete(found.name);
      return undefined;
    },
  },
  {
    method: 'GET',
    path: '/switch/<switch>',
    schema: { fields: { switch: 'string' } },
    handler(call) {
      call.principal.requireAdmin();
      const found = mustFindSwitch(call.services.state, text(call, 'switch'));
      return {
        body: {
          capabilities: ['nativeless-trunk-mode'],
          name: found.name,
          ports: [...found.ports.keys()].map((label) => ({ label })),
        },
        sortKeys: true,
      };
    },
  },
  {
    method: 'PUT',
    path: '/switch/<switch>/port/<path:port>',
    schema: { fields: { switch: 'string', port: 'string' } },
    handler(call) {
      call.principal.requireAdmin();
      const found = mustFindSwitch(call.services.state, text(call, 'switch'));
      const label = text(call, 'port');
      if (found.ports.has(label)) {
        throw new HilApiError('DuplicateError', `Port ${label} on Switch ${found.name} already exists`);
      }
      if (!MOCK_PORT_NAME.test(label)) {
        throw new HilApiError(
          'BadArgumentError',
          'Invalid port name. Valid port names for this switch are of the form gi1/0/11, te1/0/12, gi1/12, or te1/3',
        );
      }
      found.ports.set(label, { label, nic: null });
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/switch/<switch>/port/<path:port>',
    schema: { fields: { switch: 'string', port: 'string' } },
    handler(call) {
      call.principal.requireAdmin();
      const found = mustFindSwitch(call.services.state, text(call, 'switch'));
      const port = mustFindPort(found, text(call, 'port'));
      if (port.nic !== null) {
        throw new HilApiError(
          'BlockedError',
          `Port ${pythonRepr(port.label)} is attached to a nic; please detach it first.`,
        );
      }
      found.ports.delete(port.label);
      return undefined;
    },
  },
  {
    method: 'GET',
    path: '/switch/<switch>/port/<path:port>',
    schema: { fields: { switch: 'string', port: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const port = mustFindPort(mustFindSwitch(state, text(call, 'switch')), text(call, 'port'));
      if (port.nic === null) return { body: {} };
      const nic = state.nodes.get(port.nic.node)?.nics.find((candidate) => candidate.label === port.nic?.nic);
      // json.dumps without sort_keys: Python 2 writes node, nic, networks.
      return { body: { node: port.nic.node, nic: port.nic.nic, networks: Object.fromEntries(nic?.attachments ?? []) } };
    },
  },
  {
    method: 'POST',
    path: '/switch/<switch>/port/<path:port>/connect_nic',
    schema: { fields: { switch: 'string', port: 'string', node: 'string', nic: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const found = mustFindSwitch(state, text(call, 'switch'));
      const port = mustFindPort(found, text(call, 'port'));
      const nic = mustFindNic(mustFindNode(state, text(call, 'node')), text(call, 'nic'));
      if (nic.port !== null) throw new HilApiError('DuplicateError', nic.label);
      if (port.nic !== null) throw new HilApiError('DuplicateError', port.label);
      nic.port = { switch: found.name, port: port.label };
      port.nic = { node: text(call, 'node'), nic: nic.label };
      return undefined;
    },
  },
  {
    method: 'POST',
    path: '/switch/<switch>/port/<path:port>/detach_nic',
    schema: { fields: { switch: 'string', port: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const port = mustFindPort(mustFindSwitch(state, text(call, 'switch')), text(call, 'port'));
      if (port.nic === null) throw new HilApiError('NotFoundError', `${port.label} not attached`);
      const node = state.nodes.get(port.nic.node);
      if (node?.project !== null)
        throw new HilApiError('BlockedError', 'The port is attached to a node which is not free');
      const nic = node.nics.find((candidate) => candidate.label === port.nic?.nic);
      if (nic !== undefined) nic.port = null;
      port.nic = null;
      return undefined;
    },
  },
  {
    method: 'POST',
    path: '/switch/<switch>/port/<path:port>/revert',
    schema: { fields: { switch: 'string', port: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const port = mustFindPort(mustFindSwitch(state, text(call, 'switch')), text(call, 'port'));
      if (port.nic === null) throw new HilApiError('NotFoundError', `${port.label} not attached`);
      const nic = state.nodes.get(port.nic.node)?.nics.find((candidate) => candidate.label === port.nic?.nic);
      if (nic === undefined) throw new HilApiError('NotFoundError', `${port.label} not attached`);
      if (nic.currentAction !== undefined && state.actions.get(nic.currentAction)?.status === 'PENDING') {
        throw new HilApiError('BlockedError', 'Port already has a pending action.');
      }
      const action = call.services.queueAction({
        node: port.nic.node,
        nic: nic.label,
        type: 'revert_port',
        channel: '',
        newNetwork: null,
      });
      // revert answers 200, not 202, unlike connect_network and detach_network.
      return { body: { status_id: action.id } };
    },
  },
];
