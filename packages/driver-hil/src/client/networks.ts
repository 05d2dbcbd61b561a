import type { CallOptions } from '@ocx/core';
import { z } from 'zod';
import { checkHilName, encodeSegment, HilNameSchema, HilNetIdSchema } from '../names.js';
import {
  type HilNetwork,
  type HilNetworkAttachments,
  type HilNetworkList,
  HilNetworkSchema,
  NetworkAttachmentsSchema,
  NetworkListSchema,
} from './hil-schemas.js';
import type { HilTransport } from './hil-transport.js';

/**
 * How to create a network. `owner` is a project or `"admin"`; `access` a project or `""` (public);
 * `netId` an id or `""` to have HIL allocate one. A project-owned network needs
 * `access === owner` and `netId === ""`.
 */
export interface CreateNetworkInput {
  owner: string;
  access: string;
  netId: string;
}

/** HIL's network calls and network access. */
export interface HilNetworks {
  /** `GET /networks`: admins see every network, others the public ones. */
  list(options?: CallOptions): Promise<HilNetworkList>;
  /** `GET /network/{net}`. */
  show(network: string, options?: CallOptions): Promise<HilNetwork>;
  /** `PUT /network/{net}`; 409 if it exists; a pool with no free id is a 500. */
  create(network: string, input: CreateNetworkInput, options?: CallOptions): Promise<void>;
  /** `DELETE /network/{net}`; 409 while attached or an action on it is pending. */
  delete(network: string, options?: CallOptions): Promise<void>;
  /** `GET /network/{net}/attachments[?project=]`. */
  listAttachments(network: string, input?: { project?: string }, options?: CallOptions): Promise<HilNetworkAttachments>;
  /** `PUT /network/{net}/access/{p}`. */
  grantAccess(network: string, project: string, options?: CallOptions): Promise<void>;
  /** `DELETE /network/{net}/access/{p}`. */
  revokeAccess(network: string, project: string, options?: CallOptions): Promise<void>;
}

const CreateInputSchema = z
  .object({
    owner: HilNameSchema,
    // An empty access makes a public network; otherwise it names a project.
    access: z.union([z.literal(''), HilNameSchema]),
    netId: HilNetIdSchema,
  })
  .strict()
  .refine((input) => input.owner === 'admin' || (input.access === input.owner && input.netId === ''), {
    message: 'a project-owned network must have access equal to its owner and an empty netId',
    path: ['access'],
  });

/** Build the network calls over a transport. */
export function createHilNetworks(transport: HilTransport): HilNetworks {
  const name = (value: string, field: string, operation: string): string =>
    encodeSegment(checkHilName(HilNameSchema, value, field, operation));
  const accessPath = (network: string, project: string, operation: string): string =>
    `network/${name(network, 'network', operation)}/access/${name(project, 'project', operation)}`;
  return {
    list: async (options) => transport.json('list_networks', 'GET', 'networks', NetworkListSchema, options),
    show: async (network, options) =>
      transport.json(
        'show_network',
        'GET',
        `network/${name(network, 'network', 'show_network')}`,
        HilNetworkSchema,
        options,
      ),
    async create(network, input, options) {
      const path = `network/${name(network, 'network', 'network_create')}`;
      const { owner, access, netId } = checkHilName(CreateInputSchema, input, '', 'network_create');
      await transport.send('network_create', 'PUT', path, { ...options, json: { owner, access, net_id: netId } });
    },
    delete: async (network, options) =>
      transport.send('network_delete', 'DELETE', `network/${name(network, 'network', 'network_delete')}`, options),
    async listAttachments(network, input, options) {
      const path = `network/${name(network, 'network', 'list_network_attachments')}/attachments`;
      const project =
        input?.project === undefined
          ? undefined
          : checkHilName(HilNameSchema, input.project, 'project', 'list_network_attachments');
      return transport.json('list_network_attachments', 'GET', path, NetworkAttachmentsSchema, {
        ...options,
        query: { project },
      });
    },
    grantAccess: async (network, project, options) =>
      transport.send(
        'network_grant_project_access',
        'PUT',
        accessPath(network, project, 'network_grant_project_access'),
        options,
      ),
    revokeAccess: async (network, project, options) =>
      transport.send(
        'network_revoke_project_access',
        'DELETE',
        accessPath(network, project, 'network_revoke_project_access'),
        options,
      ),
  };
}
