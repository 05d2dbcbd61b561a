import { z } from 'zod';

/** A Keystone project. */
export const ProjectSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  enabled: z.boolean().default(true),
  description: z.string().nullish(),
  parent_id: z.string().nullish(),
  is_domain: z.boolean().optional(),
  tags: z.array(z.string()).default([]),
});
/** Project as the driver parses it (see {@link ProjectSchema}). */
export type Project = z.infer<typeof ProjectSchema>;

/** A Keystone user. */
export const UserSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  enabled: z.boolean().default(true),
  default_project_id: z.string().nullish(),
});
/** User as the driver parses it (see {@link UserSchema}). */
export type User = z.infer<typeof UserSchema>;

/** A Keystone domain. */
export const DomainSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean().default(true),
  description: z.string().nullish(),
});
/** Domain as the driver parses it (see {@link DomainSchema}). */
export type Domain = z.infer<typeof DomainSchema>;

/** A Keystone role. */
export const RoleSchema = z.looseObject({ id: z.string(), name: z.string(), domain_id: z.string().nullish() });
/** Role as the driver parses it (see {@link RoleSchema}). */
export type Role = z.infer<typeof RoleSchema>;

const Named = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  domain: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
});

/** One row of `GET /v3/role_assignments`. */
export const RoleAssignmentSchema = z.looseObject({
  role: Named,
  user: Named.optional(),
  group: Named.optional(),
  scope: z.looseObject({
    project: Named.optional(),
    domain: Named.optional(),
    system: z.unknown().optional(),
  }),
});
/** RoleAssignment as the driver parses it (see {@link RoleAssignmentSchema}). */
export type RoleAssignment = z.infer<typeof RoleAssignmentSchema>;

/** The answer about one item: `{ project: … }`. */
export const ProjectBodySchema = z.looseObject({ project: ProjectSchema });
/** The answer about one item: `{ user: … }`. */
export const UserBodySchema = z.looseObject({ user: UserSchema });
/** The answer about one item: `{ domain: … }`. */
export const DomainBodySchema = z.looseObject({ domain: DomainSchema });
/** The answer about one item: `{ role: … }`. */
export const RoleBodySchema = z.looseObject({ role: RoleSchema });

const list = <Item extends z.ZodType>(key: string, item: Item) =>
  z.looseObject({ [key]: z.array(item), truncated: z.boolean().optional() });

/** A list answer: `{ projects: [...] }` (and its links). */
export const ProjectListSchema = list('projects', ProjectSchema);
/** A list answer: `{ users: [...] }` (and its links). */
export const UserListSchema = list('users', UserSchema);
/** A list answer: `{ domains: [...] }` (and its links). */
export const DomainListSchema = list('domains', DomainSchema);
/** A list answer: `{ roles: [...] }` (and its links). */
export const RoleListSchema = list('roles', RoleSchema);
/** A list answer: `{ role_assignments: [...] }` (and its links). */
export const RoleAssignmentListSchema = list('role_assignments', RoleAssignmentSchema);

/** The answer to creating an application credential; `secret` is shown only here. */
export const ApplicationCredentialBodySchema = z.looseObject({
  application_credential: z.looseObject({
    id: z.string(),
    name: z.string(),
    secret: z.string(),
    project_id: z.string().nullish(),
  }),
});
