import { type CallOptions, OcxError } from '@ocx/core';
import { type HttpClient, nextLinkPages, waitForOrThrow } from '@ocx/core/http';
import { nextHref } from '../shared/links.js';
import type { OpenStackServiceClient } from '../shared/service-client.js';
import {
  CreatedServerSchema,
  type Flavor,
  FlavorBodySchema,
  FlavorListSchema,
  type InstanceAction,
  type InstanceActionDetail,
  InstanceActionDetailSchema,
  InstanceActionListSchema,
  QuotaDetailSchema,
  QuotaSetSchema,
  type Server,
  ServerBodySchema,
  ServerListSchema,
} from './results.js';
import {
  sumTenantUsage,
  type TenantUsagePageEntry,
  type TenantUsageQuery,
  type TenantUsageSummary,
  tenantUsagePages,
} from './tenant-usage.js';

/** A quota with its use, as Nova and Cinder report it (`in_use`) and Neutron (`used`), normalised. */
export interface QuotaDetail {
  limit: number;
  inUse: number;
  reserved: number;
}

/** A new server. `networks: 'none'` boots without a port (fake-driver clouds, tests). */
export interface CreateServerInput {
  name: string;
  imageRef: string;
  flavorRef: string;
  networks?: 'none' | 'auto' | Array<{ uuid?: string; port?: string }>;
  metadata?: Record<string, string>;
}

/** A new flavor; `id` defaults to one Nova picks. */
export interface CreateFlavorInput {
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  id?: string;
  isPublic?: boolean;
  extraSpecs?: Record<string, string>;
}

/**
 * What an exchange needs of Nova: servers, flavors, quotas (`in_use` normalised to `inUse`),
 * `os-simple-tenant-usage` with 2.40 paging, and instance actions. Every call negotiates the
 * microversion first (once) and sends it as `OpenStack-API-Version: compute 2.x` and
 * `X-OpenStack-Nova-API-Version`.
 */
export interface NovaClient {
  /** The negotiated microversion. */
  microversion(options?: CallOptions): Promise<string>;
  /**
   * Servers with details, paged. `changesSince` (ISO time) lists servers changed since then, deleted
   * ones included; `deleted: true` (admin) lists only deleted servers.
   */
  listServers(
    filter?: {
      projectId?: string;
      allProjects?: boolean;
      status?: string;
      name?: string;
      pageSize?: number;
      changesSince?: string;
      deleted?: boolean;
    },
    options?: CallOptions,
  ): AsyncGenerator<Server>;
  getServer(id: string, options?: CallOptions): Promise<Server | undefined>;
  createServer(input: CreateServerInput, options?: CallOptions): Promise<Server>;
  /** Delete a server; a missing one is fine. */
  deleteServer(id: string, options?: CallOptions): Promise<void>;
  /** `POST /servers/{id}/action` with one action key, e.g. `{ 'os-stop': null }` (202; `confirmResize` answers 204). */
  serverAction(id: string, action: Record<string, unknown>, options?: CallOptions): Promise<void>;
  /** Wait until the server has `status` (ACTIVE, SHUTOFF, …); ERROR ends the wait with a `state` error. */
  waitForServer(id: string, status: string, options?: CallOptions & { maxWaitMs?: number }): Promise<Server>;
  /** Wait until the server is gone (404). */
  waitForServerDeleted(id: string, options?: CallOptions & { maxWaitMs?: number }): Promise<void>;
  listFlavors(options?: CallOptions): AsyncGenerator<Flavor>;
  /** One flavor (with `extra_specs` from 2.61, for tokens allowed to see them); undefined if missing. */
  getFlavor(id: string, options?: CallOptions): Promise<Flavor | undefined>;
  /** Create a flavor (admin); `extraSpecs` are set right after (e.g. `pci_passthrough:alias`). */
  createFlavor(input: CreateFlavorInput, options?: CallOptions): Promise<Flavor>;
  /** Delete a flavor (admin); a missing one is fine. */
  deleteFlavor(id: string, options?: CallOptions): Promise<void>;
  getQuotas(projectId: string, options?: CallOptions): Promise<Record<string, QuotaDetail>>;
  /** Set some quota keys (`cores`, `ram`, `instances`, …); `-1` is unlimited. */
  setQuotas(projectId: string, values: Record<string, number>, options?: CallOptions): Promise<void>;
  /** Usage pages as Nova sends them (each page's totals cover its own servers). */
  usagePages(query: TenantUsageQuery): AsyncGenerator<TenantUsagePageEntry[]>;
  /** Usage per project with the page totals added up. */
  usageSummary(query: TenantUsageQuery): Promise<{ projects: TenantUsageSummary[]; pages: number }>;
  /** A server's instance actions, newest first (deleted servers too); `changesSince` needs 2.58. */
  listInstanceActions(
    serverId: string,
    filter?: { changesSince?: string },
    options?: CallOptions,
  ): AsyncGenerator<InstanceAction>;
  /** One instance action with its events (`result` `Success`/`Error`); deleted servers too (2.21). */
  getInstanceAction(serverId: string, requestId: string, options?: CallOptions): Promise<InstanceActionDetail>;
}

const notFoundIsUndefined = <T>(error: unknown): T | undefined => {
  if (OcxError.is(error) && error.code === 'not-found') return undefined;
  throw error;
};

/**
 * The Nova client over a lazily made, microversioned HTTP client.
 *
 * @example
 * ```ts
 * const nova = createNovaClient(serviceClient);
 * const { projects } = await nova.usageSummary({ start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' });
 * ```
 */
export function createNovaClient(service: OpenStackServiceClient): NovaClient {
  const http = (signal?: AbortSignal): Promise<HttpClient> => service.client(signal);
  const id = encodeURIComponent;

  const pages = async function* <Item>(
    make: (client: HttpClient) => AsyncGenerator<Item>,
    signal?: AbortSignal,
  ): AsyncGenerator<Item> {
    yield* make(await http(signal));
  };

  const nova: NovaClient = {
    microversion: async (options = {}) => (await service.microversion(options.signal)) ?? '2.1',
    listServers(filter = {}, options = {}) {
      return pages(
        (client) =>
          nextLinkPages({
            client,
            path: 'servers/detail',
            what: 'nova servers',
            signal: options.signal,
            call: {
              operation: 'list_servers',
              query: {
                all_tenants: filter.allProjects || filter.projectId !== undefined ? 1 : undefined,
                project_id: filter.projectId,
                status: filter.status,
                name: filter.name,
                limit: filter.pageSize ?? 1000,
                'changes-since': filter.changesSince,
                deleted: filter.deleted === undefined ? undefined : String(filter.deleted),
              },
            },
            schema: ServerListSchema,
            items: (page) => page.servers,
            next: (page) => nextHref(page.servers_links),
          }),
        options.signal,
      );
    },
    async getServer(serverId, options = {}) {
      const client = await http(options.signal);
      return client
        .get(`servers/${id(serverId)}`, { schema: ServerBodySchema, operation: 'get_server', signal: options.signal })
        .then((response) => response.data.server, notFoundIsUndefined<Server>);
    },
    async createServer(input, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post('servers', {
        json: {
          server: {
            name: input.name,
            imageRef: input.imageRef,
            flavorRef: input.flavorRef,
            networks: input.networks ?? 'none',
            metadata: input.metadata,
          },
        },
        schema: CreatedServerSchema,
        operation: 'create_server',
        expectedStatus: [202],
        signal: options.signal,
      });
      return { id: data.server.id, name: input.name };
    },
    async deleteServer(serverId, options = {}) {
      const client = await http(options.signal);
      await client
        .delete(`servers/${id(serverId)}`, {
          responseType: 'empty',
          operation: 'delete_server',
          signal: options.signal,
        })
        .then(() => undefined, notFoundIsUndefined<void>);
    },
    async serverAction(serverId, action, options = {}) {
      const client = await http(options.signal);
      await client.post(`servers/${id(serverId)}/action`, {
        json: action,
        responseType: 'empty',
        operation: `server_action_${Object.keys(action)[0] ?? 'unknown'}`,
        expectedStatus: [200, 202, 204],
        signal: options.signal,
      });
    },
    async waitForServer(serverId, status, options = {}) {
      const server = await waitForOrThrow<Server>({
        what: `nova server ${serverId} to become ${status}`,
        backend: 'nova',
        operation: 'wait_for_server',
        maxWaitMs: options.maxWaitMs ?? 120_000,
        minDelayMs: 250,
        maxDelayMs: 3000,
        signal: options.signal,
        check: async (_attempt, signal) => {
          const current = await nova.getServer(serverId, { signal });
          if (current === undefined) return { state: 'failure', reason: 'the server does not exist' };
          if (current.status === status) return { state: 'success', value: current };
          if (current.status === 'ERROR') return { state: 'failure', reason: 'the server is in ERROR' };
          return { state: 'retry', reason: `status ${current.status}` };
        },
      });
      return server!;
    },
    async waitForServerDeleted(serverId, options = {}) {
      await waitForOrThrow({
        what: `nova server ${serverId} to be deleted`,
        backend: 'nova',
        operation: 'wait_for_server_deleted',
        maxWaitMs: options.maxWaitMs ?? 120_000,
        minDelayMs: 250,
        maxDelayMs: 3000,
        signal: options.signal,
        check: async (_attempt, signal) => {
          const current = await nova.getServer(serverId, { signal });
          return current === undefined || current.status === 'DELETED'
            ? { state: 'success' }
            : { state: 'retry', reason: `status ${current.status}` };
        },
      });
    },
    listFlavors(options = {}) {
      return pages(
        (client) =>
          nextLinkPages({
            client,
            path: 'flavors/detail',
            what: 'nova flavors',
            signal: options.signal,
            call: { operation: 'list_flavors', query: { is_public: 'None' } },
            schema: FlavorListSchema,
            items: (page) => page.flavors,
            next: (page) => nextHref(page.flavors_links),
          }),
        options.signal,
      );
    },
    async getFlavor(flavorId, options = {}) {
      const client = await http(options.signal);
      return client
        .get(`flavors/${id(flavorId)}`, { schema: FlavorBodySchema, operation: 'get_flavor', signal: options.signal })
        .then((response) => response.data.flavor, notFoundIsUndefined<Flavor>);
    },
    async createFlavor(input, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post('flavors', {
        json: {
          flavor: {
            name: input.name,
            vcpus: input.vcpus,
            ram: input.ramMb,
            disk: input.diskGb,
            ...(input.id === undefined ? {} : { id: input.id }),
            'os-flavor-access:is_public': input.isPublic ?? true,
          },
        },
        schema: FlavorBodySchema,
        operation: 'create_flavor',
        expectedStatus: [200],
        signal: options.signal,
      });
      if (input.extraSpecs !== undefined && Object.keys(input.extraSpecs).length > 0) {
        await client.post(`flavors/${id(data.flavor.id)}/os-extra_specs`, {
          json: { extra_specs: input.extraSpecs },
          responseType: 'empty',
          operation: 'set_flavor_extra_specs',
          expectedStatus: [200],
          signal: options.signal,
        });
        return (await nova.getFlavor(data.flavor.id, options)) ?? data.flavor;
      }
      return data.flavor;
    },
    async deleteFlavor(flavorId, options = {}) {
      const client = await http(options.signal);
      await client
        .delete(`flavors/${id(flavorId)}`, {
          responseType: 'empty',
          operation: 'delete_flavor',
          signal: options.signal,
        })
        .then(() => undefined, notFoundIsUndefined<void>);
    },
    async getQuotas(projectId, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.get(`os-quota-sets/${id(projectId)}/detail`, {
        schema: QuotaDetailSchema,
        operation: 'get_quota_detail',
        signal: options.signal,
      });
      const result: Record<string, QuotaDetail> = {};
      for (const [key, value] of Object.entries(data.quota_set)) {
        if (typeof value === 'object')
          result[key] = { limit: value.limit, inUse: value.in_use, reserved: value.reserved };
      }
      return result;
    },
    async setQuotas(projectId, values, options = {}) {
      const client = await http(options.signal);
      await client.put(`os-quota-sets/${id(projectId)}`, {
        json: { quota_set: values },
        schema: QuotaSetSchema,
        operation: 'set_quotas',
        signal: options.signal,
      });
    },
    usagePages(query) {
      return pages((client) => tenantUsagePages(client, query), query.signal);
    },
    async usageSummary(query) {
      return sumTenantUsage(await http(query.signal), query);
    },
    listInstanceActions(serverId, filter = {}, options = {}) {
      return pages(
        (client) =>
          nextLinkPages({
            client,
            path: `servers/${id(serverId)}/os-instance-actions`,
            what: `nova instance actions of ${serverId}`,
            signal: options.signal,
            call: { operation: 'list_instance_actions', query: { 'changes-since': filter.changesSince } },
            schema: InstanceActionListSchema,
            items: (page) => page.instanceActions,
            next: (page) => nextHref(page.links),
          }),
        options.signal,
      );
    },
    async getInstanceAction(serverId, requestId, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.get(`servers/${id(serverId)}/os-instance-actions/${id(requestId)}`, {
        schema: InstanceActionDetailSchema,
        operation: 'get_instance_action',
        signal: options.signal,
      });
      return data.instanceAction;
    },
  };
  return nova;
}
