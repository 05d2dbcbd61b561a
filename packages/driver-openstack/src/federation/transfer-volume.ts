import { type CallOptions, IdSchema, OcxError, parseWith } from '@ocx/core';
import { z } from 'zod';
import { type CinderClient, createCinderClient } from '../cinder/cinder-client.js';
import type { KeystoneSession } from '../keystone/session.js';
import { CINDER_MICROVERSIONS } from '../service-clients.js';
import { createServiceClient } from '../shared/service-client.js';
import { versionRoot } from '../shared/service-paths.js';
import type { ProjectDirectory } from '../tenancy/project-directory.js';

/** The part of the owner's driver a volume transfer needs. */
export interface VolumeOwnerDriver {
  readonly ext: {
    readonly cinder?: CinderClient;
    readonly projects: ProjectDirectory;
    scopedSession(projectId: string): KeystoneSession;
  };
}

/** Input of `transferVolume`. */
export interface TransferVolumeInput {
  /** The driver of the landlord whose Cinder holds the volume (landlord B). */
  from: VolumeOwnerDriver;
  /** The volume's id in B's Cinder; it must be `available`. */
  volume: string;
  /** The exchange project that receives it: B's project of that name. */
  toProject: string;
  /** B as a K2K service provider of this (A's) Keystone: the receiver accepts with A's identity. */
  serviceProvider?: string;
  /** B's domain of the project when it is not B's tenant domain. */
  projectDomain?: { id: string } | { name: string };
}

/** What the transfer did. */
export interface TransferredVolume {
  volume: string;
  /** B's project that now owns the volume. */
  toProject: string;
  acceptedWith: 'k2k' | 'owner-credentials';
}

const InputSchema = z
  .object({
    from: z.custom<VolumeOwnerDriver>(
      (value) => typeof (value as VolumeOwnerDriver | undefined)?.ext?.scopedSession === 'function',
      'must be an OpenStack driver',
    ),
    volume: z.string().min(1).max(64),
    toProject: IdSchema,
    serviceProvider: z.string().min(1).optional(),
    projectDomain: z.union([z.object({ id: z.string().min(1) }), z.object({ name: z.string().min(1) })]).optional(),
  })
  .strict();

const cinderOver = (session: KeystoneSession): { cinder: CinderClient; close(): Promise<void> } => {
  const service = createServiceClient(session, {
    backend: 'cinder',
    type: 'block-storage',
    microversion: {
      headerType: 'volume',
      ...CINDER_MICROVERSIONS,
      versionDocument: (endpoint) => versionRoot(endpoint, /^v3$/),
    },
  });
  return { cinder: createCinderClient(service), close: () => service.close() };
};

/**
 * Resource federation for volumes: Cinder cannot share a volume between projects, only hand it
 * over, so the owner (B) offers a transfer and the receiving project accepts it with the
 * transfer's one-time key (a secret, never logged) — with a K2K token of B (A's identity) when
 * `serviceProvider` is given, else with B's own user rescoped to the project (it needs a role
 * there). The volume then belongs to the project in B's cloud.
 */
export async function transferVolume(
  local: {
    k2kSession: (options: {
      serviceProvider: string;
      project: { name: string; domain: { id: string } | { name: string } };
    }) => Promise<KeystoneSession>;
  },
  input: TransferVolumeInput,
  options: CallOptions = {},
): Promise<TransferredVolume> {
  const parsed = parseWith(InputSchema, input, { what: 'transferVolume input', prefix: 'input' });
  const owner = parsed.from.ext;
  if (owner.cinder === undefined)
    throw new OcxError({
      code: 'capability',
      message: 'transferVolume: the owner driver does not use Cinder (services)',
    });
  const volume = await owner.cinder.getVolume(parsed.volume, options);
  if (volume === undefined)
    throw new OcxError({
      code: 'not-found',
      backend: 'cinder',
      operation: 'get_volume',
      message: `The owner's Cinder has no volume ${parsed.volume}`,
    });

  const session =
    parsed.serviceProvider !== undefined
      ? await local.k2kSession({
          serviceProvider: parsed.serviceProvider,
          project: { name: parsed.toProject, domain: parsed.projectDomain ?? { id: owner.projects.domainId } },
        })
      : owner.scopedSession((await owner.projects.require(parsed.toProject, options)).id);
  const receiver = cinderOver(session);
  try {
    const projectId = (await session.current(options.signal)).projectId!;
    if (volume['os-vol-tenant-attr:tenant_id'] === projectId) {
      return {
        volume: volume.id,
        toProject: projectId,
        acceptedWith: parsed.serviceProvider !== undefined ? 'k2k' : 'owner-credentials',
      };
    }
    const transfer = await owner.cinder.createTransfer(volume.id, options);
    await receiver.cinder.acceptTransfer(transfer.id, transfer.authKey, options);
    return {
      volume: volume.id,
      toProject: projectId,
      acceptedWith: parsed.serviceProvider !== undefined ? 'k2k' : 'owner-credentials',
    };
  } finally {
    await receiver.close();
    await session.close();
  }
}
