import type { EnclaveService, EnclaveView } from '../enclave/enclave-service.js';
import { parseWith } from '../errors/validation.js';
import type { AuditEntry, AuditLog } from '../runtime/audit-log.js';
import type { QuotaLedger } from '../runtime/quota-ledger.js';
import { IdSchema } from '../spec/primitives.js';
import type { Quota } from '../spec/quota.js';
import type { Directory, Membership, Project, User } from './directory.js';
import type { Onboarding } from './onboarding.js';
import type { Subscription } from './subscription.js';

/** What support staff see about one user: who, what they did, what they hold, where. */
export interface UserReport {
  user: User;
  memberships: Membership[];
  projects: Project[];
  /** Where they hold things: each project's subscriptions to landlords' services. */
  subscriptions: Subscription[];
  enclaves: EnclaveView[];
  quotas: Quota[];
  /** What they did, newest last. */
  actions: AuditEntry[];
}

/** Answers for support staff: "what did this user do, what do they hold, where". */
export class Support {
  constructor(
    private readonly deps: {
      directory: Directory;
      onboarding: Onboarding;
      enclaves: EnclaveService;
      quotas: QuotaLedger;
      audit: AuditLog;
    },
  ) {}

  async user(id: string, options: { since?: string; limit?: number } = {}): Promise<UserReport | undefined> {
    parseWith(IdSchema, id, { what: 'user id', prefix: 'user' });
    const user = await this.deps.directory.user(id);
    if (user === undefined) return undefined;
    const memberships = await this.deps.directory.membershipsOf(id);
    const projectIds = new Set(memberships.map((membership) => membership.project));
    const ledProjects = (await this.deps.directory.projects()).filter((project) => project.lead === id);
    for (const project of ledProjects) projectIds.add(project.id);
    const projects = (await Promise.all([...projectIds].map((project) => this.deps.directory.project(project)))).filter(
      (project): project is Project => project !== undefined,
    );
    const subscriptions = (
      await Promise.all([...projectIds].map((project) => this.deps.onboarding.subscriptions({ project })))
    ).flat();
    const enclaves = (await this.deps.enclaves.list()).filter((enclave) => projectIds.has(enclave.project));
    const quotas = (await this.deps.quotas.current()).filter(
      (quota) =>
        (quota.scope.kind === 'project' && projectIds.has(quota.scope.id)) ||
        (quota.scope.kind === 'user' && quota.scope.id === id),
    );
    const actions = await this.deps.audit.query({
      actor: id,
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    return { user, memberships, projects, subscriptions, enclaves, quotas, actions };
  }
}
