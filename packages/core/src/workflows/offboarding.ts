import { z } from 'zod';
import type { EnclaveService } from '../enclave/enclave-service.js';
import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import { type ActionOptions, type Principal, SYSTEM_PRINCIPAL } from '../runtime/principal.js';
import { IdSchema } from '../spec/primitives.js';
import { type Onboarding, saveSubscription, type WorkflowDependencies } from './onboarding.js';
import type { Subscription } from './subscription.js';

/** How long a closed project's data is kept before it is deleted in the services. */
export const RetentionPolicySchema = z.object({ days: z.number().int().min(0).max(3650) }).strict();
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

const CLOSURES = 'project-closures';

/** The durable record of a project's closure. */
interface Closure {
  closedAt: string;
  /** Whether `project.closed` was emitted (exactly once, when everything was released). */
  announced: boolean;
}

/** What closing a project did. */
export interface ClosureReport {
  project: string;
  subscriptions: Subscription[];
  enclaves: string[];
  /** Subscriptions whose release failed; `resume()` retries them. */
  unfinished: string[];
}

/**
 * Offboarding: when a user leaves or a project closes, release everything held in every
 * service — servers, volumes, floating IPs, buckets, enclave nodes — close the quotas, disable
 * the projects and delete them after the retention period. Each step is recorded, so a crash
 * resumes to completion.
 */
export class Offboarding {
  constructor(
    private readonly deps: WorkflowDependencies & { enclaves: EnclaveService; onboarding: Onboarding },
    private readonly defaultRetention: RetentionPolicy = { days: 30 },
  ) {}

  /**
   * Close a project: destroy its enclaves, release its resources in every service, set its
   * quotas to zero, disable it, and schedule deletion after the retention period. Emits
   * `project.closed`, on which billing produces the final bill.
   */
  async closeProject(
    project: string,
    options: ActionOptions & { retention?: RetentionPolicy } = {},
  ): Promise<ClosureReport> {
    parseWith(IdSchema, project, { what: 'project id', prefix: 'project' });
    const retention = parseWith(RetentionPolicySchema, options.retention ?? this.defaultRetention, {
      what: 'retention policy',
      prefix: 'retention',
    });
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    const record = await this.deps.directory.requireProject(project);
    // The closure record makes closing resumable and the `project.closed` event happen once.
    const closure = (await this.deps.store.get<Closure>(CLOSURES, project))?.value ?? {
      closedAt: this.deps.clock.now().toISOString(),
      announced: false,
    };
    await this.deps.store.put(CLOSURES, project, closure);
    if (record.status !== 'closed') await this.deps.directory.markProjectClosed(project, { actor });
    const enclaves = (await this.deps.enclaves.list()).filter(
      (enclave) => enclave.project === project && enclave.status !== 'released',
    );
    for (const enclave of enclaves) await this.deps.enclaves.destroy(enclave.id, { actor });
    const report: ClosureReport = {
      project,
      subscriptions: [],
      enclaves: enclaves.map((enclave) => enclave.id),
      unfinished: [],
    };
    for (const subscription of await this.deps.onboarding.subscriptions({ project })) {
      if (!['active', 'releasing', 'awaiting-approval', 'provisioning'].includes(subscription.status)) continue;
      const released = await this.#release(subscription, retention, actor);
      report.subscriptions.push(released);
      if (released.status !== 'released') report.unfinished.push(released.id);
    }
    await this.deps.audit.record({
      actor,
      action: 'project.offboard',
      target: { type: 'project', id: project },
      outcome: report.unfinished.length === 0 ? 'success' : 'failure',
      details: { enclaves: report.enclaves, unfinished: report.unfinished },
    });
    if (!closure.announced && report.unfinished.length === 0) {
      await this.deps.store.put(CLOSURES, project, { ...closure, announced: true });
      this.deps.events.emit('project.closed', {
        project,
        organization: record.organization,
        closedAt: closure.closedAt,
      });
    }
    return report;
  }

  /**
   * A user left (their identity provider said so, or an admin): remove them from every project
   * in every service, and close the projects they led alone.
   */
  async userLeft(
    user: string,
    options: ActionOptions & { retention?: RetentionPolicy } = {},
  ): Promise<{ user: string; closedProjects: string[] }> {
    parseWith(IdSchema, user, { what: 'user id', prefix: 'user' });
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    const known = await this.deps.directory.user(user);
    if (known?.status !== 'left') await this.deps.directory.markUserLeft(user, { actor });
    const closedProjects: string[] = [];
    for (const membership of await this.deps.directory.membershipsOf(user)) {
      const project = await this.deps.directory.requireProject(membership.project);
      const others = (await this.deps.directory.members(project.id)).filter((member) => member.user !== user);
      // Order matters for resuming: the directory membership goes last, so a crash at any point
      // leaves it for a second run (or resume) to find and finish from.
      for (const subscription of await this.deps.onboarding.subscriptions({ project: project.id })) {
        if (subscription.status !== 'active') continue;
        const tenancy = this.deps.registry.service(subscription.landlord, subscription.service).driver.tenancy!;
        await tenancy.removeMember({ project: project.id, user }, { actor });
      }
      if (project.lead === user && !others.some((member) => member.role === 'admin')) {
        await this.closeProject(project.id, {
          actor,
          ...(options.retention === undefined ? {} : { retention: options.retention }),
        });
        closedProjects.push(project.id);
      }
      await this.deps.directory.removeMember({ project: project.id, user }, { actor });
    }
    this.deps.events.emit('user.left', { user, closedProjects });
    return { user, closedProjects };
  }

  /** Delete, in each service, the released projects whose retention period is over. */
  async purgeDue(options: ActionOptions = {}): Promise<Subscription[]> {
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    const now = this.deps.clock.now().getTime();
    const purged: Subscription[] = [];
    for (const subscription of await this.deps.onboarding.subscriptions()) {
      if (
        subscription.status !== 'released' ||
        subscription.purgeAfter === undefined ||
        Date.parse(subscription.purgeAfter) > now
      )
        continue;
      const tenancy = this.deps.registry.service(subscription.landlord, subscription.service).driver.tenancy!;
      await tenancy.deleteProject(subscription.project, { actor });
      purged.push(await saveSubscription(this.deps, { ...subscription, status: 'purged' }));
    }
    return purged;
  }

  /**
   * After a crash: finish every departure and closure that was under way — users marked as
   * gone who still have memberships, closed projects with subscriptions not yet released or a
   * closure not yet announced, and releases in progress.
   */
  async resume(options: ActionOptions = {}): Promise<Subscription[]> {
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    for (const user of await this.deps.directory.users()) {
      if (user.status === 'left' && (await this.deps.directory.membershipsOf(user.id)).length > 0)
        await this.userLeft(user.id, { actor });
    }
    for (const project of await this.deps.directory.projects()) {
      if (project.status !== 'closed') continue;
      const closure = (await this.deps.store.get<Closure>(CLOSURES, project.id))?.value;
      const open = (await this.deps.onboarding.subscriptions({ project: project.id })).some((subscription) =>
        ['active', 'releasing', 'provisioning'].includes(subscription.status),
      );
      if (open || closure?.announced !== true) await this.closeProject(project.id, { actor });
    }
    const resumed: Subscription[] = [];
    for (const subscription of await this.deps.onboarding.subscriptions()) {
      if (subscription.status === 'releasing')
        resumed.push(await this.#release(subscription, this.defaultRetention, actor));
    }
    return resumed;
  }

  async #release(start: Subscription, retention: RetentionPolicy, actor: Principal): Promise<Subscription> {
    let subscription =
      start.status === 'releasing' ? start : await saveSubscription(this.deps, { ...start, status: 'releasing' });
    const handle = this.deps.registry.service(subscription.landlord, subscription.service);
    const tenancy = handle.driver.tenancy!;
    const call = { actor };
    try {
      if (!subscription.done.includes('resources') && tenancy.releaseResources !== undefined) {
        const released = await tenancy.releaseResources(subscription.project, call);
        subscription = await saveSubscription(this.deps, {
          ...subscription,
          released: [...(subscription.released ?? []), ...released],
          done: [...subscription.done, 'resources'],
        });
      }
      if (!subscription.done.includes('quotas-closed') && handle.driver.quotas !== undefined) {
        const open = await this.deps.quotas.current({
          landlord: subscription.landlord,
          service: subscription.service,
          scope: { kind: 'project', id: subscription.project },
        });
        if (open.length > 0) {
          const limits = Object.fromEntries(open.map((quota) => [quota.resource, '0']));
          await this.deps.quotas.set(
            {
              landlord: subscription.landlord,
              service: subscription.service,
              scope: { kind: 'project', id: subscription.project },
              limits,
            },
            { actor },
          );
        }
        subscription = await saveSubscription(this.deps, {
          ...subscription,
          done: [...subscription.done, 'quotas-closed'],
        });
      }
      if (!subscription.done.includes('disabled')) {
        await tenancy.disableProject(subscription.project, call).catch((error: unknown) => {
          if (!(OcxError.is(error) && error.code === 'not-found')) throw error;
        });
        subscription = await saveSubscription(this.deps, { ...subscription, done: [...subscription.done, 'disabled'] });
      }
      const purgeAfter = new Date(this.deps.clock.now().getTime() + retention.days * 86_400_000).toISOString();
      return await saveSubscription(this.deps, { ...subscription, status: 'released', purgeAfter });
    } catch (error) {
      this.deps.logger.error('Releasing a subscription failed; resume() will retry', {
        subscription: subscription.id,
        error: String(error),
      });
      return subscription;
    }
  }
}
