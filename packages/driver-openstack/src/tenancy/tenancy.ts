import {
  type CallOptions,
  IdSchema,
  OcxError,
  parseWith,
  type ReleasedResource,
  type Tenancy,
  TenantProjectSchema,
  type TenantProjectState,
} from '@ocx/core';
import { z } from 'zod';
import type { IdentityClient } from '../keystone/identity-client.js';
import type { Project } from '../keystone/identity-results.js';
import { requireComplete } from '../keystone/keystone-list.js';
import type { ProjectDirectory } from './project-directory.js';

/** What the OpenStack Tenancy needs. */
export interface OpenStackTenancyOptions {
  identity: IdentityClient;
  directory: ProjectDirectory;
  /** The roles members may be given; the first is the default. */
  roles: readonly string[];
  /** The domain exchange users are found in or created in. */
  userDomainId: string;
  /** Release a project's servers, volumes, floating IPs and containers (by Keystone id). */
  release: (keystoneProjectId: string, options?: CallOptions) => Promise<ReleasedResource[]>;
}

const MemberSchema = z
  .object({ project: IdSchema, user: z.string().min(1).max(255), role: z.string().min(1) })
  .strict();
const RemoveMemberSchema = z.object({ project: IdSchema, user: z.string().min(1).max(255) }).strict();

/**
 * Tenancy over Keystone: an exchange project is a Keystone project named after it in the tenant
 * domain (tagged `ocx` and `ocx-org:<organization>`), a member is a Keystone user of that name
 * (created without a password when missing — federated sign-on or an application credential
 * gives it a way in) holding one of the driver's roles on the project. Every call is idempotent.
 */
export function createOpenStackTenancy(options: OpenStackTenancyOptions): Tenancy & {
  releaseResources(projectId: string, callOptions?: CallOptions): Promise<ReleasedResource[]>;
} {
  const { identity, directory } = options;

  const stateOf = async (
    exchangeId: string,
    project: Project,
    callOptions: CallOptions,
  ): Promise<TenantProjectState> => {
    const assignments = requireComplete(
      await identity.listRoleAssignments({ projectId: project.id, includeNames: true }, callOptions),
      `role assignments of project ${exchangeId}`,
    );
    const members = assignments
      .filter((assignment) => assignment.user !== undefined)
      .map((assignment) => ({
        user: assignment.user!.name ?? assignment.user!.id,
        role: assignment.role.name ?? assignment.role.id,
      }));
    return { id: exchangeId, externalId: project.id, enabled: project.enabled, members };
  };

  const roleId = async (role: string, callOptions: CallOptions): Promise<string> => {
    const found = await identity.findRole(role, callOptions);
    if (found !== undefined) return found.id;
    throw new OcxError({
      code: 'not-found',
      backend: 'keystone',
      operation: 'find_role',
      message: `Keystone has no role named ${JSON.stringify(role)}`,
    });
  };

  const ensureUser = async (name: string, callOptions: CallOptions) => {
    const existing = await identity.findUser(name, options.userDomainId, callOptions);
    if (existing !== undefined) return existing;
    try {
      return await identity.createUser(
        { name, domainId: options.userDomainId, description: 'Created by the OCX exchange' },
        callOptions,
      );
    } catch (error) {
      // Created concurrently by another onboarding of the same user.
      if (!(OcxError.is(error) && error.code === 'conflict')) throw error;
      const raced = await identity.findUser(name, options.userDomainId, callOptions);
      if (raced === undefined) throw error;
      return raced;
    }
  };

  return {
    async ensureProject(input, callOptions = {}) {
      const project = parseWith(TenantProjectSchema, input, { what: 'project', prefix: 'project' });
      let existing = await directory.find(project.id, callOptions);
      if (existing === undefined) {
        try {
          existing = await identity.createProject(
            {
              name: project.id,
              domainId: directory.domainId,
              description: project.description ?? project.name,
              tags: directory.tagsFor(project.organization),
            },
            callOptions,
          );
        } catch (error) {
          if (!(OcxError.is(error) && error.code === 'conflict')) throw error;
          existing = await directory.require(project.id, callOptions);
        }
      } else if (!existing.enabled) {
        existing = await identity.updateProject(existing.id, { enabled: true }, callOptions);
      }
      return stateOf(project.id, existing, callOptions);
    },

    async getProject(projectId, callOptions = {}) {
      const id = parseWith(IdSchema, projectId, { what: 'project id', prefix: 'projectId' });
      const project = await directory.find(id, callOptions);
      return project === undefined ? undefined : stateOf(id, project, callOptions);
    },

    async ensureMember(input, callOptions = {}) {
      const member = parseWith(MemberSchema, input, { what: 'member', prefix: 'member' });
      if (!options.roles.includes(member.role)) {
        throw new OcxError({
          code: 'validation',
          fault: 'client',
          message: `Invalid member: role ${JSON.stringify(member.role)} is not one of ${options.roles.join(', ')}`,
          issues: [{ path: 'member.role', message: `must be one of ${options.roles.join(', ')}` }],
        });
      }
      const project = await directory.require(member.project, callOptions);
      const user = await ensureUser(member.user, callOptions);
      const wanted = await roleId(member.role, callOptions);
      await identity.grantRole({ project: project.id }, { user: user.id }, wanted, callOptions);
      // One role per member: a member moved from `reader` to `member` loses `reader`.
      const held = requireComplete(
        await identity.listRoleAssignments({ projectId: project.id, userId: user.id, includeNames: true }, callOptions),
        'role assignments',
      );
      for (const assignment of held) {
        const name = assignment.role.name ?? '';
        if (assignment.role.id !== wanted && options.roles.includes(name)) {
          await identity.revokeRole({ project: project.id }, { user: user.id }, assignment.role.id, callOptions);
        }
      }
    },

    async removeMember(input, callOptions = {}) {
      const member = parseWith(RemoveMemberSchema, input, { what: 'member', prefix: 'member' });
      const project = await directory.find(member.project, callOptions);
      if (project === undefined) return;
      const user = await identity.findUser(member.user, options.userDomainId, callOptions);
      if (user === undefined) return;
      const held = requireComplete(
        await identity.listRoleAssignments({ projectId: project.id, userId: user.id }, callOptions),
        'role assignments',
      );
      for (const assignment of held) {
        await identity.revokeRole({ project: project.id }, { user: user.id }, assignment.role.id, callOptions);
      }
    },

    async disableProject(projectId, callOptions = {}) {
      const id = parseWith(IdSchema, projectId, { what: 'project id', prefix: 'projectId' });
      const project = await directory.require(id, callOptions);
      if (project.enabled) await identity.updateProject(project.id, { enabled: false }, callOptions);
    },

    async deleteProject(projectId, callOptions = {}) {
      const id = parseWith(IdSchema, projectId, { what: 'project id', prefix: 'projectId' });
      const project = await directory.find(id, callOptions);
      if (project === undefined) return;
      await identity.deleteProject(project.id, callOptions);
      directory.forget(id);
    },

    async releaseResources(projectId, callOptions = {}) {
      const id = parseWith(IdSchema, projectId, { what: 'project id', prefix: 'projectId' });
      const project = await directory.find(id, callOptions);
      if (project === undefined) return [];
      return options.release(project.id, callOptions);
    },
  };
}
