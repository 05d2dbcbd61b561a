import { notFound, notFoundIn } from '../api-error.js';
import { pythonSorted } from '../python/python-order.js';
import type { SimNetwork, SimNic, SimNode, SimState, SimSwitch, SimUser } from '../state.js';

/** `_must_find(model.Project, name)`. */
export function mustFindProject(state: SimState, name: string): string {
  if (!state.projects.has(name)) throw notFound('Project', name);
  return name;
}

/** `_must_find(model.Node, name)`. */
export function mustFindNode(state: SimState, name: string): SimNode {
  const node = state.nodes.get(name);
  if (node === undefined) throw notFound('Node', name);
  return node;
}

/** `_must_find_n(node, model.Nic, label)`. */
export function mustFindNic(node: SimNode, label: string): SimNic {
  const nic = node.nics.find((candidate) => candidate.label === label);
  if (nic === undefined) throw notFoundIn('Nic', label, 'Node', node.name);
  return nic;
}

/** `_must_find(model.Network, name)`. */
export function mustFindNetwork(state: SimState, name: string): SimNetwork {
  const network = state.networks.get(name);
  if (network === undefined) throw notFound('Network', name);
  return network;
}

/** `_must_find(model.Switch, name)`. */
export function mustFindSwitch(state: SimState, name: string): SimSwitch {
  const found = state.switches.get(name);
  if (found === undefined) throw notFound('Switch', name);
  return found;
}

/** `_must_find(User, name)`. */
export function mustFindUser(state: SimState, name: string): SimUser {
  const user = state.users.get(name);
  if (user === undefined) throw notFound('User', name);
  return user;
}

/** Names in HIL's `sorted()` order: by code point (JavaScript's own sort compares UTF-16 units). */
export function sortedNames(names: Iterable<string>): string[] {
  return pythonSorted(names);
}
