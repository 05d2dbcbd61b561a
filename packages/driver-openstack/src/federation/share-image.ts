import { type CallOptions, IdSchema, OcxError, parseWith } from '@ocx/core';
import { z } from 'zod';
import { createGlanceClient, type GlanceClient } from '../glance/glance-client.js';
import type { KeystoneSession } from '../keystone/session.js';
import { createServiceClient } from '../shared/service-client.js';
import { stripVersionSuffix } from '../shared/service-paths.js';
import type { ProjectDirectory } from '../tenancy/project-directory.js';

/** The part of another landlord's OpenStack driver that sharing needs: its Glance and its projects. */
export interface ImageOwnerDriver {
  readonly ext: { readonly glance?: GlanceClient; readonly projects: ProjectDirectory };
}

/** Input of `shareImage`. */
export interface ShareImageInput {
  /** The driver of the landlord whose cloud holds the image (landlord B). */
  from: ImageOwnerDriver;
  /** The image's id in B's Glance. */
  image: string;
  /** The exchange project that will use it: B's project of that name (made by B's Tenancy or a federation mapping). */
  toProject: string;
  /**
   * The id of B's cloud as a K2K service provider in this (A's) Keystone. When given, the
   * membership is accepted with A's identity through a K2K token of B scoped to the project —
   * the MOC's resource federation. Without it, B's own credentials accept it.
   */
  serviceProvider?: string;
  /** B's domain of the project when it is not B's tenant domain (e.g. the federation IdP's domain). */
  projectDomain?: { id: string } | { name: string };
}

/** What sharing did. */
export interface SharedImage {
  image: string;
  /** B's project that owns the image. */
  ownerProject: string;
  /** B's project the image is now shared with (accepted). */
  memberProject: string;
  status: 'accepted';
  /** How the membership was accepted. */
  acceptedWith: 'k2k' | 'owner-credentials';
}

const InputSchema = z
  .object({
    from: z.custom<ImageOwnerDriver>(
      (value) => typeof (value as ImageOwnerDriver | undefined)?.ext?.projects?.find === 'function',
      'must be an OpenStack driver',
    ),
    image: z.string().min(1).max(64),
    toProject: IdSchema,
    serviceProvider: z.string().min(1).optional(),
    projectDomain: z.union([z.object({ id: z.string().min(1) }), z.object({ name: z.string().min(1) })]).optional(),
  })
  .strict();

/**
 * Resource federation for images: make an image of landlord B's cloud usable by an exchange
 * project, in one call. B (the owner) sets the image `shared` if it was private and adds the
 * project as a member; then the membership is accepted — with a K2K token of B obtained from
 * this cloud's Keystone (A's user acts in B) when `serviceProvider` is given, else with B's
 * credentials. Re-running it is harmless.
 */
export async function shareImage(
  local: {
    session: KeystoneSession;
    k2kSession: (options: {
      serviceProvider: string;
      project: { name: string; domain: { id: string } | { name: string } };
    }) => Promise<KeystoneSession>;
  },
  input: ShareImageInput,
  options: CallOptions = {},
): Promise<SharedImage> {
  const parsed = parseWith(InputSchema, input, { what: 'shareImage input', prefix: 'input' });
  const owner = parsed.from.ext;
  if (owner.glance === undefined) {
    throw new OcxError({ code: 'capability', message: 'shareImage: the owner driver does not use Glance (services)' });
  }
  const image = await owner.glance.getImage(parsed.image, options);
  if (image === undefined) {
    throw new OcxError({
      code: 'not-found',
      backend: 'glance',
      operation: 'get_image',
      message: `The owner's Glance has no image ${parsed.image}`,
    });
  }
  if (image.visibility === 'private') await owner.glance.setVisibility(image.id, 'shared', options);
  const domain = parsed.projectDomain ?? { id: owner.projects.domainId };

  if (parsed.serviceProvider !== undefined) {
    const remote = await local.k2kSession({
      serviceProvider: parsed.serviceProvider,
      project: { name: parsed.toProject, domain },
    });
    try {
      const memberProject = (await remote.current(options.signal)).projectId;
      if (memberProject === undefined) {
        throw new OcxError({
          code: 'auth',
          backend: 'keystone',
          operation: 'k2k',
          message: 'The K2K token of the owner cloud is not scoped to a project',
        });
      }
      await owner.glance.addMember(image.id, memberProject, options);
      const consumer = createGlanceClient(
        createServiceClient(remote, {
          backend: 'glance',
          type: 'image',
          baseUrl: (url) => stripVersionSuffix(url, 'v2'),
        }),
      );
      await consumer.setMemberStatus(image.id, memberProject, 'accepted', options);
      return {
        image: image.id,
        ownerProject: image.owner ?? '',
        memberProject,
        status: 'accepted',
        acceptedWith: 'k2k',
      };
    } finally {
      await remote.close();
    }
  }

  const member = await owner.projects.require(parsed.toProject, options);
  await owner.glance.addMember(image.id, member.id, options);
  await owner.glance.setMemberStatus(image.id, member.id, 'accepted', options);
  return {
    image: image.id,
    ownerProject: image.owner ?? '',
    memberProject: member.id,
    status: 'accepted',
    acceptedWith: 'owner-credentials',
  };
}
