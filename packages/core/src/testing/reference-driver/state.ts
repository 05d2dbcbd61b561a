import type { Clock } from '../../runtime/clock.js';

/** One node of the reference landlord's in-memory data centre. */
export interface ReferenceNode {
  name: string;
  project: string | null;
  nics: Array<{ label: string; macAddress: string; networks: Record<string, string> }>;
  power: 'on' | 'off';
  bootDevice: 'pxe' | 'disk' | 'none';
  /** Allocation intervals, for the node-hours meter. `end` is undefined while allocated. */
  allocations: Array<{ project: string; start: number; end?: number }>;
}

/** The whole state of a reference landlord, readable from tests through `driver.ext.state`. */
export interface ReferenceState {
  nodes: Map<string, ReferenceNode>;
  hardwareProjects: Set<string>;
  networks: Map<string, { owner: string }>;
  projects: Map<
    string,
    { id: string; name: string; organization: string; enabled: boolean; members: Map<string, string> }
  >;
  quotas: Map<string, Map<string, string | null>>;
  images: Set<string>;
  disks: Map<string, { project: string; node: string; image: string }>;
  agents: Map<string, { node: string; verdict: 'pass' | 'fail' | 'pending'; state: string; reason?: string }>;
  /** Usage recorded by hand (`ext.recordUsage`), reported by the `usage` meter. */
  recordedUsage: Array<{
    project: string;
    user?: string;
    metric: string;
    unit: string;
    quantity: string;
    resource: string;
    start: number;
    end: number;
  }>;
  clock: Clock;
}

/** Make a fresh state with `nodeCount` free nodes named `<prefix>-001`, … each with one NIC `eth0`. */
export function createReferenceState(options: {
  nodeCount: number;
  nodePrefix: string;
  images: readonly string[];
  clock: Clock;
}): ReferenceState {
  const nodes = new Map<string, ReferenceNode>();
  for (let index = 1; index <= options.nodeCount; index += 1) {
    const name = `${options.nodePrefix}-${String(index).padStart(3, '0')}`;
    const mac = `02:00:00:00:${((index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(index & 0xff).toString(16).padStart(2, '0')}`;
    nodes.set(name, {
      name,
      project: null,
      nics: [{ label: 'eth0', macAddress: mac, networks: {} }],
      power: 'off',
      bootDevice: 'disk',
      allocations: [],
    });
  }
  return {
    nodes,
    hardwareProjects: new Set(),
    networks: new Map(),
    projects: new Map(),
    quotas: new Map(),
    images: new Set(options.images),
    disks: new Map(),
    agents: new Map(),
    recordedUsage: [],
    clock: options.clock,
  };
}
