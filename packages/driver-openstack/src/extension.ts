import type { CallOptions } from '@ocx/core';
import type { ParsedOpenStackDriverOptions } from './driver-options.js';
import { type SharedImage, type ShareImageInput, shareImage } from './federation/share-image.js';
import { type TransferredVolume, type TransferVolumeInput, transferVolume } from './federation/transfer-volume.js';
import { createIdentityClient } from './keystone/create-identity-client.js';
import { createFederationClient, type FederationClient } from './keystone/federation-client.js';
import type { IdentityClient } from './keystone/identity-client.js';
import { type K2kOptions, type K2kToken, k2kSession, k2kToken } from './keystone/k2k.js';
import { createLimitsClient, type LimitsClient } from './keystone/limits-client.js';
import { scopedSession } from './keystone/scoped-session.js';
import { createKeystoneSession, type HttpSettings, type KeystoneSession } from './keystone/session.js';
import { createServiceClients, type ServiceClients } from './service-clients.js';
import { createProjectDirectory, type ProjectDirectory } from './tenancy/project-directory.js';

/**
 * The backend calls outside the standard interfaces: the Keystone session and every typed
 * client, federation objects, K2K, unified limits, and resource federation (`shareImage`).
 */
export interface OpenStackExtension extends ServiceClients {
  readonly session: KeystoneSession;
  readonly identity: IdentityClient;
  readonly federation: FederationClient;
  readonly limits: LimitsClient;
  /** Exchange projects ↔ Keystone projects. */
  readonly projects: ProjectDirectory;
  /** Keystone-to-Keystone: tokens and sessions of a service-provider cloud with this cloud's identity. */
  readonly k2k: {
    token(options: K2kOptions): Promise<K2kToken>;
    session(options: Omit<K2kOptions, 'signal'>): Promise<KeystoneSession>;
  };
  /** Resource federation: make another landlord's image usable by an exchange project (see `ShareImageInput`). */
  shareImage(input: ShareImageInput, options?: CallOptions): Promise<SharedImage>;
  /** Resource federation for volumes: hand another landlord's volume to an exchange project (see `TransferVolumeInput`). */
  transferVolume(input: TransferVolumeInput, options?: CallOptions): Promise<TransferredVolume>;
  /** A session of this cloud with the driver's user rescoped to another project (it needs a role there). */
  scopedSession(projectId: string): KeystoneSession;
  /** Close every client. */
  close(): Promise<void>;
}

/** Build the extension: one session, and clients of the configured services over it. */
export function createOpenStackExtension(config: ParsedOpenStackDriverOptions, http: HttpSettings): OpenStackExtension {
  const session = createKeystoneSession({
    auth: config.auth,
    interface: config.interface,
    region: config.region,
    http,
  });
  const identity = createIdentityClient(session.identity);
  const clients = createServiceClients(session, config.services);
  return {
    ...clients,
    session,
    identity,
    federation: createFederationClient(session.identity),
    limits: createLimitsClient(session.identity, {
      projectScoped: (projectId) => {
        const scoped = scopedSession(session, projectId);
        return {
          identity: scoped.identity,
          close: async () => {
            await scoped.identity.close();
            await scoped.close();
          },
        };
      },
    }),
    projects: createProjectDirectory(identity, config.tenantDomainId),
    k2k: {
      token: (options) => k2kToken(session, options),
      session: (options) => k2kSession(session, options),
    },
    transferVolume: (input, options) =>
      transferVolume({ k2kSession: (k2k) => k2kSession(session, k2k) }, input, options),
    scopedSession: (projectId) => scopedSession(session, projectId),
    shareImage: (input, options) =>
      shareImage({ session, k2kSession: (k2k) => k2kSession(session, k2k) }, input, options),
    async close() {
      await Promise.all(Object.values(clients.raw).map((client) => client?.close()));
      await session.identity.close();
      await session.close();
    },
  };
}
