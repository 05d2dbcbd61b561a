import { duplicate, HilApiError } from '../api-error.js';
import { type HilRoute, text } from '../route-types.js';
import { attachmentCount, hasPendingAction, setNodeProject } from '../state.js';
import { mustFindNode, mustFindProject, sortedNames } from './lookup.js';

/** Projects and lending nodes to them (hil/api.py, "Project Code"). */
export const projectRoutes: HilRoute[] = [
  {
    method: 'GET',
    path: '/projects',
    schema: { fields: {} },
    handler({ principal, services }) {
      principal.requireAdmin();
      return { body: sortedNames(services.state.projects.keys()) };
    },
  },
  {
    method: 'PUT',
    path: '/project/<project>',
    schema: { fields: { project: 'string' } },
    handler(call) {
      const { state } = call.services;
      const project = text(call, 'project');
      call.principal.requireAdmin();
      if (state.projects.has(project)) throw duplicate('Project', project);
      state.projects.set(project, []);
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/project/<project>',
    schema: { fields: { project: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const project = mustFindProject(state, text(call, 'project'));
      if ((state.projects.get(project) ?? []).length > 0)
        throw new HilApiError('BlockedError', 'Project has nodes still');
      const networks = [...state.networks.values()];
      if (networks.some((network) => network.owner === project))
        throw new HilApiError('BlockedError', 'Project still has networks');
      if (networks.some((network) => network.access.includes(project))) {
        throw new HilApiError('BlockedError', 'Project can still access networks');
      }
      state.projects.delete(project);
      for (const user of state.users.values()) user.projects.delete(project);
      return undefined;
    },
  },
  {
    method: 'POST',
    path: '/project/<project>/connect_node',
    schema: { fields: { project: 'string', node: 'string' } },
    handler(call) {
      const { state } = call.services;
      const project = mustFindProject(state, text(call, 'project'));
      call.principal.requireProjectAccess(project);
      const node = mustFindNode(state, text(call, 'node'));
      if (node.project !== null) throw new HilApiError('BlockedError', 'Node is already owned by a project.');
      setNodeProject(state, node, project);
      return undefined;
    },
  },
  {
    method: 'POST',
    path: '/project/<project>/detach_node',
    schema: { fields: { project: 'string', node: 'string' } },
    handler(call) {
      const { state } = call.services;
      const project = mustFindProject(state, text(call, 'project'));
      call.principal.requireProjectAccess(project);
      const node = mustFindNode(state, text(call, 'node'));
      if (node.project !== project) throw new HilApiError('NotFoundError', 'Node not in project');
      if (node.obmToken !== undefined) {
        throw new HilApiError('BlockedError', "The node's OBM is still enabled; disable it before detaching the node.");
      }
      if (attachmentCount(node) !== 0) throw new HilApiError('BlockedError', 'Node attached to a network');
      if (node.nics.some((nic) => hasPendingAction(state, nic)))
        throw new HilApiError('BlockedError', 'Node has pending network actions');
      setNodeProject(state, node, null);
      call.services.maintain(project, node);
      return undefined;
    },
  },
  {
    method: 'GET',
    path: '/project/<project>/nodes',
    schema: { fields: { project: 'string' } },
    handler(call) {
      const { state } = call.services;
      const project = mustFindProject(state, text(call, 'project'));
      call.principal.requireProjectAccess(project);
      return { body: [...(state.projects.get(project) ?? [])] };
    },
  },
  {
    method: 'GET',
    path: '/project/<project>/networks',
    schema: { fields: { project: 'string' } },
    handler(call) {
      const { state } = call.services;
      const project = mustFindProject(state, text(call, 'project'));
      call.principal.requireProjectAccess(project);
      const networks = [...state.networks.values()].filter((network) => network.access.includes(project));
      return { body: sortedNames(networks.map((network) => network.name)) };
    },
  },
  {
    method: 'GET',
    path: '/project/<project>/headnodes',
    schema: { fields: { project: 'string' } },
    handler(call) {
      const project = mustFindProject(call.services.state, text(call, 'project'));
      call.principal.requireProjectAccess(project);
      // Headnodes are HIL's legacy VM feature; the simulator has none.
      return { body: [] };
    },
  },
];
