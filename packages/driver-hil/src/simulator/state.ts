/** A NIC of a simulated node. */
export interface SimNic {
  label: string;
  macaddr: string;
  /** The switch port the NIC is cabled to, if any. */
  port: { switch: string; port: string } | null;
  /** channel → network, as applied by the networking daemon. */
  attachments: Map<string, string>;
  /** The newest networking action queued on this NIC (HIL keeps one; it may be finished). */
  currentAction: string | undefined;
}

/** A simulated node. */
export interface SimNode {
  name: string;
  project: string | null;
  nics: SimNic[];
  /** label → JSON-encoded value, as HIL stores metadata. */
  metadata: Map<string, string>;
  obmd: { uri: string; adminToken: string };
  /** The OBMd token HIL holds while OBM is enabled. */
  obmToken: string | undefined;
}

/** A simulated network. `owner` null means an admin-owned network; empty `access` means public. */
export interface SimNetwork {
  name: string;
  owner: string | null;
  access: string[];
  netId: string;
  /** True when the net id came from (or lies in) the vlan pool and must be returned to it. */
  allocated: boolean;
}

/** A switch port. */
export interface SimPort {
  label: string;
  nic: { node: string; nic: string } | null;
}

/** A simulated switch. */
export interface SimSwitch {
  name: string;
  type: string;
  fields: Record<string, unknown>;
  ports: Map<string, SimPort>;
}

/** A user of the database auth backend. */
export interface SimUser {
  name: string;
  password: string;
  isAdmin: boolean;
  projects: Set<string>;
}

/** The states of a networking action. */
export type ActionStatus = 'PENDING' | 'DONE' | 'ERROR';

/** A queued networking action. */
export interface SimAction {
  id: string;
  status: ActionStatus;
  node: string;
  nic: string;
  type: 'modify_port' | 'revert_port';
  channel: string;
  /** The network to attach; null detaches the channel (or reverts the port). */
  newNetwork: string | null;
  /** Sequence number: the daemon applies actions in the order they were queued. */
  sequence: number;
}

/** The node as OBMd sees it (OBMd's admin token is one per OBMd, not per node). */
export interface ObmdNode {
  label: string;
  power: 'on' | 'off';
  bootdev: string;
  /** The token OBMd issued to HIL; power calls must carry it. */
  token: string | undefined;
  /** Lines of the serial console. */
  console: string[];
}

/** Everything the simulator knows; one object, mutated by the routes and the action queue. */
export interface SimState {
  /** project → its nodes in the order they were connected (HIL lists them that way). */
  projects: Map<string, string[]>;
  nodes: Map<string, SimNode>;
  networks: Map<string, SimNetwork>;
  switches: Map<string, SimSwitch>;
  users: Map<string, SimUser>;
  actions: Map<string, SimAction>;
  vlans: { pool: readonly number[]; used: Set<number> };
  obmd: Map<string, ObmdNode>;
  /** The OBMd's `AdminToken` (32 hex digits), which HIL holds as every node's `obmd.admin_token`. */
  obmdAdminToken: string;
  actionSequence: number;
}

/** An empty state with a vlan pool and the OBMd's admin token. */
export function createSimState(vlans: readonly number[], obmdAdminToken: string): SimState {
  return {
    projects: new Map(),
    nodes: new Map(),
    networks: new Map(),
    switches: new Map(),
    users: new Map(),
    actions: new Map(),
    vlans: { pool: vlans, used: new Set() },
    obmd: new Map(),
    obmdAdminToken,
    actionSequence: 0,
  };
}

/** Parse HIL's vlan pool syntax (`"100-199,300"`) into vlan numbers. */
export function parseVlanRanges(text: string): number[] {
  const vlans: number[] = [];
  for (const part of text.split(',')) {
    const [start, end] = part
      .trim()
      .split('-')
      .map((item) => Number.parseInt(item.trim(), 10));
    if (start === undefined || Number.isNaN(start)) continue;
    const last = end === undefined || Number.isNaN(end) ? start : end;
    for (let vlan = start; vlan <= last; vlan += 1) vlans.push(vlan);
  }
  return vlans;
}

/** True while the NIC's newest action is still PENDING. */
export function hasPendingAction(state: SimState, nic: SimNic): boolean {
  return nic.currentAction !== undefined && state.actions.get(nic.currentAction)?.status === 'PENDING';
}

/** The number of network attachments on all NICs of a node. */
export function attachmentCount(node: SimNode): number {
  return node.nics.reduce((total, nic) => total + nic.attachments.size, 0);
}

/** Move a node out of its project's ordered list (and into another's, when given). */
export function setNodeProject(state: SimState, node: SimNode, project: string | null): void {
  if (node.project !== null) {
    const members = state.projects.get(node.project);
    const index = members?.indexOf(node.name) ?? -1;
    if (index >= 0) members?.splice(index, 1);
  }
  node.project = project;
  if (project !== null) state.projects.get(project)?.push(node.name);
}
