import { z } from 'zod';

/** Exchange project ids this driver accepts: they become part of an RGW uid, so no `:` (subusers) or `$` (tenants). */
export const ProjectIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-" (it becomes part of an RGW uid)');

/** Exchange user ids as RGW subuser names (`<uid>:<user>`), so no `:` or `$`. */
export const MemberIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]*$/,
    'must be letters, digits, ".", "_", "@" or "-" (it becomes an RGW subuser name)',
  );

const ORGANIZATION_SUFFIX = /\s\(org ([A-Za-z0-9][A-Za-z0-9._@:-]*)\)$/;

/**
 * How exchange projects map to RGW: one plain RGW user per project, uid `<prefix><project>`
 * (`ocx-genomics`). Plain users rather than RGW tenants (`tenant$uid`) because RGW tenant names
 * allow only letters, digits and `_`, and exchange ids have dashes. The display name carries the
 * project's name and organization (`Genomics (org bu)`), so the meters can bill a project's
 * usage to its organization from RGW alone, even after a restart.
 */
export interface ProjectNaming {
  readonly prefix: string;
  uidOf(project: string): string;
  /** The project of a uid this driver made, or undefined for any other RGW user. */
  projectOf(uid: string): string | undefined;
  displayName(name: string, organization: string): string;
  organizationOf(displayName: string): string | undefined;
}

/** The naming for one uid prefix (default `ocx-`). */
export function projectNaming(prefix: string): ProjectNaming {
  return {
    prefix,
    uidOf: (project) => `${prefix}${project}`,
    projectOf: (uid) => {
      if (!uid.startsWith(prefix)) return undefined;
      const project = uid.slice(prefix.length);
      return ProjectIdSchema.safeParse(project).success ? project : undefined;
    },
    displayName: (name, organization) => `${name} (org ${organization})`,
    organizationOf: (displayName) => ORGANIZATION_SUFFIX.exec(displayName)?.[1],
  };
}
