import { type CallOptions, type Secret, SecretSchema } from '@ocx/core';
import { z } from 'zod';
import { checkHilName, encodeSegment, HilNameSchema } from '../names.js';
import { type HilNode, HilNodeSchema, NameListSchema } from './hil-schemas.js';
import type { HilTransport } from './hil-transport.js';

/** How HIL reaches a node's OBMd (`PUT /node/{n}`'s `obmd`). */
export interface ObmdRegistration {
  uri: string;
  /** The OBMd admin token; sent to HIL only, never logged. */
  adminToken: string | Secret;
}

/** HIL's node calls: listing, showing and (admin) registering nodes, NICs and metadata. */
export interface HilNodes {
  /** `GET /nodes/free` or `/nodes/all`, sorted. */
  list(which: 'free' | 'all', options?: CallOptions): Promise<string[]>;
  /** `GET /node/{n}`. Metadata values are HIL's JSON-encoded strings; see {@link decodeMetadata}. */
  show(node: string, options?: CallOptions): Promise<HilNode>;
  /** `PUT /node/{n}` (admin): register a node with its OBMd and optional metadata. */
  register(
    node: string,
    input: { obmd: ObmdRegistration; metadata?: Record<string, unknown> },
    options?: CallOptions,
  ): Promise<void>;
  /** `DELETE /node/{n}` (admin); 409 while it is in a project or has NICs. */
  delete(node: string, options?: CallOptions): Promise<void>;
  /** `PUT /node/{n}/nic/{nic}` (admin). */
  addNic(node: string, nic: string, macaddr: string, options?: CallOptions): Promise<void>;
  /** `DELETE /node/{n}/nic/{nic}` (admin). */
  removeNic(node: string, nic: string, options?: CallOptions): Promise<void>;
  /** `PUT /node/{n}/metadata/{label}` (admin); the value is any JSON. */
  setMetadata(node: string, label: string, value: unknown, options?: CallOptions): Promise<void>;
  /** `DELETE /node/{n}/metadata/{label}` (admin). */
  deleteMetadata(node: string, label: string, options?: CallOptions): Promise<void>;
}

/**
 * Decode HIL's metadata: each value is stored and returned as a JSON-encoded string (`"pk"` comes
 * back as `"\"pk\""`). A value that is not valid JSON is kept as the string it is.
 */
export function decodeMetadata(metadata: Readonly<Record<string, string>>): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [label, text] of Object.entries(metadata)) {
    try {
      decoded[label] = JSON.parse(text);
    } catch {
      decoded[label] = text;
    }
  }
  return decoded;
}

const macSchema = z.string().min(1, 'must not be empty');
// The admin token becomes a Secret (and so is registered with the redactor) as it is parsed.
const RegisterInputSchema = z.object({
  obmd: z
    .object({ uri: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }), adminToken: SecretSchema })
    .strict(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** Build the node calls over a transport. */
export function createHilNodes(transport: HilTransport): HilNodes {
  const name = (value: string, field: string, operation: string): string =>
    encodeSegment(checkHilName(HilNameSchema, value, field, operation));
  const nicPath = (node: string, nic: string, operation: string): string =>
    `node/${name(node, 'node', operation)}/nic/${name(nic, 'nic', operation)}`;
  return {
    async list(which, options) {
      const selection = checkHilName(z.enum(['free', 'all']), which, 'which', 'list_nodes');
      return transport.json('list_nodes', 'GET', `nodes/${selection}`, NameListSchema, options);
    },
    show: async (node, options) =>
      transport.json('show_node', 'GET', `node/${name(node, 'node', 'show_node')}`, HilNodeSchema, options),
    async register(node, input, options) {
      const path = `node/${name(node, 'node', 'node_register')}`;
      const parsed = checkHilName(RegisterInputSchema, input, '', 'node_register');
      const json: Record<string, unknown> = {
        obmd: { uri: parsed.obmd.uri, admin_token: parsed.obmd.adminToken.reveal() },
      };
      if (parsed.metadata !== undefined) json.metadata = parsed.metadata;
      await transport.send('node_register', 'PUT', path, { ...options, json });
    },
    delete: async (node, options) =>
      transport.send('node_delete', 'DELETE', `node/${name(node, 'node', 'node_delete')}`, options),
    async addNic(node, nic, macaddr, options) {
      const json = { macaddr: checkHilName(macSchema, macaddr, 'macaddr', 'node_register_nic') };
      await transport.send('node_register_nic', 'PUT', nicPath(node, nic, 'node_register_nic'), { ...options, json });
    },
    removeNic: async (node, nic, options) =>
      transport.send('node_delete_nic', 'DELETE', nicPath(node, nic, 'node_delete_nic'), options),
    async setMetadata(node, label, value, options) {
      const path = `node/${name(node, 'node', 'node_set_metadata')}/metadata/${name(label, 'label', 'node_set_metadata')}`;
      await transport.send('node_set_metadata', 'PUT', path, { ...options, json: { value: value ?? null } });
    },
    async deleteMetadata(node, label, options) {
      const path = `node/${name(node, 'node', 'node_delete_metadata')}/metadata/${name(label, 'label', 'node_delete_metadata')}`;
      await transport.send('node_delete_metadata', 'DELETE', path, options);
    },
  };
}
