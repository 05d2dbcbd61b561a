import { type CallOptions, type Secret, SecretSchema } from '@ocx/core';
import { z } from 'zod';
import { checkHilName, encodeSegment, HilNameSchema } from '../names.js';
import { type HilUserList, NameListSchema, UserListSchema } from './hil-schemas.js';
import type { HilTransport } from './hil-transport.js';

/** The user calls of HIL's database auth backend (`/auth/basic/…`, admin only). */
export interface HilUsers {
  /** `GET /auth/basic/users`: user → admin flag and projects. */
  list(options?: CallOptions): Promise<HilUserList>;
  /** `PUT /auth/basic/user/{u} {password, is_admin}`. The password is registered as a secret. */
  create(user: string, input: { password: string | Secret; isAdmin?: boolean }, options?: CallOptions): Promise<void>;
  /** `DELETE /auth/basic/user/{u}`. */
  delete(user: string, options?: CallOptions): Promise<void>;
  /** `PATCH /auth/basic/user/{u} {is_admin}`; changing your own flag is a 409. */
  setAdmin(user: string, isAdmin: boolean, options?: CallOptions): Promise<void>;
  /** `POST /auth/basic/user/{u}/add_project`. */
  addProject(user: string, project: string, options?: CallOptions): Promise<void>;
  /** `POST /auth/basic/user/{u}/remove_project`. */
  removeProject(user: string, project: string, options?: CallOptions): Promise<void>;
}

/** The extension call: which modules the HIL server loaded. */
export interface HilExtensions {
  /** `GET /active_extensions` (admin), sorted. */
  listActive(options?: CallOptions): Promise<string[]>;
}

const CreateInputSchema = z.object({ password: SecretSchema, isAdmin: z.boolean().optional() }).strict();

/** Build the user calls over a transport. */
export function createHilUsers(transport: HilTransport): HilUsers {
  const userPath = (user: string, operation: string): string =>
    `auth/basic/user/${encodeSegment(checkHilName(HilNameSchema, user, 'user', operation))}`;
  const projectCall = async (
    operation: string,
    suffix: string,
    user: string,
    project: string,
    options?: CallOptions,
  ) => {
    const path = `${userPath(user, operation)}/${suffix}`;
    const json = { project: checkHilName(HilNameSchema, project, 'project', operation) };
    await transport.send(operation, 'POST', path, { ...options, json });
  };
  return {
    list: async (options) => transport.json('list_users', 'GET', 'auth/basic/users', UserListSchema, options),
    async create(user, input, options) {
      const path = userPath(user, 'user_create');
      // Parsing turns the password into a Secret, which registers it with the redactor.
      const { password, isAdmin } = checkHilName(CreateInputSchema, input, '', 'user_create');
      await transport.send('user_create', 'PUT', path, {
        ...options,
        json: { password: password.reveal(), is_admin: isAdmin ?? false },
      });
    },
    delete: async (user, options) => transport.send('user_delete', 'DELETE', userPath(user, 'user_delete'), options),
    async setAdmin(user, isAdmin, options) {
      const path = userPath(user, 'user_set_admin');
      const json = { is_admin: checkHilName(z.boolean(), isAdmin, 'isAdmin', 'user_set_admin') };
      await transport.send('user_set_admin', 'PATCH', path, { ...options, json });
    },
    addProject: (user, project, options) => projectCall('user_add_project', 'add_project', user, project, options),
    removeProject: (user, project, options) =>
      projectCall('user_remove_project', 'remove_project', user, project, options),
  };
}

/** Build the extension call over a transport. */
export function createHilExtensions(transport: HilTransport): HilExtensions {
  return {
    listActive: async (options) =>
      transport.json('list_active_extensions', 'GET', 'active_extensions', NameListSchema, options),
  };
}
