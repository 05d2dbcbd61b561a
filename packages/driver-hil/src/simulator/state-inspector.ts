import { type ActionStatus, hasPendingAction, type SimState } from './state.js';

/** A node as the simulator holds it, copied for reading. */
export interface NodeSnapshot {
  name: string;
  project: string | null;
  obmEnabled: boolean;
  power: 'on' | 'off';
  bootDevice: string;
  nics: Array<{
    label: string;
    macaddr: string;
    switch: string | null;
    port: string | null;
    /** channel → network */
    networks: Record<string, string>;
    pendingAction: boolean;
  }>;
  /** label → JSON-encoded value, as HIL stores it. */
  metadata: Record<string, string>;
}

/** A networking action, copied for reading. */
export interface ActionSnapshot {
  id: string;
  status: ActionStatus;
  node: string;
  nic: string;
  type: 'modify_port' | 'revert_port';
  channel: string;
  newNetwork: string | null;
}

/** Read-only views of the simulator's state for tests and demos. Every result is a copy. */
export interface SimulatorStateInspector {
  node(name: string): NodeSnapshot | undefined;
  nodes(): NodeSnapshot[];
  /** Names of free nodes, sorted. */
  freeNodes(): string[];
  /** Nodes of a project, in the order they were connected. */
  projectNodes(project: string): string[];
  projects(): string[];
  networks(): Array<{ name: string; owner: string; access: string[]; netId: string }>;
  actions(): ActionSnapshot[];
  pendingActions(): ActionSnapshot[];
  users(): Array<{ name: string; isAdmin: boolean; projects: string[] }>;
  /** The live state itself, for tests that must arrange an unusual situation. Mutate with care. */
  readonly raw: SimState;
}

/** Build the inspector over a live state. */
export function createStateInspector(state: SimState): SimulatorStateInspector {
  const snapshot = (name: string): NodeSnapshot | undefined => {
    const node = state.nodes.get(name);
    if (node === undefined) return undefined;
    const obmd = state.obmd.get(name);
    return {
      name: node.name,
      project: node.project,
      obmEnabled: node.obmToken !== undefined,
      power: obmd?.power ?? 'off',
      bootDevice: obmd?.bootdev ?? 'disk',
      nics: node.nics.map((nic) => ({
        label: nic.label,
        macaddr: nic.macaddr,
        switch: nic.port?.switch ?? null,
        port: nic.port?.port ?? null,
        networks: Object.fromEntries(nic.attachments),
        pendingAction: hasPendingAction(state, nic),
      })),
      metadata: Object.fromEntries(node.metadata),
    };
  };
  const actions = (): ActionSnapshot[] =>
    [...state.actions.values()]
      .sort((left, right) => left.sequence - right.sequence)
      .map(({ id, status, node, nic, type, channel, newNetwork }) => ({
        id,
        status,
        node,
        nic,
        type,
        channel,
        newNetwork,
      }));

  return {
    node: snapshot,
    nodes: () => [...state.nodes.keys()].sort().map((name) => snapshot(name)!),
    freeNodes: () =>
      [...state.nodes.values()]
        .filter((node) => node.project === null)
        .map((node) => node.name)
        .sort(),
    projectNodes: (project) => [...(state.projects.get(project) ?? [])],
    projects: () => [...state.projects.keys()].sort(),
    networks: () =>
      [...state.networks.values()]
        .map((network) => ({
          name: network.name,
          owner: network.owner ?? 'admin',
          access: [...network.access],
          netId: network.netId,
        }))
        .sort((left, right) => (left.name < right.name ? -1 : 1)),
    actions,
    pendingActions: () => actions().filter((action) => action.status === 'PENDING'),
    users: () =>
      [...state.users.values()]
        .map((user) => ({ name: user.name, isAdmin: user.isAdmin, projects: [...user.projects].sort() }))
        .sort((left, right) => (left.name < right.name ? -1 : 1)),
    raw: state,
  };
}
