import { type CallOptions, OcxError } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import { z } from 'zod';

/** A default limit for a resource of a service (`servers`, `class:VCPU`, `image_size_total`, …). */
export const RegisteredLimitSchema = z.looseObject({
  id: z.string(),
  service_id: z.string(),
  region_id: z.string().nullish(),
  resource_name: z.string(),
  default_limit: z.number().int(),
  description: z.string().nullish(),
});
/** RegisteredLimit as the driver parses it (see {@link RegisteredLimitSchema}). */
export type RegisteredLimit = z.infer<typeof RegisteredLimitSchema>;

/** A project's (or domain's) own limit, overriding the registered default. */
export const LimitSchema = z.looseObject({
  id: z.string(),
  service_id: z.string(),
  region_id: z.string().nullish(),
  project_id: z.string().nullish(),
  domain_id: z.string().nullish(),
  resource_name: z.string(),
  resource_limit: z.number().int(),
  description: z.string().nullish(),
});
/** Limit as the driver parses it (see {@link LimitSchema}). */
export type Limit = z.infer<typeof LimitSchema>;

const RegisteredLimitListSchema = z.looseObject({ registered_limits: z.array(RegisteredLimitSchema) });
const LimitListSchema = z.looseObject({ limits: z.array(LimitSchema) });
const LimitBodySchema = z.looseObject({ limit: LimitSchema });
const ModelSchema = z.looseObject({ model: z.looseObject({ name: z.string(), description: z.string().optional() }) });
const ServiceListSchema = z.looseObject({
  services: z.array(z.looseObject({ id: z.string(), type: z.string(), name: z.string().optional() })),
});

/** Which limits to list. */
export interface LimitFilter {
  serviceId?: string;
  regionId?: string;
  resourceName?: string;
  projectId?: string;
  domainId?: string;
}

/**
 * Keystone unified limits: registered (default) limits, per-project limits and the enforcement
 * model. Keystone only stores them; each service enforces (Nova with its unified-limits quota
 * driver, Glance with `use_keystone_limits`).
 */
export interface LimitsClient {
  model(options?: CallOptions): Promise<string>;
  /** A service's id in the catalog by type (limits name services by id). */
  serviceId(type: string, options?: CallOptions): Promise<string>;
  listRegisteredLimits(filter?: LimitFilter, options?: CallOptions): Promise<RegisteredLimit[]>;
  listLimits(filter?: LimitFilter, options?: CallOptions): Promise<Limit[]>;
  /** Set a project's limit for one resource: create it, or update the one there is. */
  ensureProjectLimit(
    input: { serviceId: string; projectId: string; resourceName: string; resourceLimit: number; regionId?: string },
    options?: CallOptions,
  ): Promise<Limit>;
  /** Delete a limit; a missing one is fine. */
  deleteLimit(id: string, options?: CallOptions): Promise<void>;
}

/**
 * The unified-limits client.
 *
 * @example
 * ```ts
 * const limits = createLimitsClient(session.identity);
 * await limits.ensureProjectLimit({ serviceId: await limits.serviceId('compute'), projectId, resourceName: 'class:VCPU', resourceLimit: 32 });
 * ```
 */
export function createLimitsClient(
  keystone: HttpClient,
  options: {
    /**
     * A session scoped to a project. Keystone shows a project-scoped token only its own project's
     * limits, so finding an existing limit of another project needs a token of that project.
     */
    projectScoped?: (projectId: string) => { identity: HttpClient; close(): Promise<void> };
  } = {},
): LimitsClient {
  const query = (filter: LimitFilter) => ({
    service_id: filter.serviceId,
    region_id: filter.regionId,
    resource_name: filter.resourceName,
    project_id: filter.projectId,
    domain_id: filter.domainId,
  });
  const client: LimitsClient = {
    async model(options = {}) {
      return (
        await keystone.get('limits/model', {
          schema: ModelSchema,
          operation: 'get_limit_model',
          signal: options.signal,
        })
      ).data.model.name;
    },
    async serviceId(type, options = {}) {
      const { data } = await keystone.get('services', {
        query: { type },
        schema: ServiceListSchema,
        operation: 'list_services',
        signal: options.signal,
      });
      const service = data.services.find((candidate) => candidate.type === type);
      if (service !== undefined) return service.id;
      throw new OcxError({
        code: 'not-found',
        backend: 'keystone',
        operation: 'list_services',
        message: `Keystone has no service of type ${type}`,
      });
    },
    async listRegisteredLimits(filter = {}, options = {}) {
      return (
        await keystone.get('registered_limits', {
          query: query(filter),
          schema: RegisteredLimitListSchema,
          operation: 'list_registered_limits',
          signal: options.signal,
        })
      ).data.registered_limits;
    },
    async listLimits(filter = {}, options = {}) {
      return (
        await keystone.get('limits', {
          query: query(filter),
          schema: LimitListSchema,
          operation: 'list_limits',
          signal: options.signal,
        })
      ).data.limits;
    },
    async ensureProjectLimit(input, callOptions = {}) {
      // Keystone stores limits as 32-bit integers and -1 (unlimited); refuse anything else before sending.
      if (
        !Number.isSafeInteger(input.resourceLimit) ||
        input.resourceLimit < -1 ||
        input.resourceLimit > 2_147_483_647
      ) {
        throw new OcxError({
          code: 'validation',
          fault: 'client',
          message: `Invalid limit: resourceLimit must be a whole number from -1 to 2147483647 (got ${input.resourceLimit})`,
          issues: [{ path: 'resourceLimit', message: 'must be a whole number from -1 to 2147483647' }],
        });
      }
      // A project limit must match a registered limit, region included: take the region from it.
      const registered = (
        await client.listRegisteredLimits(
          { serviceId: input.serviceId, resourceName: input.resourceName, regionId: input.regionId },
          callOptions,
        )
      )[0];
      if (registered === undefined) {
        throw new OcxError({
          code: 'validation',
          fault: 'client',
          message: `Invalid limit: ${input.resourceName} has no registered (default) limit for service ${input.serviceId}; Keystone refuses project limits without one`,
          issues: [{ path: 'resourceName', message: 'has no registered limit' }],
        });
      }
      input = { ...input, regionId: input.regionId ?? registered.region_id ?? undefined };
      const filter = {
        serviceId: input.serviceId,
        projectId: input.projectId,
        resourceName: input.resourceName,
        regionId: input.regionId,
      };
      let existing = (await client.listLimits(filter, callOptions))[0];
      if (existing === undefined && options.projectScoped !== undefined) {
        const scoped = options.projectScoped(input.projectId);
        try {
          existing = (await createLimitsClient(scoped.identity).listLimits(filter, callOptions))[0];
        } catch (error) {
          // Without a role on the project the driver cannot look; creating will tell (409 if it exists).
          if (!(OcxError.is(error) && error.code === 'auth')) throw error;
        } finally {
          await scoped.close();
        }
      }
      if (existing !== undefined) {
        if (existing.resource_limit === input.resourceLimit) return existing;
        const { data } = await keystone.patch(`limits/${encodeURIComponent(existing.id)}`, {
          json: { limit: { resource_limit: input.resourceLimit } },
          schema: LimitBodySchema,
          operation: 'update_limit',
          idempotent: true,
          signal: callOptions.signal,
        });
        return data.limit;
      }
      const { data } = await keystone.post('limits', {
        json: {
          limits: [
            {
              service_id: input.serviceId,
              project_id: input.projectId,
              resource_name: input.resourceName,
              resource_limit: input.resourceLimit,
              ...(input.regionId === undefined ? {} : { region_id: input.regionId }),
            },
          ],
        },
        schema: LimitListSchema,
        operation: 'create_limit',
        expectedStatus: [201],
        signal: callOptions.signal,
      });
      return data.limits[0]!;
    },
    async deleteLimit(id, options = {}) {
      try {
        await keystone.delete(`limits/${encodeURIComponent(id)}`, {
          responseType: 'empty',
          operation: 'delete_limit',
          signal: options.signal,
        });
      } catch (error) {
        if (!(OcxError.is(error) && error.code === 'not-found')) throw error;
      }
    },
  };
  return client;
}
