import { type CallOptions, OcxError } from '@ocx/core';
import { type HttpClient, markerPages } from '@ocx/core/http';
import type { QuotaDetail } from '../nova/nova-client.js';
import type { OpenStackServiceClient } from '../shared/service-client.js';
import {
  type FloatingIp,
  FloatingIpBodySchema,
  FloatingIpListSchema,
  type Network,
  NetworkBodySchema,
  NetworkListSchema,
  QuotaDetailsSchema,
  QuotaSchema,
  SubnetBodySchema,
} from './results.js';

/**
 * What an exchange needs of Neutron: floating IPs, quotas (`used` normalised to `inUse`, like
 * Nova's and Cinder's `in_use`) and networks (to make an external network floating IPs come
 * from). Lists page with `limit` + `marker`.
 */
export interface NeutronClient {
  listFloatingIps(
    filter?: { projectId?: string; pageSize?: number },
    options?: CallOptions,
  ): AsyncGenerator<FloatingIp>;
  createFloatingIp(
    input: { floatingNetworkId: string; projectId?: string },
    options?: CallOptions,
  ): Promise<FloatingIp>;
  /** Delete a floating IP; a missing one is fine. */
  deleteFloatingIp(id: string, options?: CallOptions): Promise<void>;
  getQuotas(projectId: string, options?: CallOptions): Promise<Record<string, QuotaDetail>>;
  setQuotas(projectId: string, values: Record<string, number>, options?: CallOptions): Promise<void>;
  listNetworks(
    filter?: { external?: boolean; name?: string; projectId?: string },
    options?: CallOptions,
  ): AsyncGenerator<Network>;
  createNetwork(
    input: { name: string; external?: boolean; shared?: boolean; projectId?: string },
    options?: CallOptions,
  ): Promise<Network>;
  createSubnet(
    input: { networkId: string; cidr: string; name?: string; ipVersion?: 4 | 6 },
    options?: CallOptions,
  ): Promise<{ id: string }>;
  /** Delete a network (and its subnets); a missing one is fine. */
  deleteNetwork(id: string, options?: CallOptions): Promise<void>;
}

const notFoundIsFine = (error: unknown): void => {
  if (OcxError.is(error) && error.code === 'not-found') return;
  throw error;
};

/**
 * The Neutron client. The catalog URL may or may not end in `/v2.0`; the driver strips it and
 * adds it itself.
 *
 * @example
 * ```ts
 * const neutron = createNeutronClient(serviceClient);
 * for await (const ip of neutron.listFloatingIps({ projectId })) console.log(ip.floating_ip_address);
 * ```
 */
export function createNeutronClient(service: OpenStackServiceClient): NeutronClient {
  const http = (signal?: AbortSignal): Promise<HttpClient> => service.client(signal);
  const id = encodeURIComponent;
  return {
    async *listFloatingIps(filter = {}, options = {}) {
      const client = await http(options.signal);
      yield* markerPages({
        what: 'neutron floating IPs',
        limit: filter.pageSize ?? 1000,
        signal: options.signal,
        fetchPage: async (marker, limit, signal) =>
          (
            await client.get('v2.0/floatingips', {
              query: { project_id: filter.projectId, limit, marker },
              schema: FloatingIpListSchema,
              operation: 'list_floating_ips',
              signal,
            })
          ).data.floatingips,
        key: (ip) => ip.id,
      });
    },
    async createFloatingIp(input, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post('v2.0/floatingips', {
        json: { floatingip: { floating_network_id: input.floatingNetworkId, project_id: input.projectId } },
        schema: FloatingIpBodySchema,
        operation: 'create_floating_ip',
        expectedStatus: [201],
        signal: options.signal,
      });
      return data.floatingip;
    },
    async deleteFloatingIp(ipId, options = {}) {
      const client = await http(options.signal);
      await client
        .delete(`v2.0/floatingips/${id(ipId)}`, {
          responseType: 'empty',
          operation: 'delete_floating_ip',
          signal: options.signal,
        })
        .then(() => undefined, notFoundIsFine);
    },
    async getQuotas(projectId, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.get(`v2.0/quotas/${id(projectId)}/details.json`, {
        schema: QuotaDetailsSchema,
        operation: 'get_quota_details',
        signal: options.signal,
      });
      const result: Record<string, QuotaDetail> = {};
      for (const [key, value] of Object.entries(data.quota)) {
        result[key] = { limit: value.limit, inUse: value.used, reserved: value.reserved };
      }
      return result;
    },
    async setQuotas(projectId, values, options = {}) {
      const client = await http(options.signal);
      await client.put(`v2.0/quotas/${id(projectId)}`, {
        json: { quota: values },
        schema: QuotaSchema,
        operation: 'set_quotas',
        signal: options.signal,
      });
    },
    async *listNetworks(filter = {}, options = {}) {
      const client = await http(options.signal);
      yield* markerPages({
        what: 'neutron networks',
        limit: 1000,
        signal: options.signal,
        fetchPage: async (marker, limit, signal) =>
          (
            await client.get('v2.0/networks', {
              query: {
                'router:external': filter.external,
                name: filter.name,
                project_id: filter.projectId,
                limit,
                marker,
              },
              schema: NetworkListSchema,
              operation: 'list_networks',
              signal,
            })
          ).data.networks,
        key: (network) => network.id,
      });
    },
    async createNetwork(input, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post('v2.0/networks', {
        json: {
          network: {
            name: input.name,
            'router:external': input.external,
            shared: input.shared,
            project_id: input.projectId,
          },
        },
        schema: NetworkBodySchema,
        operation: 'create_network',
        expectedStatus: [201],
        signal: options.signal,
      });
      return data.network;
    },
    async createSubnet(input, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post('v2.0/subnets', {
        json: {
          subnet: { network_id: input.networkId, cidr: input.cidr, ip_version: input.ipVersion ?? 4, name: input.name },
        },
        schema: SubnetBodySchema,
        operation: 'create_subnet',
        expectedStatus: [201],
        signal: options.signal,
      });
      return { id: data.subnet.id };
    },
    async deleteNetwork(networkId, options = {}) {
      const client = await http(options.signal);
      await client
        .delete(`v2.0/networks/${id(networkId)}`, {
          responseType: 'empty',
          operation: 'delete_network',
          signal: options.signal,
        })
        .then(() => undefined, notFoundIsFine);
    },
  };
}
