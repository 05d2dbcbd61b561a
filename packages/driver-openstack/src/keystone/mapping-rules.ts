import type { MappingRule } from './federation-results.js';

/** Options of {@link projectAutoCreationRules}. */
export interface ProjectAutoCreationOptions {
  /** The assertion attribute that names the user, e.g. `REMOTE_USER`, `HTTP_OIDC_EMAIL`, `openstack_user`. */
  userNameAttribute: string;
  /** Keep users as `ephemeral` (default) or map them to `local` users. */
  userType?: 'ephemeral' | 'local';
  /** The user's domain (`{ name }` or `{ id }`); the IdP's domain when absent. */
  userDomain?: { id: string } | { name: string };
  /**
   * Projects to create (idempotently, in the IdP's domain) and grant: names may use `{0}`, the
   * value of `userNameAttribute`, e.g. `{ name: '{0}-sandbox', roles: ['member'] }`.
   */
  projects: Array<{ name: string; roles: string[] }>;
  /** Extra conditions an assertion must meet, e.g. `{ type: 'HTTP_OIDC_ISS', any_one_of: ['https://idp.bu.edu'] }`. */
  conditions?: MappingRule['remote'];
  /** Groups (which must exist) the user joins, by id. */
  groupIds?: string[];
}

/**
 * Mapping rules that create projects on first sign-on (Keystone's `projects` local rule, Stein+):
 * the user (named by an assertion attribute) gets each project, created in the identity
 * provider's domain if missing, with persistent role grants. Roles must already exist.
 *
 * @example
 * ```ts
 * await driver.ext.federation.ensureMapping('bu-oidc', projectAutoCreationRules({
 *   userNameAttribute: 'HTTP_OIDC_EMAIL',
 *   projects: [{ name: '{0}', roles: ['member'] }],
 *   conditions: [{ type: 'HTTP_OIDC_ISS', any_one_of: ['https://sso.bu.edu'] }],
 * }));
 * ```
 */
export function projectAutoCreationRules(options: ProjectAutoCreationOptions): MappingRule[] {
  const user: Record<string, unknown> = { name: '{0}', type: options.userType ?? 'ephemeral' };
  if (options.userDomain !== undefined) user.domain = options.userDomain;
  const local: MappingRule['local'] = [
    { user },
    {
      projects: options.projects.map((project) => ({
        name: project.name,
        roles: project.roles.map((name) => ({ name })),
      })),
    },
  ];
  for (const id of options.groupIds ?? []) local.push({ group: { id } });
  return [{ local, remote: [{ type: options.userNameAttribute }, ...(options.conditions ?? [])] }];
}
