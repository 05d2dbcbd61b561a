import { type CallOptions, OcxError } from '@ocx/core';
import { type HttpClient, nextLinkPages } from '@ocx/core/http';
import type { OpenStackServiceClient } from '../shared/service-client.js';
import {
  type Image,
  ImageListSchema,
  type ImageMember,
  ImageMemberListSchema,
  ImageMemberSchema,
  ImageSchema,
} from './results.js';

/** Status a member project gives an image shared with it. */
export type MemberStatus = 'pending' | 'accepted' | 'rejected';

/**
 * What an exchange needs of Glance v2: images (listing follows `next`), visibility changes (JSON
 * patch) and image sharing — the owner adds a member project, the member accepts.
 */
export interface GlanceClient {
  listImages(
    filter?: { owner?: string; visibility?: string; memberStatus?: MemberStatus; name?: string; pageSize?: number },
    options?: CallOptions,
  ): AsyncGenerator<Image>;
  getImage(id: string, options?: CallOptions): Promise<Image | undefined>;
  createImage(
    input: { name: string; diskFormat?: string; containerFormat?: string; visibility?: string },
    options?: CallOptions,
  ): Promise<Image>;
  /** Upload the image's data (`PUT /v2/images/{id}/file`). */
  uploadImageData(id: string, data: Buffer, options?: CallOptions): Promise<void>;
  /** Delete an image; a missing one is fine. */
  deleteImage(id: string, options?: CallOptions): Promise<void>;
  setVisibility(
    id: string,
    visibility: 'public' | 'private' | 'shared' | 'community',
    options?: CallOptions,
  ): Promise<Image>;
  /** Owner side: share the image with a project. Adding a member twice is fine. */
  addMember(imageId: string, projectId: string, options?: CallOptions): Promise<ImageMember>;
  /** Member side: accept or reject an image shared with `projectId` (the caller's project). */
  setMemberStatus(
    imageId: string,
    projectId: string,
    status: MemberStatus,
    options?: CallOptions,
  ): Promise<ImageMember>;
  listMembers(imageId: string, options?: CallOptions): Promise<ImageMember[]>;
  /** Owner side: stop sharing; a missing member is fine. */
  removeMember(imageId: string, projectId: string, options?: CallOptions): Promise<void>;
}

const notFound = (error: unknown): boolean => OcxError.is(error) && error.code === 'not-found';

/**
 * The Glance client. The catalog URL may or may not end in `/v2`; the driver adds it.
 *
 * @example
 * ```ts
 * const glance = createGlanceClient(serviceClient);
 * await glance.addMember(imageId, consumerProjectId);
 * ```
 */
export function createGlanceClient(service: OpenStackServiceClient): GlanceClient {
  const http = (signal?: AbortSignal): Promise<HttpClient> => service.client(signal);
  const id = encodeURIComponent;
  const glance: GlanceClient = {
    async *listImages(filter = {}, options = {}) {
      const client = await http(options.signal);
      yield* nextLinkPages({
        client,
        path: 'v2/images',
        what: 'glance images',
        signal: options.signal,
        call: {
          operation: 'list_images',
          query: {
            owner: filter.owner,
            visibility: filter.visibility,
            member_status: filter.memberStatus,
            name: filter.name,
            limit: filter.pageSize ?? 1000,
          },
        },
        schema: ImageListSchema,
        items: (page) => page.images,
        next: (page) => page.next,
      });
    },
    async getImage(imageId, options = {}) {
      const client = await http(options.signal);
      try {
        return (
          await client.get(`v2/images/${id(imageId)}`, {
            schema: ImageSchema,
            operation: 'get_image',
            signal: options.signal,
          })
        ).data;
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    async createImage(input, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.post('v2/images', {
        json: {
          name: input.name,
          disk_format: input.diskFormat ?? 'raw',
          container_format: input.containerFormat ?? 'bare',
          visibility: input.visibility ?? 'private',
        },
        schema: ImageSchema,
        operation: 'create_image',
        expectedStatus: [201],
        signal: options.signal,
      });
      return data;
    },
    async uploadImageData(imageId, data, options = {}) {
      const client = await http(options.signal);
      await client.put(`v2/images/${id(imageId)}/file`, {
        body: data,
        headers: { 'content-type': 'application/octet-stream' },
        responseType: 'empty',
        operation: 'upload_image_data',
        // A second upload to an active image is refused (409), so a lost answer must not be retried blindly.
        idempotent: false,
        expectedStatus: [204],
        signal: options.signal,
      });
    },
    async deleteImage(imageId, options = {}) {
      const client = await http(options.signal);
      try {
        await client.delete(`v2/images/${id(imageId)}`, {
          responseType: 'empty',
          operation: 'delete_image',
          signal: options.signal,
        });
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    },
    async setVisibility(imageId, visibility, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.patch(`v2/images/${id(imageId)}`, {
        body: JSON.stringify([{ op: 'replace', path: '/visibility', value: visibility }]),
        // Glance refuses any other content type for PATCH with 415.
        headers: { 'content-type': 'application/openstack-images-v2.1-json-patch' },
        schema: ImageSchema,
        operation: 'set_image_visibility',
        idempotent: true,
        signal: options.signal,
      });
      return data;
    },
    async addMember(imageId, projectId, options = {}) {
      const client = await http(options.signal);
      try {
        const { data } = await client.post(`v2/images/${id(imageId)}/members`, {
          json: { member: projectId },
          schema: ImageMemberSchema,
          operation: 'add_image_member',
          idempotent: true,
          signal: options.signal,
        });
        return data;
      } catch (error) {
        // 409: already a member — the state asked for holds.
        if (!(OcxError.is(error) && error.code === 'conflict')) throw error;
        const existing = (await glance.listMembers(imageId, options)).find((member) => member.member_id === projectId);
        if (existing === undefined) throw error;
        return existing;
      }
    },
    async setMemberStatus(imageId, projectId, status, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.put(`v2/images/${id(imageId)}/members/${id(projectId)}`, {
        json: { status },
        schema: ImageMemberSchema,
        operation: 'set_image_member_status',
        signal: options.signal,
      });
      return data;
    },
    async listMembers(imageId, options = {}) {
      const client = await http(options.signal);
      const { data } = await client.get(`v2/images/${id(imageId)}/members`, {
        schema: ImageMemberListSchema,
        operation: 'list_image_members',
        signal: options.signal,
      });
      return data.members;
    },
    async removeMember(imageId, projectId, options = {}) {
      const client = await http(options.signal);
      try {
        await client.delete(`v2/images/${id(imageId)}/members/${id(projectId)}`, {
          responseType: 'empty',
          operation: 'remove_image_member',
          signal: options.signal,
        });
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    },
  };
  return glance;
}
