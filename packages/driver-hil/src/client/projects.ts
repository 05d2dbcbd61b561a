import type { CallOptions } from '@ocx/core';
import { checkHilName, encodeSegment, HilNameSchema } from '../names.js';
import { NameListSchema } from './hil-schemas.js';
import type { HilTransport } from './hil-transport.js';

/** HIL's project calls: projects are authorization domains that nodes are lent to. */
export interface HilProjects {
  /** `GET /projects` (admin): every project, sorted. */
  list(options?: CallOptions): Promise<string[]>;
  /** `PUT /project/{p}` (admin); 409 DuplicateError if it exists. */
  create(project: string, options?: CallOptions): Promise<void>;
  /** `DELETE /project/{p}` (admin); 409 while it has nodes, networks or network access. */
  delete(project: string, options?: CallOptions): Promise<void>;
  /** `POST /project/{p}/connect_node`: take a free node; 409 if it is not free. */
  connectNode(project: string, node: string, options?: CallOptions): Promise<void>;
  /** `POST /project/{p}/detach_node`: 409 while OBM is on, a network is attached or an action is pending. */
  detachNode(project: string, node: string, options?: CallOptions): Promise<void>;
  /** `GET /project/{p}/nodes`, in the order they were connected. */
  listNodes(project: string, options?: CallOptions): Promise<string[]>;
  /** `GET /project/{p}/networks`: networks the project can access, sorted. */
  listNetworks(project: string, options?: CallOptions): Promise<string[]>;
}

/** Build the project calls over a transport. */
export function createHilProjects(transport: HilTransport): HilProjects {
  const project = (name: string, operation: string): string =>
    encodeSegment(checkHilName(HilNameSchema, name, 'project', operation));
  return {
    list: async (options) => transport.json('list_projects', 'GET', 'projects', NameListSchema, options),
    create: async (name, options) =>
      transport.send('project_create', 'PUT', `project/${project(name, 'project_create')}`, options),
    delete: async (name, options) =>
      transport.send('project_delete', 'DELETE', `project/${project(name, 'project_delete')}`, options),
    async connectNode(name, node, options) {
      const path = `project/${project(name, 'project_connect_node')}/connect_node`;
      const json = { node: checkHilName(HilNameSchema, node, 'node', 'project_connect_node') };
      return transport.send('project_connect_node', 'POST', path, { ...options, json });
    },
    async detachNode(name, node, options) {
      const path = `project/${project(name, 'project_detach_node')}/detach_node`;
      const json = { node: checkHilName(HilNameSchema, node, 'node', 'project_detach_node') };
      return transport.send('project_detach_node', 'POST', path, { ...options, json });
    },
    listNodes: async (name, options) =>
      transport.json(
        'list_project_nodes',
        'GET',
        `project/${project(name, 'list_project_nodes')}/nodes`,
        NameListSchema,
        options,
      ),
    listNetworks: async (name, options) =>
      transport.json(
        'list_project_networks',
        'GET',
        `project/${project(name, 'list_project_networks')}/networks`,
        NameListSchema,
        options,
      ),
  };
}
