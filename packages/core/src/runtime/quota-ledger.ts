import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import { Decimal } from '../money/decimal.js';
import { DecimalStringSchema, IdSchema } from '../spec/primitives.js';
import { type Quota, QuotaScopeSchema, type QuotaUsage } from '../spec/quota.js';
import type { Store } from '../store/store.js';
import type { AuditLog } from './audit-log.js';
import type { Clock } from './clock.js';
import type { ExchangeEvents } from './events.js';
import { type ActionOptions, SYSTEM_PRINCIPAL } from './principal.js';
import type { LandlordRegistry } from './registry.js';
import type { TypedEmitter } from './typed-emitter.js';

/** Input of {@link QuotaLedger.set}. */
export const SetQuotasInputSchema = z
  .object({
    landlord: IdSchema,
    service: IdSchema,
    scope: QuotaScopeSchema,
    limits: z
      .record(z.string().min(1).max(64), DecimalStringSchema.nullable())
      .refine((limits) => Object.keys(limits).length > 0, 'name at least one resource'),
    unit: z.string().optional(),
  })
  .strict();
export type SetQuotasInput = z.input<typeof SetQuotasInputSchema>;

/** Filters of quota history and current quotas. */
export const QuotaFilterSchema = z
  .object({
    landlord: IdSchema.optional(),
    service: IdSchema.optional(),
    scope: QuotaScopeSchema.optional(),
    resource: z.string().min(1).optional(),
  })
  .strict();
export type QuotaFilter = z.input<typeof QuotaFilterSchema>;

const HISTORY_LOG = 'quota-history';
const CURRENT = 'quotas';

/**
 * The exchange's quota ledger: it sets limits in the landlords' services (through their
 * `QuotaProvider`) and keeps every version, because some services bill on quota.
 */
export class QuotaLedger {
  constructor(
    private readonly store: Store,
    private readonly registry: LandlordRegistry,
    private readonly audit: AuditLog,
    private readonly events: TypedEmitter<ExchangeEvents>,
    private readonly clock: Clock,
  ) {}

  /**
   * Set limits for a scope in one service. For a project scope on a service with a quota
   * provider, the provider applies them first (refusing resources it does not know); the
   * ledger then records one history entry per resource.
   */
  async set(input: SetQuotasInput, options: ActionOptions = {}): Promise<Quota[]> {
    const request = parseWith(SetQuotasInputSchema, input, { what: 'quota change' });
    const handle = this.registry.service(request.landlord, request.service);
    const provider = handle.driver.quotas;
    if (provider !== undefined) {
      const unknown = Object.keys(request.limits).filter((resource) => !provider.resources.includes(resource));
      if (unknown.length > 0) {
        throw new OcxError({
          code: 'validation',
          message: `Service ${request.landlord}/${request.service} has no quota for ${unknown.join(', ')}; it knows ${provider.resources.join(', ')}`,
          issues: unknown.map((resource) => ({ path: `limits.${resource}`, message: 'unknown resource' })),
          fault: 'client',
        });
      }
      if (request.scope.kind === 'project') {
        await provider.setQuotas(request.scope.id, request.limits, {
          signal: options.signal,
          actor: options.actor ?? SYSTEM_PRINCIPAL,
        });
      }
    }
    const effectiveFrom = this.clock.now().toISOString();
    const quotas: Quota[] = Object.entries(request.limits).map(([resource, limit]) => ({
      scope: request.scope,
      landlord: request.landlord,
      service: request.service,
      resource,
      limit,
      ...(request.unit === undefined ? {} : { unit: request.unit }),
      effectiveFrom,
    }));
    const previous = await Promise.all(quotas.map((quota) => this.store.get<Quota>(CURRENT, currentKey(quota))));
    await this.store.batch([
      { type: 'append', log: HISTORY_LOG, entries: quotas },
      ...quotas.map((quota) => ({ type: 'put' as const, collection: CURRENT, key: currentKey(quota), value: quota })),
    ]);
    await this.audit.record({
      actor: options.actor ?? SYSTEM_PRINCIPAL,
      action: 'quota.set',
      target: { type: request.scope.kind, id: request.scope.id },
      landlord: request.landlord,
      outcome: 'success',
      details: { service: request.service, limits: request.limits },
    });
    for (const [index, quota] of quotas.entries()) {
      this.events.emit('quota.changed', { quota, previousLimit: previous[index]?.value.limit });
    }
    return quotas;
  }

  /** Every version of the matching quotas, oldest first. */
  async history(filter: QuotaFilter = {}): Promise<Quota[]> {
    const query = parseWith(QuotaFilterSchema, filter, { what: 'quota filter' });
    const results: Quota[] = [];
    for await (const { entry } of this.store.readLog<Quota>(HISTORY_LOG))
      if (matches(entry, query)) results.push(entry);
    return results;
  }

  /** The limits in force now. */
  async current(filter: QuotaFilter = {}): Promise<Quota[]> {
    const query = parseWith(QuotaFilterSchema, filter, { what: 'quota filter' });
    const results: Quota[] = [];
    for await (const { value } of this.store.list<Quota>(CURRENT)) if (matches(value, query)) results.push(value);
    return results;
  }

  /**
   * Ask the service what a project uses against its limits, and emit `quota.breached` for each
   * resource at or over its limit.
   */
  async check(
    input: { landlord: string; service: string; project: string },
    options: ActionOptions = {},
  ): Promise<QuotaUsage[]> {
    const handle = this.registry.service(input.landlord, input.service);
    parseWith(IdSchema, input.project, { what: 'project id', prefix: 'project' });
    const provider = handle.driver.quotas;
    if (provider === undefined) {
      throw new OcxError({
        code: 'capability',
        message: `Service ${input.landlord}/${input.service} has no quotas`,
        fault: 'client',
      });
    }
    const usage = await provider.getQuotas(input.project, { signal: options.signal });
    for (const item of usage) {
      if (item.limit === null || item.inUse === undefined) continue;
      // At or over a limit is a breach; nothing used of a zero limit (a closed quota) is not.
      const comparison = Decimal.from(item.inUse).compare(item.limit);
      if (comparison > 0 || (comparison === 0 && !Decimal.from(item.limit).isZero())) {
        this.events.emit('quota.breached', {
          quota: {
            scope: { kind: 'project', id: input.project },
            landlord: input.landlord,
            service: input.service,
            resource: item.resource,
            limit: item.limit,
            effectiveFrom: this.clock.now().toISOString(),
          },
          inUse: item.inUse,
        });
      }
    }
    return usage;
  }
}

function currentKey(quota: Quota): string {
  return [quota.landlord, quota.service, quota.scope.kind, quota.scope.id, quota.resource].join('/');
}

function matches(quota: Quota, filter: z.output<typeof QuotaFilterSchema>): boolean {
  return (
    (filter.landlord === undefined || quota.landlord === filter.landlord) &&
    (filter.service === undefined || quota.service === filter.service) &&
    (filter.resource === undefined || quota.resource === filter.resource) &&
    (filter.scope === undefined || (quota.scope.kind === filter.scope.kind && quota.scope.id === filter.scope.id))
  );
}
