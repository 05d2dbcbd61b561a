import { type CallOptions, OcxError, Secret } from '@ocx/core';
import { type HttpClient, markerPages, waitForOrThrow } from '@ocx/core/http';
import type { QuotaDetail } from '../nova/nova-client.js';
import { compareMicroversions } from '../shared/microversion.js';
import type { OpenStackServiceClient } from '../shared/service-client.js';
import {
  QuotaSetSchema,
  QuotaUsageSetSchema,
  type Volume,
  VolumeBodySchema,
  VolumeListSchema,
  VolumeSummarySchema,
  VolumeTransferSchema,
} from './results.js';

/**
 * What an exchange needs of Cinder v3: volumes, the volume summary (3.12+), quotas with usage
 * (`in_use` normalised to `inUse`) and volume transfers. The endpoint is the catalog's
 * `…/v3/{project}`, the project being the one the driver's token is scoped to (admin calls
 * name the target project in the path or the query). Sends `OpenStack-API-Version: volume 3.x`.
 */
export interface CinderClient {
  microversion(options?: CallOptions): Promise<string>;
  listVolumes(
    filter?: { projectId?: string; allProjects?: boolean; pageSize?: number },
    options?: CallOptions,
  ): AsyncGenerator<Volume>;
  getVolume(id: string, options?: CallOptions): Promise<Volume | undefined>;
  createVolume(
    input: { size: number; name?: string; description?: string; volumeType?: string },
    options?: CallOptions,
  ): Promise<Volume>;
  /** Delete a volume; a missing one is fine. */
  deleteVolume(id: string, options?: CallOptions): Promise<void>;
  waitForVolume(id: string, status: string, options?: CallOptions & { maxWaitMs?: number }): Promise<Volume>;
  waitForVolumeDeleted(id: string, options?: CallOptions & { maxWaitMs?: number }): Promise<void>;
  /** Count and total GiB of volumes (3.12+); all projects' with `allProjects`. */
  volumeSummary(
    filter?: { allProjects?: boolean; projectId?: string },
    options?: CallOptions,
  ): Promise<{ totalSizeGb: number; totalCount: number }>;
  getQuotas(projectId: string, options?: CallOptions): Promise<Record<string, QuotaDetail>>;
  setQuotas(projectId: string, values: Record<string, number>, options?: CallOptions): Promise<void>;
  /** Offer a volume to another project: the answer's `authKey` is what the receiver must present. */
  createTransfer(volumeId: string, options?: CallOptions): Promise<{ id: string; authKey: Secret }>;
  acceptTransfer(transferId: string, authKey: Secret, options?: CallOptions): Promise<{ volumeId: string }>;
}

const notFoundIsUndefined = <T>(error: unknown): T | undefined => {
  if (OcxError.is(error) && error.code === 'not-found') return undefined;
  throw error;
};

/**
 * The Cinder client.
 *
 * @example
 * ```ts
 * const cinder = createCinderClient(serviceClient);
 * const { totalSizeGb } = await cinder.volumeSummary({ allProjects: true });
 * ```
 */
export function createCinderClient(service: OpenStackServiceClient): CinderClient {
  const http = (signal?: AbortSignal): Promise<HttpClient> => service.client(signal);
  const id = encodeURIComponent;
  const cinder: CinderClient = {
    microversion: async (options = {}) => (await service.microversion(options.signal)) ?? '3.0',
    async *listVolumes(filter = {}, options = {}) {
      const client = await http(options.signal);
      yield* markerPages({
        what: 'cinder volumes',
        limit: filter.pageSize ?? 1000,
        signal: options.signal,
        fetchPage: async (marker, limit, signal) => {
          const { data } = await client.get('volumes/detail', {
            query: {
              all_tenants: filter.allProjects || filter.projectId !== undefined ? 1 : undefined,
              project_id: filter.projectId,
              limit,
              marker,
            },
            schema: VolumeListSchema,
            operation: 'list_volumes',
            signal,
          });
          return data.volumes;
        },
        key: (volume) => volume.id,
      });
    },
    async getVolume(volumeId, options = {}) {
      const client = await http(options.signal);
      return client
        .get(`volumes/${id(volumeId)}`, { schema: VolumeBodySchema, operation: 'get_volume', signal: options.signal })
        .then((response) => response.data.volume, notFoundIsUndefined<Volume>);
    },
    async createVolume(input, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post('volumes', {
        json: {
          volume: { size: input.size, name: input.name, description: input.description, volume_type: input.volumeType },
        },
        schema: VolumeBodySchema,
        operation: 'create_volume',
        expectedStatus: [202],
        signal: options.signal,
      });
      return data.volume;
    },
    async deleteVolume(volumeId, options = {}) {
      const client = await http(options.signal);
      await client
        .delete(`volumes/${id(volumeId)}`, {
          responseType: 'empty',
          operation: 'delete_volume',
          signal: options.signal,
        })
        .then(() => undefined, notFoundIsUndefined<void>);
    },
    async waitForVolume(volumeId, status, options = {}) {
      const volume = await waitForOrThrow<Volume>({
        what: `cinder volume ${volumeId} to become ${status}`,
        backend: 'cinder',
        operation: 'wait_for_volume',
        maxWaitMs: options.maxWaitMs ?? 120_000,
        minDelayMs: 250,
        maxDelayMs: 3000,
        signal: options.signal,
        check: async (_attempt, signal) => {
          const current = await cinder.getVolume(volumeId, { signal });
          if (current === undefined) return { state: 'failure', reason: 'the volume does not exist' };
          if (current.status === status) return { state: 'success', value: current };
          if (current.status.startsWith('error')) return { state: 'failure', reason: `status ${current.status}` };
          return { state: 'retry', reason: `status ${current.status}` };
        },
      });
      return volume!;
    },
    async waitForVolumeDeleted(volumeId, options = {}) {
      await waitForOrThrow({
        what: `cinder volume ${volumeId} to be deleted`,
        backend: 'cinder',
        operation: 'wait_for_volume_deleted',
        maxWaitMs: options.maxWaitMs ?? 120_000,
        minDelayMs: 250,
        maxDelayMs: 3000,
        signal: options.signal,
        check: async (_attempt, signal) => {
          const current = await cinder.getVolume(volumeId, { signal });
          if (current === undefined) return { state: 'success' };
          if (current.status === 'error_deleting') return { state: 'failure', reason: 'status error_deleting' };
          return { state: 'retry', reason: `status ${current.status}` };
        },
      });
    },
    async volumeSummary(filter = {}, options = {}) {
      const version = await cinder.microversion(options);
      if (compareMicroversions(version, '3.12') < 0) {
        throw new OcxError({
          code: 'capability',
          backend: 'cinder',
          operation: 'volume_summary',
          message: `cinder ${version} has no volume summary (needs 3.12)`,
        });
      }
      const client = await http(options.signal);
      const { data } = await client.get('volumes/summary', {
        query: {
          all_tenants: filter.allProjects || filter.projectId !== undefined ? 1 : undefined,
          project_id: filter.projectId,
        },
        schema: VolumeSummarySchema,
        operation: 'volume_summary',
        signal: options.signal,
      });
      return { totalSizeGb: data['volume-summary'].total_size, totalCount: data['volume-summary'].total_count };
    },
    async getQuotas(projectId, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.get(`os-quota-sets/${id(projectId)}`, {
        query: { usage: 'True' },
        schema: QuotaUsageSetSchema,
        operation: 'get_quotas',
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
    async createTransfer(volumeId, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post('volume-transfers', {
        json: { transfer: { volume_id: volumeId, name: `ocx-${volumeId}` } },
        schema: VolumeTransferSchema,
        operation: 'create_volume_transfer',
        expectedStatus: [202],
        signal: options.signal,
      });
      const authKey = data.transfer.auth_key;
      if (authKey === undefined) {
        throw new OcxError({
          code: 'protocol',
          backend: 'cinder',
          operation: 'create_volume_transfer',
          fault: 'server',
          message: 'cinder created a volume transfer without an auth_key',
        });
      }
      return { id: data.transfer.id, authKey: Secret.from(authKey) };
    },
    async acceptTransfer(transferId, authKey, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post(`volume-transfers/${id(transferId)}/accept`, {
        json: { accept: { auth_key: authKey.reveal() } },
        schema: VolumeTransferSchema,
        operation: 'accept_volume_transfer',
        expectedStatus: [202],
        signal: options.signal,
      });
      return { volumeId: data.transfer.volume_id ?? '' };
    },
  };
  return cinder;
}
