import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import type { AuditLog } from '../runtime/audit-log.js';
import type { ExchangeEvents } from '../runtime/events.js';
import { type ActionOptions, SYSTEM_PRINCIPAL } from '../runtime/principal.js';
import type { TypedEmitter } from '../runtime/typed-emitter.js';
import { IdSchema } from '../spec/primitives.js';
import type { Store } from '../store/store.js';

/** An organization (a university, a company): the sponsor of projects, billed for them. */
export const OrganizationSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1).max(200),
    /** E-mail or scoped-affiliation domains that map a signed-in user to this organization. */
    domains: z.array(z.string().min(1).max(253)).default([]),
  })
  .strict();
export type Organization = z.output<typeof OrganizationSchema>;

/** A person known to the exchange, usually from their identity provider. */
export const UserSchema = z
  .object({
    id: IdSchema,
    organization: IdSchema,
    name: z.string().min(1).max(200),
    email: z.email(),
    /** `left`: the identity provider or an admin said the user is gone. */
    status: z.enum(['active', 'left']).default('active'),
    /** The identity provider's issuer and subject, when the user signed in with one. */
    identity: z
      .object({ issuer: z.string().min(1), subject: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();
export type User = z.output<typeof UserSchema>;

/** A project: what services are signed up for and bills are made out to. */
export const ProjectSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1).max(200),
    organization: IdSchema,
    /** The project lead (a user id), named on the bill. */
    lead: IdSchema,
    description: z.string().max(2000).optional(),
    status: z.enum(['active', 'closed']).default('active'),
  })
  .strict();
export type Project = z.output<typeof ProjectSchema>;

/** A user's role in a project. */
export const MembershipSchema = z
  .object({ project: IdSchema, user: IdSchema, role: z.string().min(1).max(64) })
  .strict();
export type Membership = z.output<typeof MembershipSchema>;

const ORGANIZATIONS = 'organizations';
const USERS = 'users';
const PROJECTS = 'projects';
const MEMBERSHIPS = 'memberships';

/**
 * The exchange's own record of organizations, users, projects and memberships, kept in the
 * Store. Every change is audited and emitted as an event.
 */
export class Directory {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly events: TypedEmitter<ExchangeEvents>,
  ) {}

  async upsertOrganization(
    input: z.input<typeof OrganizationSchema>,
    options: ActionOptions = {},
  ): Promise<Organization> {
    const organization = parseWith(OrganizationSchema, input, { what: 'organization' });
    await this.store.put(ORGANIZATIONS, organization.id, organization);
    await this.#record(options, 'organization.upsert', 'organization', organization.id);
    return organization;
  }

  async organization(id: string): Promise<Organization | undefined> {
    return (
      await this.store.get<Organization>(
        ORGANIZATIONS,
        parseWith(IdSchema, id, { what: 'organization id', prefix: 'organization' }),
      )
    )?.value;
  }

  async organizations(): Promise<Organization[]> {
    return collect(this.store.list<Organization>(ORGANIZATIONS));
  }

  /** The organization whose domains include this domain (case-insensitive), if any. */
  async organizationForDomain(domain: string): Promise<Organization | undefined> {
    const wanted = domain.toLowerCase();
    return (await this.organizations()).find((organization) =>
      organization.domains.some((candidate) => candidate.toLowerCase() === wanted),
    );
  }

  async upsertUser(input: z.input<typeof UserSchema>, options: ActionOptions = {}): Promise<User> {
    const user = parseWith(UserSchema, input, { what: 'user' });
    await this.#requireOrganization(user.organization, 'organization');
    const previous = await this.user(user.id);
    await this.store.put(USERS, user.id, user);
    await this.#record(options, 'user.upsert', 'user', user.id);
    if (previous === undefined) this.events.emit('user.created', { user: user.id, organization: user.organization });
    return user;
  }

  async user(id: string): Promise<User | undefined> {
    return (await this.store.get<User>(USERS, parseWith(IdSchema, id, { what: 'user id', prefix: 'user' })))?.value;
  }

  async users(): Promise<User[]> {
    return collect(this.store.list<User>(USERS));
  }

  async createProject(input: z.input<typeof ProjectSchema>, options: ActionOptions = {}): Promise<Project> {
    const project = parseWith(ProjectSchema, input, { what: 'project' });
    await this.#requireOrganization(project.organization, 'organization');
    const lead = await this.user(project.lead);
    if (lead === undefined) throw refused('not-found', `No user ${project.lead}`, 'lead');
    try {
      await this.store.batch([
        { type: 'put', collection: PROJECTS, key: project.id, value: project, expectedVersion: 0 },
        {
          type: 'put',
          collection: MEMBERSHIPS,
          key: `${project.id}/${lead.id}`,
          value: { project: project.id, user: lead.id, role: 'admin' },
        },
      ]);
    } catch (error) {
      if (OcxError.is(error) && error.code === 'conflict')
        throw refused('conflict', `Project ${project.id} already exists`, 'id');
      throw error;
    }
    await this.#record(options, 'project.create', 'project', project.id);
    this.events.emit('project.created', {
      project: project.id,
      organization: project.organization,
      lead: project.lead,
    });
    return project;
  }

  async project(id: string): Promise<Project | undefined> {
    return (await this.store.get<Project>(PROJECTS, parseWith(IdSchema, id, { what: 'project id', prefix: 'project' })))
      ?.value;
  }

  async projects(): Promise<Project[]> {
    return collect(this.store.list<Project>(PROJECTS));
  }

  /** Mark a project closed (offboarding releases its resources). */
  async markProjectClosed(id: string, options: ActionOptions = {}): Promise<Project> {
    const project = await this.requireProject(id);
    const closed: Project = { ...project, status: 'closed' };
    await this.store.put(PROJECTS, id, closed);
    await this.#record(options, 'project.close', 'project', id);
    return closed;
  }

  /** Mark a user as gone. */
  async markUserLeft(id: string, options: ActionOptions = {}): Promise<User> {
    const user = await this.user(id);
    if (user === undefined) throw refused('not-found', `No user ${id}`, 'user');
    const left: User = { ...user, status: 'left' };
    await this.store.put(USERS, id, left);
    await this.#record(options, 'user.left', 'user', id);
    return left;
  }

  async addMember(input: z.input<typeof MembershipSchema>, options: ActionOptions = {}): Promise<Membership> {
    const membership = parseWith(MembershipSchema, input, { what: 'membership' });
    await this.requireProject(membership.project);
    if ((await this.user(membership.user)) === undefined)
      throw refused('not-found', `No user ${membership.user}`, 'user');
    await this.store.put(MEMBERSHIPS, `${membership.project}/${membership.user}`, membership);
    await this.#record(options, 'membership.add', 'project', membership.project, {
      user: membership.user,
      role: membership.role,
    });
    return membership;
  }

  async removeMember(input: { project: string; user: string }, options: ActionOptions = {}): Promise<void> {
    const { project, user } = parseWith(z.object({ project: IdSchema, user: IdSchema }).strict(), input, {
      what: 'membership',
    });
    await this.store.delete(MEMBERSHIPS, `${project}/${user}`);
    await this.#record(options, 'membership.remove', 'project', project, { user });
  }

  async members(project: string): Promise<Membership[]> {
    parseWith(IdSchema, project, { what: 'project id', prefix: 'project' });
    return collect(this.store.list<Membership>(MEMBERSHIPS, { prefix: `${project}/` }));
  }

  /** Every project a user belongs to. */
  async membershipsOf(user: string): Promise<Membership[]> {
    parseWith(IdSchema, user, { what: 'user id', prefix: 'user' });
    return (await collect(this.store.list<Membership>(MEMBERSHIPS))).filter((membership) => membership.user === user);
  }

  async requireProject(id: string): Promise<Project> {
    const project = await this.project(id);
    if (project === undefined) throw refused('not-found', `No project ${id}`, 'project');
    return project;
  }

  async #requireOrganization(id: string, path: string): Promise<void> {
    if ((await this.organization(id)) === undefined) throw refused('not-found', `No organization ${id}`, path);
  }

  async #record(
    options: ActionOptions,
    action: string,
    type: string,
    id: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record({
      actor: options.actor ?? SYSTEM_PRINCIPAL,
      action,
      target: { type, id },
      outcome: 'success',
      ...(details === undefined ? {} : { details }),
    });
  }
}

function refused(code: 'not-found' | 'conflict', message: string, path: string): OcxError {
  return new OcxError({ code, message, issues: [{ path, message }], fault: 'client' });
}

async function collect<T>(items: AsyncIterable<{ value: T }>): Promise<T[]> {
  const values: T[] = [];
  for await (const item of items) values.push(item.value);
  return values;
}
