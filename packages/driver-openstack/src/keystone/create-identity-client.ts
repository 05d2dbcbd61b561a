import { OcxError, Secret } from '@ocx/core';
import type { HttpClient, Query } from '@ocx/core/http';
import type { GrantActor, GrantTarget, IdentityClient } from './identity-client.js';
import {
  ApplicationCredentialBodySchema,
  type Domain,
  DomainBodySchema,
  DomainListSchema,
  type Project,
  ProjectBodySchema,
  ProjectListSchema,
  type Role,
  type RoleAssignment,
  RoleAssignmentListSchema,
  RoleListSchema,
  type User,
  UserBodySchema,
  UserListSchema,
} from './identity-results.js';
import { toKeystoneList } from './keystone-list.js';

const notFoundIsUndefined = <T>(error: unknown): T | undefined => {
  if (OcxError.is(error) && error.code === 'not-found') return undefined;
  throw error;
};

const notFoundIsFine = (error: unknown): void => {
  if (OcxError.is(error) && error.code === 'not-found') return;
  throw error;
};

function grantPath(target: GrantTarget, actor: GrantActor, roleId: string): string {
  const scope =
    'project' in target
      ? `projects/${encodeURIComponent(target.project)}`
      : `domains/${encodeURIComponent(target.domain)}`;
  const who = 'user' in actor ? `users/${encodeURIComponent(actor.user)}` : `groups/${encodeURIComponent(actor.group)}`;
  return `${scope}/${who}/roles/${encodeURIComponent(roleId)}`;
}

function withoutUndefined(query: Record<string, string | boolean | undefined>): Query {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as Query;
}

/**
 * The Identity API client over an authenticated Keystone HTTP client.
 *
 * @example
 * ```ts
 * const identity = createIdentityClient(session.identity);
 * const project = await identity.createProject({ name: 'genomics', domainId: 'default', tags: ['ocx'] });
 * ```
 */
export function createIdentityClient(keystone: HttpClient): IdentityClient {
  const id = encodeURIComponent;
  const client: IdentityClient = {
    async listProjects(filter = {}, options = {}) {
      const { data } = await keystone.get('projects', {
        query: withoutUndefined({
          name: filter.name,
          domain_id: filter.domainId,
          tags: filter.tags,
          enabled: filter.enabled,
        }),
        schema: ProjectListSchema,
        operation: 'list_projects',
        signal: options.signal,
      });
      return toKeystoneList<Project>(data, 'projects');
    },
    async getProject(projectId, options = {}) {
      return keystone
        .get(`projects/${id(projectId)}`, {
          schema: ProjectBodySchema,
          operation: 'get_project',
          signal: options.signal,
        })
        .then((response) => response.data.project, notFoundIsUndefined<Project>);
    },
    async findProject(name, domainId, options = {}) {
      // Names are unique within a domain, so this list has at most one item and cannot be truncated.
      return (await client.listProjects({ name, domainId }, options)).items.find((project) => project.name === name);
    },
    async createProject(input, options = {}) {
      const { data } = await keystone.post('projects', {
        json: {
          project: {
            name: input.name,
            domain_id: input.domainId,
            enabled: input.enabled ?? true,
            ...(input.description === undefined ? {} : { description: input.description }),
            ...(input.tags === undefined ? {} : { tags: input.tags }),
            ...(input.parentId === undefined ? {} : { parent_id: input.parentId }),
          },
        },
        schema: ProjectBodySchema,
        operation: 'create_project',
        expectedStatus: [201],
        signal: options.signal,
      });
      return data.project;
    },
    async updateProject(projectId, patch, options = {}) {
      const { data } = await keystone.patch(`projects/${id(projectId)}`, {
        json: { project: patch },
        schema: ProjectBodySchema,
        operation: 'update_project',
        // Setting the same fields twice gives the same project.
        idempotent: true,
        signal: options.signal,
      });
      return data.project;
    },
    async deleteProject(projectId, options = {}) {
      await keystone
        .delete(`projects/${id(projectId)}`, {
          responseType: 'empty',
          operation: 'delete_project',
          signal: options.signal,
        })
        .then(() => undefined, notFoundIsFine);
    },
    async listUsers(filter = {}, options = {}) {
      const { data } = await keystone.get('users', {
        query: withoutUndefined({
          name: filter.name,
          domain_id: filter.domainId,
          idp_id: filter.idpId,
          unique_id: filter.uniqueId,
        }),
        schema: UserListSchema,
        operation: 'list_users',
        signal: options.signal,
      });
      return toKeystoneList<User>(data, 'users');
    },
    async getUser(userId, options = {}) {
      return keystone
        .get(`users/${id(userId)}`, { schema: UserBodySchema, operation: 'get_user', signal: options.signal })
        .then((response) => response.data.user, notFoundIsUndefined<User>);
    },
    async findUser(name, domainId, options = {}) {
      return (await client.listUsers({ name, domainId }, options)).items.find((user) => user.name === name);
    },
    async createUser(input, options = {}) {
      const { data } = await keystone.post('users', {
        json: {
          user: {
            name: input.name,
            domain_id: input.domainId,
            enabled: input.enabled ?? true,
            ...(input.password === undefined ? {} : { password: input.password }),
            ...(input.defaultProjectId === undefined ? {} : { default_project_id: input.defaultProjectId }),
            ...(input.description === undefined ? {} : { description: input.description }),
          },
        },
        schema: UserBodySchema,
        operation: 'create_user',
        expectedStatus: [201],
        signal: options.signal,
      });
      return data.user;
    },
    async updateUser(userId, patch, options = {}) {
      const user: Record<string, unknown> = {};
      if (patch.enabled !== undefined) user.enabled = patch.enabled;
      if (patch.password !== undefined) user.password = patch.password;
      if (patch.defaultProjectId !== undefined) user.default_project_id = patch.defaultProjectId;
      const { data } = await keystone.patch(`users/${id(userId)}`, {
        json: { user },
        schema: UserBodySchema,
        operation: 'update_user',
        idempotent: true,
        signal: options.signal,
      });
      return data.user;
    },
    async deleteUser(userId, options = {}) {
      await keystone
        .delete(`users/${id(userId)}`, { responseType: 'empty', operation: 'delete_user', signal: options.signal })
        .then(() => undefined, notFoundIsFine);
    },
    async listDomains(filter = {}, options = {}) {
      const { data } = await keystone.get('domains', {
        query: withoutUndefined({ name: filter.name, enabled: filter.enabled }),
        schema: DomainListSchema,
        operation: 'list_domains',
        signal: options.signal,
      });
      return toKeystoneList<Domain>(data, 'domains');
    },
    async getDomain(domainId, options = {}) {
      return keystone
        .get(`domains/${id(domainId)}`, { schema: DomainBodySchema, operation: 'get_domain', signal: options.signal })
        .then((response) => response.data.domain, notFoundIsUndefined<Domain>);
    },
    async createDomain(input, options = {}) {
      const { data } = await keystone.post('domains', {
        json: { domain: { name: input.name, enabled: input.enabled ?? true, description: input.description } },
        schema: DomainBodySchema,
        operation: 'create_domain',
        expectedStatus: [201],
        signal: options.signal,
      });
      return data.domain;
    },
    async deleteDomain(domainId, options = {}) {
      try {
        await keystone.patch(`domains/${id(domainId)}`, {
          json: { domain: { enabled: false } },
          responseType: 'empty',
          operation: 'disable_domain',
          idempotent: true,
          signal: options.signal,
        });
        await keystone.delete(`domains/${id(domainId)}`, {
          responseType: 'empty',
          operation: 'delete_domain',
          signal: options.signal,
        });
      } catch (error) {
        notFoundIsFine(error);
      }
    },
    async listRoles(filter = {}, options = {}) {
      const { data } = await keystone.get('roles', {
        query: withoutUndefined({ name: filter.name }),
        schema: RoleListSchema,
        operation: 'list_roles',
        signal: options.signal,
      });
      return toKeystoneList<Role>(data, 'roles');
    },
    async findRole(name, options = {}) {
      const roles = (await client.listRoles({ name }, options)).items;
      // Global roles (no domain) are the ones projects use; a domain-specific role of the same name comes second.
      return roles.find((role) => role.name === name && !role.domain_id) ?? roles.find((role) => role.name === name);
    },
    async grantRole(target, actor, roleId, options = {}) {
      await keystone.put(grantPath(target, actor, roleId), {
        responseType: 'empty',
        operation: 'grant_role',
        signal: options.signal,
      });
    },
    async revokeRole(target, actor, roleId, options = {}) {
      await keystone
        .delete(grantPath(target, actor, roleId), {
          responseType: 'empty',
          operation: 'revoke_role',
          signal: options.signal,
        })
        .then(() => undefined, notFoundIsFine);
    },
    async hasRole(target, actor, roleId, options = {}) {
      return keystone
        .head(grantPath(target, actor, roleId), {
          responseType: 'empty',
          operation: 'check_role',
          signal: options.signal,
        })
        .then(
          () => true,
          (error: unknown) => notFoundIsUndefined<boolean>(error) ?? false,
        );
    },
    async createApplicationCredential(userId, input, options = {}) {
      const { data } = await keystone.post(`users/${id(userId)}/application_credentials`, {
        json: {
          application_credential: {
            name: input.name,
            description: input.description,
            expires_at: input.expiresAt,
            unrestricted: input.unrestricted ?? false,
            ...(input.roles === undefined ? {} : { roles: input.roles.map((name) => ({ name })) }),
          },
        },
        schema: ApplicationCredentialBodySchema,
        operation: 'create_application_credential',
        expectedStatus: [201],
        signal: options.signal,
      });
      const credential = data.application_credential;
      return {
        id: credential.id,
        name: credential.name,
        projectId: credential.project_id ?? undefined,
        secret: Secret.from(credential.secret),
      };
    },
    async deleteApplicationCredential(userId, credentialId, options = {}) {
      await keystone
        .delete(`users/${id(userId)}/application_credentials/${id(credentialId)}`, {
          responseType: 'empty',
          operation: 'delete_application_credential',
          signal: options.signal,
        })
        .then(() => undefined, notFoundIsFine);
    },
    async listRoleAssignments(filter, options = {}) {
      const { data } = await keystone.get('role_assignments', {
        query: withoutUndefined({
          'user.id': filter.userId,
          'group.id': filter.groupId,
          'role.id': filter.roleId,
          'scope.project.id': filter.projectId,
          'scope.domain.id': filter.domainId,
          // Keystone treats the presence of these flags as true, whatever their value.
          effective: filter.effective ? true : undefined,
          include_names: filter.includeNames ? true : undefined,
        }),
        schema: RoleAssignmentListSchema,
        operation: 'list_role_assignments',
        signal: options.signal,
      });
      return toKeystoneList<RoleAssignment>(data, 'role_assignments');
    },
  };
  return client;
}
