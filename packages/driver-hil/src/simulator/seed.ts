import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { pythonJsonDumps } from './python/python-json.js';
import { MOCK_SWITCH_TYPE } from './routes/switch-routes.js';
import type { NodeSeedSchema } from './simulator-options.js';
import { type SimNode, type SimState, setNodeProject } from './state.js';

type ParsedNodeSeed = z.output<typeof NodeSeedSchema>;

/** Where seeded nodes are cabled and managed. */
export interface SeedContext {
  state: SimState;
  switchName: string;
  obmdUrl: string;
}

/** Names `node-001`…: zero-padded to at least three digits so that they sort in order. */
export function seedNames(count: number, prefix: string): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, index) => `${prefix}-${String(index + 1).padStart(width, '0')}`);
}

/** The switch seeded nodes are cabled to, created on first use. */
function seedSwitch(context: SeedContext) {
  let found = context.state.switches.get(context.switchName);
  if (found === undefined) {
    found = {
      name: context.switchName,
      type: MOCK_SWITCH_TYPE,
      fields: { hostname: 'switch0.simulator', username: 'switch', password: randomBytes(8).toString('hex') },
      ports: new Map(),
    };
    context.state.switches.set(found.name, found);
  }
  return found;
}

function macAddress(index: number): string {
  const bytes = [0x52, 0x54, 0x00, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/**
 * Add a node as an admin would: register it with an OBMd uri and admin token, register its NICs,
 * cable each to a switch port, and optionally lend it to a project.
 */
export function seedNode(context: SeedContext, seed: ParsedNodeSeed): SimNode {
  const { state } = context;
  if (state.nodes.has(seed.name)) throw new Error(`HIL simulator: node ${seed.name} already exists`);
  const node: SimNode = {
    name: seed.name,
    project: null,
    nics: [],
    metadata: new Map(Object.entries(seed.metadata ?? {}).map(([label, value]) => [label, pythonJsonDumps(value)])),
    obmd: { uri: `${context.obmdUrl}/node/${encodeURIComponent(seed.name)}`, adminToken: state.obmdAdminToken },
    obmToken: undefined,
  };
  // Registered with OBMd too (`PUT /node/{label}` with the admin token), as an admin must.
  state.obmd.set(seed.name, {
    label: seed.name,
    power: 'off',
    bootdev: 'disk',
    token: undefined,
    console: [],
  });
  const nics = seed.nics ?? [{ label: 'eth0' }];
  const cabled = seedSwitch(context);
  nics.forEach((nicSeed, index) => {
    const number = state.nodes.size + 1;
    const portLabel = nicSeed.port === null ? undefined : (nicSeed.port ?? `gi1/${index}/${number}`);
    if (portLabel !== undefined && cabled.ports.get(portLabel)?.nic) {
      throw new Error(`HIL simulator: port ${portLabel} is already cabled`);
    }
    if (portLabel !== undefined)
      cabled.ports.set(portLabel, { label: portLabel, nic: { node: seed.name, nic: nicSeed.label } });
    node.nics.push({
      label: nicSeed.label,
      macaddr: nicSeed.macaddr ?? macAddress(number * 8 + index),
      port: portLabel === undefined ? null : { switch: cabled.name, port: portLabel },
      attachments: new Map(),
      currentAction: undefined,
    });
  });
  state.nodes.set(node.name, node);
  if (seed.project !== undefined) {
    if (!state.projects.has(seed.project)) state.projects.set(seed.project, []);
    setNodeProject(state, node, seed.project);
  }
  return node;
}
