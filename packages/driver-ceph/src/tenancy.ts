import { createHash } from 'node:crypto';
import { type ReleasedResource, type Tenancy, TenantProjectSchema, type TenantProjectState } from '@ocx/core';
import { z } from 'zod';
import { checkInput, checkSignal, isOcxError, orUndefined, projectNotFound } from './checks.js';
import type { ProjectDirectory } from './project-directory.js';
import { MemberIdSchema, ProjectIdSchema, type ProjectNaming } from './project-naming.js';
import type { RgwAdminClient } from './rgw/rgw-admin-client.js';
import type { RgwUser } from './rgw/rgw-schemas.js';
import type { RgwSubuserAccess } from './rgw/rgw-users.js';

/** Exchange roles and the RGW subuser access each gives. */
export const MEMBER_ROLES: Readonly<Record<string, { access: RgwSubuserAccess; permissions: string }>> = Object.freeze({
  member: { access: 'readwrite', permissions: 'read-write' },
  reader: { access: 'read', permissions: 'read' },
});

const ProjectInputSchema = TenantProjectSchema.extend({ id: ProjectIdSchema });
const MemberInputSchema = z.object({
  project: ProjectIdSchema,
  user: MemberIdSchema,
  role: z.enum(Object.keys(MEMBER_ROLES) as [string, ...string[]]),
});
const RemoveMemberInputSchema = z.object({ project: ProjectIdSchema, user: MemberIdSchema });

/** A short, stable name for a key that does not reveal it (released-resource reports go to audit logs and events). */
export function keyFingerprint(accessKey: string): string {
  return `sha256:${createHash('sha256').update(accessKey).digest('hex').slice(0, 16)}`;
}

/**
 * Tenancy on RGW: one RGW user per exchange project (see {@link ProjectNaming}), members as
 * keyless subusers `<uid>:<user>` (role `member` → read-write, `reader` → read), disable as
 * suspend, delete as remove with purge. `releaseResources` deletes the project's buckets (with
 * their objects) and all its S3 keys. Every call is idempotent, and safe to repeat after a fault.
 */
export function createCephTenancy(
  rgw: RgwAdminClient,
  naming: ProjectNaming,
  directory: ProjectDirectory,
): Required<Tenancy> {
  const view = (project: string, user: RgwUser): TenantProjectState => ({
    id: project,
    externalId: user.uid,
    enabled: !user.suspended,
    members: user.subusers
      .map((subuser) => ({
        user: subuser.id.slice(user.uid.length + 1),
        role: subuser.permissions === 'read' ? 'reader' : 'member',
      }))
      .sort((a, b) => a.user.localeCompare(b.user)),
  });

  /** Pacific gives every new subuser a key whatever it is asked; a member gets keys only when the exchange hands them out. */
  const stripSubuserKeys = async (uid: string, subuserId: string, signal?: AbortSignal): Promise<void> => {
    const user = await rgw.getUser(uid, {}, { signal });
    for (const key of user.keys.filter((candidate) => candidate.user === subuserId)) {
      await rgw.removeKey(uid, key.accessKey, { signal });
    }
    if (user.swiftKeyUsers.includes(subuserId))
      await rgw.removeSwiftKey(uid, subuserId.slice(uid.length + 1), { signal });
  };

  return {
    async ensureProject(input, options) {
      const project = checkInput(ProjectInputSchema, input, 'ensureProject');
      checkSignal(options, 'ensureProject');
      const uid = naming.uidOf(project.id);
      let user = await orUndefined(rgw.getUser(uid, {}, options));
      if (user === undefined) {
        try {
          user = await rgw.createUser(
            { uid, displayName: naming.displayName(project.name, project.organization), generateKey: true },
            options,
          );
        } catch (error) {
          // A create resent after RGW applied it, or a concurrent ensureProject: the user is there.
          if (!isOcxError(error, 'conflict')) throw error;
          user = await rgw.getUser(uid, {}, options);
        }
      }
      await directory.remember(uid, {
        project: project.id,
        organization: naming.organizationOf(user.displayName) ?? project.organization,
      });
      return view(project.id, user);
    },

    async getProject(projectId, options) {
      const project = checkInput(ProjectIdSchema, projectId, 'getProject');
      checkSignal(options, 'getProject');
      const user = await orUndefined(rgw.getUser(naming.uidOf(project), {}, options));
      return user === undefined ? undefined : view(project, user);
    },

    async ensureMember(input, options) {
      const member = checkInput(MemberInputSchema, input, 'ensureMember');
      checkSignal(options, 'ensureMember');
      const uid = naming.uidOf(member.project);
      const user = await orUndefined(rgw.getUser(uid, {}, options));
      if (user === undefined) throw projectNotFound(member.project, 'ensureMember');
      const subuserId = `${uid}:${member.user}`;
      const wanted = MEMBER_ROLES[member.role]!;
      const existing = user.subusers.find((subuser) => subuser.id === subuserId);
      if (existing === undefined) {
        try {
          await rgw.createSubuser(uid, member.user, wanted.access, options);
        } catch (error) {
          if (!isOcxError(error, 'conflict')) throw error;
          await rgw.modifySubuser(uid, member.user, wanted.access, options);
        }
      } else if (existing.permissions !== wanted.permissions) {
        await rgw.modifySubuser(uid, member.user, wanted.access, options);
      }
      await stripSubuserKeys(uid, subuserId, options?.signal);
    },

    async removeMember(input, options) {
      const member = checkInput(RemoveMemberInputSchema, input, 'removeMember');
      checkSignal(options, 'removeMember');
      await orUndefined(rgw.removeSubuser(naming.uidOf(member.project), member.user, options));
    },

    async disableProject(projectId, options) {
      const project = checkInput(ProjectIdSchema, projectId, 'disableProject');
      checkSignal(options, 'disableProject');
      const uid = naming.uidOf(project);
      if ((await orUndefined(rgw.getUser(uid, {}, options))) === undefined)
        throw projectNotFound(project, 'disableProject');
      await rgw.suspendUser(uid, true, options);
    },

    async deleteProject(projectId, options) {
      const project = checkInput(ProjectIdSchema, projectId, 'deleteProject');
      checkSignal(options, 'deleteProject');
      await orUndefined(rgw.removeUser(naming.uidOf(project), { purgeData: true }, options));
    },

    async releaseResources(projectId, options) {
      const project = checkInput(ProjectIdSchema, projectId, 'releaseResources');
      checkSignal(options, 'releaseResources');
      const uid = naming.uidOf(project);
      const user = await orUndefined(rgw.getUser(uid, {}, options));
      if (user === undefined) return [];
      const released: ReleasedResource[] = [];
      for (const bucket of await rgw.listBuckets(uid, options)) {
        // A bucket deleted by a resent request, or by the user meanwhile, is released all the same.
        await orUndefined(rgw.removeBucket(bucket, { purgeObjects: true }, options));
        released.push({ type: 'bucket', id: bucket });
      }
      for (const key of user.keys) {
        await rgw.removeKey(uid, key.accessKey, options).catch((error: unknown) => {
          // RGW says InvalidAccessKeyId for a key that is already gone.
          if (!(isOcxError(error, 'auth') && error.backendErrorType === 'InvalidAccessKeyId')) throw error;
        });
        released.push({ type: 's3-key', id: keyFingerprint(key.accessKey), name: `S3 key of ${key.user}` });
      }
      return released;
    },
  };
}
