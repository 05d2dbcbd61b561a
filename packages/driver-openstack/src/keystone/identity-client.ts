import type { CallOptions, Secret } from '@ocx/core';
import type { Domain, Project, Role, RoleAssignment, User } from './identity-results.js';
import type { KeystoneList } from './keystone-list.js';

/** Where a role is granted: a project or a domain. */
export type GrantTarget = { project: string } | { domain: string };
/** To whom a role is granted: a user or a group. */
export type GrantActor = { user: string } | { group: string };

/** Fields of a new project. */
export interface CreateProjectInput {
  name: string;
  domainId: string;
  description?: string;
  enabled?: boolean;
  tags?: string[];
  parentId?: string;
}

/** Fields of a new user. A user without a password can still be given roles (federated users). */
export interface CreateUserInput {
  name: string;
  domainId: string;
  password?: string;
  enabled?: boolean;
  defaultProjectId?: string;
  description?: string;
}

/** Filters of `GET /v3/role_assignments`. */
export interface RoleAssignmentFilter {
  userId?: string;
  groupId?: string;
  roleId?: string;
  projectId?: string;
  domainId?: string;
  effective?: boolean;
  includeNames?: boolean;
}

/**
 * The Identity API calls an exchange needs: projects, users, domains, roles, grants and role
 * assignments. Lists come back as {@link KeystoneList}s that say whether Keystone truncated them.
 */
export interface IdentityClient {
  listProjects(
    filter?: { name?: string; domainId?: string; tags?: string; enabled?: boolean },
    options?: CallOptions,
  ): Promise<KeystoneList<Project>>;
  getProject(id: string, options?: CallOptions): Promise<Project | undefined>;
  findProject(name: string, domainId: string, options?: CallOptions): Promise<Project | undefined>;
  createProject(input: CreateProjectInput, options?: CallOptions): Promise<Project>;
  updateProject(
    id: string,
    patch: Partial<{ enabled: boolean; description: string; name: string; tags: string[] }>,
    options?: CallOptions,
  ): Promise<Project>;
  /** Delete a project; a missing one is fine. */
  deleteProject(id: string, options?: CallOptions): Promise<void>;
  listUsers(
    filter?: { name?: string; domainId?: string; idpId?: string; uniqueId?: string },
    options?: CallOptions,
  ): Promise<KeystoneList<User>>;
  getUser(id: string, options?: CallOptions): Promise<User | undefined>;
  findUser(name: string, domainId: string, options?: CallOptions): Promise<User | undefined>;
  createUser(input: CreateUserInput, options?: CallOptions): Promise<User>;
  updateUser(
    id: string,
    patch: Partial<{ enabled: boolean; password: string; defaultProjectId: string }>,
    options?: CallOptions,
  ): Promise<User>;
  deleteUser(id: string, options?: CallOptions): Promise<void>;
  listDomains(filter?: { name?: string; enabled?: boolean }, options?: CallOptions): Promise<KeystoneList<Domain>>;
  getDomain(id: string, options?: CallOptions): Promise<Domain | undefined>;
  createDomain(
    input: { name: string; description?: string; enabled?: boolean },
    options?: CallOptions,
  ): Promise<Domain>;
  /** Disable then delete a domain (Keystone refuses to delete an enabled one); a missing one is fine. */
  deleteDomain(id: string, options?: CallOptions): Promise<void>;
  listRoles(filter?: { name?: string }, options?: CallOptions): Promise<KeystoneList<Role>>;
  /** A role by name; undefined when there is none. */
  findRole(name: string, options?: CallOptions): Promise<Role | undefined>;
  grantRole(target: GrantTarget, actor: GrantActor, roleId: string, options?: CallOptions): Promise<void>;
  /** Revoke a grant; a grant that does not exist is fine. */
  revokeRole(target: GrantTarget, actor: GrantActor, roleId: string, options?: CallOptions): Promise<void>;
  hasRole(target: GrantTarget, actor: GrantActor, roleId: string, options?: CallOptions): Promise<boolean>;
  listRoleAssignments(filter: RoleAssignmentFilter, options?: CallOptions): Promise<KeystoneList<RoleAssignment>>;
  /**
   * Create an application credential of a user, bound to the current token's project (Keystone
   * generates the secret; it is returned once, as a `Secret`).
   */
  createApplicationCredential(
    userId: string,
    input: { name: string; description?: string; expiresAt?: string; roles?: string[]; unrestricted?: boolean },
    options?: CallOptions,
  ): Promise<{ id: string; name: string; projectId?: string; secret: Secret }>;
  /** Delete an application credential; a missing one is fine. */
  deleteApplicationCredential(userId: string, id: string, options?: CallOptions): Promise<void>;
}
