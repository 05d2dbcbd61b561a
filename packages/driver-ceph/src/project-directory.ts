import type { CallOptions, Store } from '@ocx/core';
import { orUndefined } from './checks.js';
import type { ProjectNaming } from './project-naming.js';
import type { RgwAdminClient } from './rgw/rgw-admin-client.js';

const COLLECTION = 'ceph-projects';

/** Whom an RGW user's usage is billed to. */
export interface ProjectOwner {
  project: string;
  organization: string;
}

/**
 * Who owns each RGW uid: remembered in the store when the driver creates a project, and read
 * back from the user's display name otherwise, so usage of a project that was since deleted is
 * still billed to its organization (when the store is durable).
 */
export function createProjectDirectory(
  store: Store,
  naming: ProjectNaming,
  rgw: RgwAdminClient,
  fallbackOrganization: string,
) {
  return {
    async remember(uid: string, owner: ProjectOwner): Promise<void> {
      const existing = await store.get<ProjectOwner>(COLLECTION, uid);
      if (existing?.value.organization === owner.organization && existing.value.project === owner.project) return;
      await store.put(COLLECTION, uid, owner);
    },

    /** A resolver that asks RGW at most once per uid (for one collection or sampling run). */
    resolver(options?: CallOptions): (uid: string) => Promise<ProjectOwner | undefined> {
      const cache = new Map<string, Promise<ProjectOwner | undefined>>();
      const lookUp = async (uid: string): Promise<ProjectOwner | undefined> => {
        const project = naming.projectOf(uid);
        if (project === undefined) return undefined;
        const stored = await store.get<ProjectOwner>(COLLECTION, uid);
        if (stored !== undefined) return stored.value;
        const user = await orUndefined(rgw.getUser(uid, {}, options));
        const organization =
          (user === undefined ? undefined : naming.organizationOf(user.displayName)) ?? fallbackOrganization;
        return { project, organization };
      };
      return (uid) => {
        let found = cache.get(uid);
        if (found === undefined) {
          found = lookUp(uid);
          cache.set(uid, found);
        }
        return found;
      };
    },
  };
}

/** The directory {@link createProjectDirectory} returns. */
export type ProjectDirectory = ReturnType<typeof createProjectDirectory>;
