import { z } from 'zod';
import { Decimal } from '../../money/decimal.js';
import type { QuotaProvider } from '../../spec/interfaces/quota-provider.js';
import { DecimalStringSchema } from '../../spec/primitives.js';
import { checkInput, checkSignal, NameSchema } from './checks.js';
import type { ReferenceState } from './state.js';

/** The reference landlord's quotas: whole, non-negative numbers per resource. */
export function createReferenceQuotaProvider(state: ReferenceState, resources: readonly string[]): QuotaProvider {
  const LimitSchema = DecimalStringSchema.refine(
    (value) => !Decimal.from(value).isNegative() && Decimal.from(value).round(0).equals(value),
    'must be a whole, non-negative number',
  ).nullable();
  const LimitsSchema = z.partialRecord(z.enum(resources as [string, ...string[]]), LimitSchema);

  const inUse = (project: string, resource: string): string => {
    if (resource === 'nodes')
      return String([...state.nodes.values()].filter((node) => node.project === project).length);
    if (resource === 'networks')
      return String([...state.networks.values()].filter((network) => network.owner === project).length);
    return '0';
  };
  const report = (project: string) => {
    const limits = state.quotas.get(project) ?? new Map<string, string | null>();
    return resources.map((resource) => ({
      resource,
      limit: limits.get(resource) ?? null,
      inUse: inUse(project, resource),
    }));
  };

  return {
    resources,
    async getQuotas(project, options) {
      checkSignal(options, 'getQuotas');
      return report(checkInput(NameSchema, project, 'getQuotas'));
    },
    async setQuotas(project, limits, options) {
      const id = checkInput(NameSchema, project, 'setQuotas');
      const parsed = checkInput(LimitsSchema, limits, 'setQuotas');
      checkSignal(options, 'setQuotas');
      const current = state.quotas.get(id) ?? new Map<string, string | null>();
      for (const [resource, limit] of Object.entries(parsed)) {
        if (limit !== undefined) current.set(resource, limit === null ? null : Decimal.from(limit).toString());
      }
      state.quotas.set(id, current);
      return report(id);
    },
  };
}
