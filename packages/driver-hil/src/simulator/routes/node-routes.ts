import { duplicate, HilApiError, pythonRepr } from '../api-error.js';
import { PythonDict, pythonJsonDumps } from '../python/python-json.js';
import { UncaughtPythonError } from '../request-arguments.js';
import { type HilRoute, text } from '../route-types.js';
import type { SimNode } from '../state.js';
import { mustFindNic, mustFindNode, sortedNames } from './lookup.js';

/** HIL's `show_node` body; port and switch are shown to admins only. */
export function showNode(node: SimNode, admin: boolean): Record<string, unknown> {
  return {
    metadata: Object.fromEntries(node.metadata),
    name: node.name,
    nics: node.nics.map((nic) => ({
      label: nic.label,
      macaddr: nic.macaddr,
      networks: Object.fromEntries(nic.attachments),
      ...(admin ? { port: nic.port?.port ?? null, switch: nic.port?.switch ?? null } : {}),
    })),
    project: node.project,
  };
}

/** Nodes, their NICs and metadata (hil/api.py, "Node Code"). */
export const nodeRoutes: HilRoute[] = [
  {
    method: 'GET',
    path: '/nodes/<is_free>',
    schema: { fields: { is_free: 'string' } },
    handler(call) {
      const nodes = [...call.services.state.nodes.values()];
      const listed = text(call, 'is_free') === 'free' ? nodes.filter((node) => node.project === null) : nodes;
      return { body: sortedNames(listed.map((node) => node.name)) };
    },
  },
  {
    method: 'GET',
    path: '/node/<nodename>',
    schema: { fields: { nodename: 'string' } },
    handler(call) {
      const node = mustFindNode(call.services.state, text(call, 'nodename'));
      if (node.project !== null) call.principal.requireProjectAccess(node.project);
      return { body: showNode(node, call.principal.haveAdmin()), sortKeys: true };
    },
  },
  {
    method: 'PUT',
    path: '/node/<node>',
    schema: {
      fields: { node: 'string', obmd: { fields: { uri: 'string', admin_token: 'string' } }, metadata: 'any?' },
    },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const name = text(call, 'node');
      if (state.nodes.has(name)) throw duplicate('Node', name);
      const obmd = call.args.obmd as PythonDict;
      const metadata = new Map<string, string>();
      const given = call.args.metadata;
      if (given !== undefined) {
        // The schema says `object`, so anything passes it; `.items()` on a non-dict then raises.
        if (!(given instanceof PythonDict)) throw new UncaughtPythonError('metadata has no items()');
        for (const [label, value] of given) metadata.set(label, pythonJsonDumps(value));
      }
      state.nodes.set(name, {
        name,
        project: null,
        nics: [],
        metadata,
        obmd: { uri: obmd.get('uri') as string, adminToken: obmd.get('admin_token') as string },
        obmToken: undefined,
      });
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/node/<node>',
    schema: { fields: { node: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const node = mustFindNode(state, text(call, 'node'));
      if (node.project !== null) {
        throw new HilApiError(
          'BlockedError',
          `Node ${pythonRepr(node.name)} is part of project ${pythonRepr(node.project)}; remove from project before deleting`,
        );
      }
      if (node.nics.length > 0)
        throw new HilApiError(
          'BlockedError',
          `Node ${pythonRepr(node.name)} has nics; remove them before deleting ${pythonRepr(node.name)}.`,
        );
      state.nodes.delete(node.name);
      return undefined;
    },
  },
  {
    method: 'PUT',
    path: '/node/<node>/nic/<nic>',
    schema: { fields: { node: 'string', nic: 'string', macaddr: 'string' } },
    handler(call) {
      call.principal.requireAdmin();
      const node = mustFindNode(call.services.state, text(call, 'node'));
      const label = text(call, 'nic');
      if (node.nics.some((nic) => nic.label === label)) {
        throw new HilApiError('DuplicateError', `Nic ${label} on Node ${node.name} already exists`);
      }
      node.nics.push({
        label,
        macaddr: text(call, 'macaddr'),
        port: null,
        attachments: new Map(),
        currentAction: undefined,
      });
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/node/<node>/nic/<nic>',
    schema: { fields: { node: 'string', nic: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const node = mustFindNode(state, text(call, 'node'));
      const nic = mustFindNic(node, text(call, 'nic'));
      // CCI-MOC/hil#1041 (fixes #1039): a NIC of a node allocated to a project is refused; the
      // NIC's networking action (which once made this a 500 IntegrityError) goes with it. A free
      // node has no attachments and no pending action: detaching it from its project required that.
      if (node.project !== null) {
        throw new HilApiError(
          'BlockedError',
          'Nic is on a node that belongs to a project. Remove node from project and try again',
        );
      }
      if (nic.currentAction !== undefined) state.actions.delete(nic.currentAction);
      nic.attachments.clear();
      if (nic.port !== null) {
        const port = state.switches.get(nic.port.switch)?.ports.get(nic.port.port);
        if (port !== undefined) port.nic = null;
      }
      node.nics.splice(node.nics.indexOf(nic), 1);
      return undefined;
    },
  },
  {
    method: 'PUT',
    path: '/node/<node>/metadata/<label>',
    schema: { fields: { node: 'string', label: 'string', value: 'any' } },
    handler(call) {
      call.principal.requireAdmin();
      const node = mustFindNode(call.services.state, text(call, 'node'));
      // HIL stores json.dumps(value) and shows that string: "pk" comes back as "\"pk\"", 1.0 as "1.0".
      node.metadata.set(text(call, 'label'), pythonJsonDumps(call.args.value));
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/node/<node>/metadata/<label>',
    schema: { fields: { node: 'string', label: 'string' } },
    handler(call) {
      call.principal.requireAdmin();
      const node = mustFindNode(call.services.state, text(call, 'node'));
      const label = text(call, 'label');
      if (!node.metadata.has(label))
        throw new HilApiError('NotFoundError', `Metadata ${label} on Node ${node.name} does not exist.`);
      node.metadata.delete(label);
      return undefined;
    },
  },
];
