import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import type { AuditLog } from '../runtime/audit-log.js';
import type { Clock } from '../runtime/clock.js';
import type { ExchangeEvents } from '../runtime/events.js';
import type { Logger } from '../runtime/logger.js';
import { type ActionOptions, type Principal, SYSTEM_PRINCIPAL } from '../runtime/principal.js';
import type { QuotaLedger } from '../runtime/quota-ledger.js';
import type { LandlordRegistry } from '../runtime/registry.js';
import type { TypedEmitter } from '../runtime/typed-emitter.js';
import { IdSchema } from '../spec/primitives.js';
import type { Store } from '../store/store.js';
import type { Directory } from './directory.js';
import {
  type ApprovalPolicy,
  ApprovalPolicySchema,
  type SignUpInput,
  SignUpInputSchema,
  type Subscription,
  subscriptionId,
} from './subscription.js';

const SUBSCRIPTIONS = 'subscriptions';
const POLICIES = 'approval-policies';

/** The pieces onboarding and offboarding share. */
export interface WorkflowDependencies {
  store: Store;
  registry: LandlordRegistry;
  directory: Directory;
  quotas: QuotaLedger;
  audit: AuditLog;
  events: TypedEmitter<ExchangeEvents>;
  clock: Clock;
  logger: Logger;
}

/**
 * Self sign-up with no human step: a project signs up for services, and for each one the
 * workflow creates the project in the service (Tenancy), adds the members, sets the quotas
 * (QuotaProvider) and records every step. A landlord may require approval for its service.
 */
export class Onboarding {
  constructor(private readonly deps: WorkflowDependencies) {}

  /** Attach an approval policy to a landlord's own service. */
  async setApprovalPolicy(
    input: { landlord: string; service: string; policy: ApprovalPolicy },
    options: ActionOptions = {},
  ): Promise<void> {
    const policy = parseWith(ApprovalPolicySchema, input.policy, { what: 'approval policy', prefix: 'policy' });
    this.deps.registry.service(input.landlord, input.service);
    await this.deps.store.put(POLICIES, `${input.landlord}/${input.service}`, policy);
    await this.#audit(
      options.actor,
      'approval-policy.set',
      { type: 'service', id: `${input.landlord}/${input.service}` },
      input.landlord,
      { policy },
    );
  }

  /**
   * Sign a project up for services. Idempotent: signing up again for an active service changes
   * nothing. Returns each subscription as it ended (active, awaiting approval, denied or failed).
   *
   * @example
   * ```ts
   * await exchange.onboarding.signUp({ project: 'genomics', services: [
   *   { landlord: 'nerc', service: 'openstack', quotas: { cores: '64' } },
   *   { landlord: 'acme', service: 'ceph' },
   * ] }, { actor: { kind: 'user', id: 'alice' } });
   * ```
   */
  async signUp(input: SignUpInput, options: ActionOptions = {}): Promise<Subscription[]> {
    const request = parseWith(SignUpInputSchema, input, { what: 'sign-up' });
    const project = await this.deps.directory.requireProject(request.project);
    if (project.status !== 'active')
      throw new OcxError({ code: 'state', message: `Project ${project.id} is closed`, fault: 'client' });
    request.services.forEach((service, index) => {
      const handle = this.deps.registry.service(service.landlord, service.service);
      if (handle.driver.tenancy === undefined) {
        throw new OcxError({
          code: 'capability',
          message: `${service.landlord}/${service.service} offers no tenancy`,
          issues: [{ path: `services.${index}`, message: 'needs tenancy' }],
          fault: 'client',
        });
      }
    });
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    const results: Subscription[] = [];
    for (const service of request.services) {
      let subscription = await this.#subscription(subscriptionId(project.id, service.landlord, service.service));
      if (
        subscription === undefined ||
        subscription.status === 'failed' ||
        subscription.status === 'purged' ||
        subscription.status === 'denied'
      ) {
        subscription = await this.#save({
          id: subscriptionId(project.id, service.landlord, service.service),
          project: project.id,
          landlord: service.landlord,
          service: service.service,
          status: 'provisioning',
          ...(service.quotas === undefined ? {} : { quotas: service.quotas }),
          done: [],
          requestedBy: actor.id,
          requestedAt: this.deps.clock.now().toISOString(),
          updatedAt: this.deps.clock.now().toISOString(),
        });
        const decision = await this.#decide(subscription, project.organization);
        if (decision !== 'approve') {
          subscription = await this.#save({
            ...subscription,
            status: decision === 'deny' ? 'denied' : 'awaiting-approval',
          });
          results.push(subscription);
          continue;
        }
      }
      results.push(
        subscription.status === 'provisioning'
          ? await this.#provision(subscription, actor, options.signal)
          : subscription,
      );
    }
    return results;
  }

  /** A landlord approves a sign-up that waits for it; provisioning follows at once. */
  async approve(id: string, options: ActionOptions = {}): Promise<Subscription> {
    const subscription = await this.#require(id);
    if (subscription.status !== 'awaiting-approval')
      throw new OcxError({ code: 'state', message: `Subscription ${id} is ${subscription.status}`, fault: 'client' });
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    await this.#audit(actor, 'subscription.approve', { type: 'subscription', id }, subscription.landlord);
    return this.#provision(await this.#save({ ...subscription, status: 'provisioning' }), actor, options.signal);
  }

  /** A landlord refuses a sign-up that waits for it. */
  async deny(id: string, options: ActionOptions = {}): Promise<Subscription> {
    const subscription = await this.#require(id);
    if (subscription.status !== 'awaiting-approval')
      throw new OcxError({ code: 'state', message: `Subscription ${id} is ${subscription.status}`, fault: 'client' });
    await this.#audit(options.actor, 'subscription.deny', { type: 'subscription', id }, subscription.landlord);
    return this.#save({ ...subscription, status: 'denied' });
  }

  async subscriptions(filter: { project?: string; landlord?: string } = {}): Promise<Subscription[]> {
    const all: Subscription[] = [];
    for await (const item of this.deps.store.list<Subscription>(
      SUBSCRIPTIONS,
      filter.project === undefined ? {} : { prefix: `${filter.project}/` },
    ))
      all.push(item.value);
    return all.filter((subscription) => filter.landlord === undefined || subscription.landlord === filter.landlord);
  }

  /** After a crash: finish provisioning that was under way and retry unfinished rollbacks. */
  async resume(options: ActionOptions = {}): Promise<Subscription[]> {
    const actor = options.actor ?? SYSTEM_PRINCIPAL;
    const resumed: Subscription[] = [];
    for (const subscription of await this.subscriptions()) {
      if (subscription.status === 'provisioning')
        resumed.push(await this.#provision(subscription, actor, options.signal));
      else if (subscription.status === 'failed' && subscription.cleanupPending === true)
        resumed.push(await this.#rollBack(subscription, actor));
    }
    return resumed;
  }

  async #provision(start: Subscription, actor: Principal, signal: AbortSignal | undefined): Promise<Subscription> {
    let subscription = start;
    const handle = this.deps.registry.service(subscription.landlord, subscription.service);
    const tenancy = handle.driver.tenancy!;
    const call = { signal, actor };
    try {
      const project = await this.deps.directory.requireProject(subscription.project);
      if (!subscription.done.includes('project')) {
        const created = await tenancy.ensureProject(
          {
            id: project.id,
            name: project.name,
            organization: project.organization,
            ...(project.description === undefined ? {} : { description: project.description }),
          },
          call,
        );
        subscription = await this.#save({
          ...subscription,
          externalId: created.externalId,
          done: [...subscription.done, 'project'],
        });
      }
      const roles = handle.driver.capabilities.tenancy?.roles ?? ['member'];
      for (const member of await this.deps.directory.members(project.id)) {
        const step = `member:${member.user}`;
        if (subscription.done.includes(step)) continue;
        const role = roles.includes(member.role) ? member.role : (roles[0] ?? 'member');
        await tenancy.ensureMember({ project: project.id, user: member.user, role }, call);
        subscription = await this.#save({ ...subscription, done: [...subscription.done, step] });
      }
      if (
        subscription.quotas !== undefined &&
        !subscription.done.includes('quotas') &&
        handle.driver.quotas !== undefined
      ) {
        await this.deps.quotas.set(
          {
            landlord: subscription.landlord,
            service: subscription.service,
            scope: { kind: 'project', id: project.id },
            limits: subscription.quotas,
          },
          { actor, signal },
        );
        subscription = await this.#save({ ...subscription, done: [...subscription.done, 'quotas'] });
      }
      subscription = await this.#save({ ...subscription, status: 'active' });
      await this.#audit(
        actor,
        'subscription.activate',
        { type: 'subscription', id: subscription.id },
        subscription.landlord,
      );
      return subscription;
    } catch (error) {
      const message = OcxError.is(error) ? `${error.code}: ${error.message}` : String(error);
      this.deps.logger.warn('Onboarding failed; rolling back', { subscription: subscription.id, error: message });
      return this.#rollBack({ ...subscription, error: message }, actor);
    }
  }

  /** Undo what provisioning did in the service; if that fails too, leave it for `resume()`. */
  async #rollBack(subscription: Subscription, actor: Principal): Promise<Subscription> {
    const tenancy = this.deps.registry.service(subscription.landlord, subscription.service).driver.tenancy!;
    try {
      if (subscription.done.includes('project')) await tenancy.deleteProject(subscription.project, { actor });
      const rolledBack = await this.#save({ ...subscription, status: 'failed', done: [], cleanupPending: false });
      await this.#audit(
        actor,
        'subscription.rollback',
        { type: 'subscription', id: subscription.id },
        subscription.landlord,
        { error: subscription.error },
        'failure',
      );
      return rolledBack;
    } catch (error) {
      this.deps.logger.error('Rolling back a sign-up failed; resume() will retry', {
        subscription: subscription.id,
        error: String(error),
      });
      return this.#save({ ...subscription, status: 'failed', cleanupPending: true });
    }
  }

  async #decide(subscription: Subscription, organization: string): Promise<'approve' | 'deny' | 'wait'> {
    const policy = (
      await this.deps.store.get<ApprovalPolicy>(POLICIES, `${subscription.landlord}/${subscription.service}`)
    )?.value ?? { mode: 'automatic' };
    if (policy.mode === 'automatic') return 'approve';
    if (policy.mode === 'manual') return 'wait';
    return policy.allow.includes(organization) ? 'approve' : 'deny';
  }

  async #subscription(id: string): Promise<Subscription | undefined> {
    return (await this.deps.store.get<Subscription>(SUBSCRIPTIONS, id))?.value;
  }

  async #require(id: string): Promise<Subscription> {
    for (const part of id.split('/')) parseWith(IdSchema, part, { what: 'subscription id', prefix: 'id' });
    const subscription = await this.#subscription(id);
    if (subscription === undefined)
      throw new OcxError({ code: 'not-found', message: `No subscription ${id}`, fault: 'client' });
    return subscription;
  }

  #save(subscription: Subscription): Promise<Subscription> {
    return saveSubscription(this.deps, subscription);
  }

  async #audit(
    actor: Principal | undefined,
    action: string,
    target: { type: string; id: string },
    landlord: string,
    details?: Record<string, unknown>,
    outcome: 'success' | 'failure' = 'success',
  ): Promise<void> {
    await this.deps.audit.record({
      actor: actor ?? SYSTEM_PRINCIPAL,
      action,
      target,
      landlord,
      outcome,
      ...(details === undefined ? {} : { details }),
    });
  }
}

/** Save a subscription through the same path (for offboarding). */
export async function saveSubscription(deps: WorkflowDependencies, subscription: Subscription): Promise<Subscription> {
  const previous = (await deps.store.get<Subscription>(SUBSCRIPTIONS, subscription.id))?.value;
  const next = { ...subscription, updatedAt: deps.clock.now().toISOString() };
  await deps.store.put(SUBSCRIPTIONS, subscription.id, next);
  if (previous?.status !== next.status) {
    deps.events.emit('subscription.changed', {
      subscription: next.id,
      project: next.project,
      landlord: next.landlord,
      service: next.service,
      status: next.status,
    });
  }
  return next;
}
