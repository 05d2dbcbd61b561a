import { duplicate, HilApiError } from '../api-error.js';
import { type HilRoute, text } from '../route-types.js';
import { mustFindProject, mustFindUser, sortedNames } from './lookup.js';

/** Basic-auth users and their projects (hil/ext/auth/database.py); all admin only. */
export const userRoutes: HilRoute[] = [
  {
    method: 'GET',
    path: '/auth/basic/users',
    schema: { fields: {} },
    handler({ principal, services }) {
      principal.requireAdmin();
      const result: Record<string, unknown> = {};
      for (const name of sortedNames(services.state.users.keys())) {
        const user = services.state.users.get(name)!;
        result[name] = { is_admin: user.isAdmin, projects: sortedNames(user.projects) };
      }
      return { body: result, sortKeys: true };
    },
  },
  {
    method: 'PUT',
    path: '/auth/basic/user/<user>',
    schema: { fields: { user: 'string', password: 'string', is_admin: 'bool?' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const name = text(call, 'user');
      if (state.users.has(name)) throw duplicate('User', name);
      state.users.set(name, {
        name,
        password: text(call, 'password'),
        isAdmin: (call.args.is_admin as boolean | undefined) ?? false,
        projects: new Set(),
      });
      return undefined;
    },
  },
  {
    method: 'DELETE',
    path: '/auth/basic/user/<user>',
    schema: { fields: { user: 'string' } },
    handler(call) {
      call.principal.requireAdmin();
      const user = mustFindUser(call.services.state, text(call, 'user'));
      call.services.state.users.delete(user.name);
      return undefined;
    },
  },
  {
    method: 'PATCH',
    path: '/auth/basic/user/<user>',
    schema: { fields: { user: 'string', is_admin: 'bool' } },
    handler(call) {
      call.principal.requireAdmin();
      const user = mustFindUser(call.services.state, text(call, 'user'));
      if (user.name === call.principal.user) throw new HilApiError('IllegalStateError', 'Cannot set own admin status');
      user.isAdmin = call.args.is_admin as boolean;
      return undefined;
    },
  },
  {
    method: 'POST',
    path: '/auth/basic/user/<user>/add_project',
    schema: { fields: { user: 'string', project: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const user = mustFindUser(state, text(call, 'user'));
      const project = mustFindProject(state, text(call, 'project'));
      if (user.projects.has(project))
        throw new HilApiError('DuplicateError', `User ${user.name} is already in project ${project}`);
      user.projects.add(project);
      return undefined;
    },
  },
  {
    method: 'POST',
    path: '/auth/basic/user/<user>/remove_project',
    schema: { fields: { user: 'string', project: 'string' } },
    handler(call) {
      const { state } = call.services;
      call.principal.requireAdmin();
      const user = mustFindUser(state, text(call, 'user'));
      const project = mustFindProject(state, text(call, 'project'));
      if (!user.projects.has(project))
        throw new HilApiError('NotFoundError', `User ${user.name} is not in project ${project}`);
      user.projects.delete(project);
      return undefined;
    },
  },
];

/** Misc: the loaded extensions. */
export const extensionRoutes: HilRoute[] = [
  {
    method: 'GET',
    path: '/active_extensions',
    schema: { fields: {} },
    handler({ principal, services }) {
      principal.requireAdmin();
      return {
        body: sortedNames([services.authExtension, 'hil.ext.network_allocators.vlan_pool', 'hil.ext.switches.mock']),
      };
    },
  },
];
