import { type CallOptions, IdSchema, OcxError } from '@ocx/core';
import type { IdentityClient } from '../keystone/identity-client.js';
import type { Project } from '../keystone/identity-results.js';
import { requireComplete } from '../keystone/keystone-list.js';

/** The tag every project the exchange creates carries. */
export const MANAGED_TAG = 'ocx';
/** The prefix of the tag that names the project's organization: `ocx-org:<organization>`. */
export const ORGANIZATION_TAG_PREFIX = 'ocx-org:';

/** An exchange project as it lives in Keystone. */
export interface ManagedProject {
  /** The exchange's project id (the Keystone project's name). */
  project: string;
  organization: string;
  keystoneId: string;
}

/**
 * Maps exchange project ids to Keystone projects: an exchange project is the Keystone project
 * of that name in the tenant domain, tagged `ocx` and `ocx-org:<organization>` (Keystone names
 * are unique per domain; ids are Keystone's). A Keystone project id is accepted too, so callers
 * that already hold one need no lookup.
 */
export interface ProjectDirectory {
  readonly domainId: string;
  find(projectId: string, options?: CallOptions): Promise<Project | undefined>;
  /** {@link find}, or a `not-found` error naming the project. */
  require(projectId: string, options?: CallOptions): Promise<Project>;
  /** Every exchange project in this Keystone, by Keystone id (one request). */
  managed(options?: CallOptions): Promise<Map<string, ManagedProject>>;
  /** Forget a cached lookup (after a delete). */
  forget(projectId: string): void;
  /** The tags of a new exchange project. */
  tagsFor(organization: string): string[];
}

const KEYSTONE_ID = /^[0-9a-f]{32}$/;

/** Create the directory over an identity client, for projects of `domainId`. */
export function createProjectDirectory(identity: IdentityClient, domainId: string): ProjectDirectory {
  const cache = new Map<string, string>();
  const directory: ProjectDirectory = {
    domainId,
    async find(projectId, options = {}) {
      const cached = cache.get(projectId);
      if (cached !== undefined) {
        const project = await identity.getProject(cached, options);
        if (project !== undefined && (project.name === projectId || project.id === projectId)) return project;
        cache.delete(projectId);
      }
      let project = await identity.findProject(projectId, domainId, options);
      if (project === undefined && KEYSTONE_ID.test(projectId)) project = await identity.getProject(projectId, options);
      if (project !== undefined) cache.set(projectId, project.id);
      return project;
    },
    async require(projectId, options = {}) {
      const project = await directory.find(projectId, options);
      if (project !== undefined) return project;
      throw new OcxError({
        code: 'not-found',
        backend: 'keystone',
        operation: 'find_project',
        message: `No Keystone project named ${JSON.stringify(projectId)} in domain ${domainId} (nor with that id)`,
      });
    },
    async managed(options = {}) {
      const list = await identity.listProjects({ tags: MANAGED_TAG, domainId }, options);
      const result = new Map<string, ManagedProject>();
      for (const project of requireComplete(list, 'exchange projects')) {
        // A project renamed by hand to something that is not an exchange id cannot be billed by name.
        if (!IdSchema.safeParse(project.name).success) continue;
        const organizationTag = project.tags.find((tag) => tag.startsWith(ORGANIZATION_TAG_PREFIX));
        const organization = organizationTag?.slice(ORGANIZATION_TAG_PREFIX.length);
        result.set(project.id, {
          project: project.name,
          organization:
            organization !== undefined && IdSchema.safeParse(organization).success ? organization : 'unassigned',
          keystoneId: project.id,
        });
      }
      return result;
    },
    forget(projectId) {
      cache.delete(projectId);
    },
    tagsFor: (organization) => [MANAGED_TAG, `${ORGANIZATION_TAG_PREFIX}${organization}`],
  };
  return directory;
}
