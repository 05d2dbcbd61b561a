import { type CallOptions, OcxError, type QuotaProvider, type QuotaUsage } from '@ocx/core';
import type { CinderClient } from '../cinder/cinder-client.js';
import type { NeutronClient } from '../neutron/neutron-client.js';
import type { NovaClient, QuotaDetail } from '../nova/nova-client.js';
import type { SwiftClient } from '../swift/swift-client.js';
import type { ProjectDirectory } from '../tenancy/project-directory.js';
import { QUOTA_RESOURCES, type QuotaService } from './quota-resources.js';
import { type ParsedLimit, parseQuotaLimits, refuseBelowUsage } from './quota-values.js';

/** The service clients quotas are read from and written to. */
export interface QuotaClients {
  nova?: NovaClient;
  cinder?: CinderClient;
  neutron?: NeutronClient;
  swift?: SwiftClient;
}

/** One quota as read, normalised across services: limits as text (`null` unlimited), use as text. */
interface ReadQuota {
  limit: string | null;
  inUse: string;
  reserved?: string;
}
type Details = Record<string, ReadQuota>;

const wire = (limit: ParsedLimit): number => (limit === null ? -1 : Number(limit));

function normalise(details: Record<string, QuotaDetail>): Details {
  const result: Details = {};
  for (const [key, detail] of Object.entries(details)) {
    result[key] = {
      limit: detail.limit < 0 ? null : String(detail.limit),
      inUse: String(detail.inUse),
      reserved: String(detail.reserved),
    };
  }
  return result;
}

/**
 * Quotas over Nova (`cores`, `ram-mb`, `instances`), Cinder (`volumes`, `gigabytes`), Neutron
 * (`floating-ips`) and Swift (`swift-bytes`, the account's byte quota). Limits are exact decimal
 * strings, `null` for unlimited (the services' `-1`); what is in use comes from Nova's and
 * Cinder's `in_use`, Neutron's `used` and Swift's `X-Account-Bytes-Used`.
 */
export function createOpenStackQuotaProvider(
  directory: ProjectDirectory,
  clients: QuotaClients,
  resources: readonly string[],
): QuotaProvider {
  const services = new Set(resources.map((resource) => QUOTA_RESOURCES[resource]!.service));

  const readService = async (service: QuotaService, projectId: string, options: CallOptions): Promise<Details> => {
    switch (service) {
      case 'nova':
        return normalise(await clients.nova!.getQuotas(projectId, options));
      case 'cinder':
        return normalise(await clients.cinder!.getQuotas(projectId, options));
      case 'neutron':
        return normalise(await clients.neutron!.getQuotas(projectId, options));
      case 'swift': {
        const usage = await clients.swift!.headAccount(projectId, options);
        return { [QUOTA_RESOURCES['swift-bytes']!.key]: { limit: usage.quotaBytes ?? null, inUse: usage.bytesUsed } };
      }
    }
  };

  const read = async (projectId: string, wanted: ReadonlySet<QuotaService>, options: CallOptions) => {
    const entries = await Promise.all(
      [...wanted].map(async (service) => [service, await readService(service, projectId, options)] as const),
    );
    return new Map(entries);
  };

  const toUsage = (details: Map<QuotaService, Details>): QuotaUsage[] =>
    resources.flatMap((resource) => {
      const definition = QUOTA_RESOURCES[resource]!;
      const detail = details.get(definition.service)?.[definition.key];
      if (detail === undefined) return [];
      return [
        {
          resource,
          limit: detail.limit,
          inUse: detail.inUse,
          ...(detail.reserved === undefined ? {} : { reserved: detail.reserved }),
          unit: definition.unit,
        },
      ];
    });

  const provider: QuotaProvider = {
    resources,
    async getQuotas(project, options = {}) {
      const keystoneProject = await directory.require(project, options);
      return toUsage(await read(keystoneProject.id, services, options));
    },
    async setQuotas(project, limits, options = {}) {
      const parsed = parseQuotaLimits(limits, resources);
      const keystoneProject = await directory.require(project, options);
      const byService = new Map<QuotaService, Array<[string, ParsedLimit]>>();
      for (const [resource, limit] of parsed) {
        const service = QUOTA_RESOURCES[resource]!.service;
        byService.set(service, [...(byService.get(service) ?? []), [resource, limit]]);
      }

      // Nova and Cinder refuse a limit under current use: check with fresh numbers before writing anything.
      const guarded = new Set([...byService.keys()].filter((service) => service === 'nova' || service === 'cinder'));
      if (guarded.size > 0) {
        const current = await read(keystoneProject.id, guarded, options);
        refuseBelowUsage(
          [...guarded].flatMap((service) =>
            (byService.get(service) ?? []).map(([resource, limit]) => {
              const detail = current.get(service)?.[QUOTA_RESOURCES[resource]!.key];
              return { resource, limit, inUse: Number(detail?.inUse ?? 0), reserved: Number(detail?.reserved ?? 0) };
            }),
          ),
        );
      }

      const applied: string[] = [];
      for (const [service, entries] of byService) {
        const values = Object.fromEntries(
          entries.map(([resource, limit]) => [QUOTA_RESOURCES[resource]!.key, wire(limit)]),
        );
        try {
          if (service === 'nova') await clients.nova!.setQuotas(keystoneProject.id, values, options);
          else if (service === 'cinder') await clients.cinder!.setQuotas(keystoneProject.id, values, options);
          else if (service === 'neutron') await clients.neutron!.setQuotas(keystoneProject.id, values, options);
          else {
            const limit = entries[0]![1];
            await clients.swift!.setAccountQuotaBytes(
              keystoneProject.id,
              limit === null ? null : limit.toString(),
              options,
            );
          }
        } catch (error) {
          throw partialFailure(error, service, applied);
        }
        applied.push(...entries.map(([resource]) => resource));
      }
      return toUsage(await read(keystoneProject.id, services, options));
    },
  };
  return provider;
}

/** Say which limits were already written when a later service failed, keeping the failure's code. */
function partialFailure(error: unknown, service: string, applied: readonly string[]): unknown {
  if (applied.length === 0 || !OcxError.is(error)) return error;
  return new OcxError({
    code: error.code,
    message: `Setting quotas failed at ${service} after ${applied.join(', ')} had been set: ${error.message}`,
    retryable: error.retryable,
    backend: error.backend,
    operation: error.operation,
    status: error.status,
    requestId: error.requestId,
    attempts: error.attempts,
    backendErrorType: error.backendErrorType,
    backendMessage: error.backendMessage,
    fault: error.fault,
    cause: error,
  });
}
