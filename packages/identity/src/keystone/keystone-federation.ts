import { type CallOptions, type Exchange, IdSchema, OcxError, parseWith } from '@ocx/core';
import { z } from 'zod';
import { exchangeMappingRules, type FederatedUser, type KeystoneMappingRule } from './keystone-mapping-rules.js';

/**
 * The Keystone OS-FEDERATION calls this module needs. `@ocx/driver-openstack`'s
 * `driver.ext.federation` is one; any client with these methods works.
 */
export interface KeystoneFederationApi {
  ensureIdentityProvider(
    id: string,
    input: { remoteIds: string[]; domainId?: string; enabled?: boolean; description?: string },
    options?: CallOptions,
  ): Promise<KeystoneIdentityProvider>;
  getIdentityProvider(id: string, options?: CallOptions): Promise<KeystoneIdentityProvider | undefined>;
  deleteIdentityProvider(id: string, options?: CallOptions): Promise<void>;
  ensureMapping(id: string, rules: KeystoneMappingRule[], options?: CallOptions): Promise<KeystoneMapping>;
  getMapping(id: string, options?: CallOptions): Promise<KeystoneMapping | undefined>;
  deleteMapping(id: string, options?: CallOptions): Promise<void>;
  ensureProtocol(
    identityProvider: string,
    protocol: string,
    mappingId: string,
    options?: CallOptions,
  ): Promise<KeystoneProtocol>;
  listProtocols(identityProvider: string, options?: CallOptions): Promise<KeystoneProtocol[]>;
  deleteProtocol(identityProvider: string, protocol: string, options?: CallOptions): Promise<void>;
}

/** A Keystone identity provider object, as read back. */
export interface KeystoneIdentityProvider {
  id: string;
  remote_ids: string[];
  domain_id?: string | null | undefined;
  enabled: boolean;
}
/** A Keystone mapping object, as read back. */
export interface KeystoneMapping {
  id: string;
  rules: Array<{ local: Array<Record<string, unknown>>; remote: Array<{ type: string }> }>;
}
/** A Keystone protocol object, as read back. */
export interface KeystoneProtocol {
  id: string;
  mapping_id: string;
}

/** Options of {@link createKeystoneFederation}, as a schema. */
export const KeystoneFederationOptionsSchema = z
  .object({
    federation: z.custom<KeystoneFederationApi>(
      (value) => typeof (value as KeystoneFederationApi | undefined)?.ensureMapping === 'function',
      'expected a Keystone federation client (driver.ext.federation)',
    ),
    /** The exchange's identity provider (its OIDC issuer): the IdP object's remote id. */
    issuer: z.url(),
    /** The landlord and service whose exchange projects the mapping grants. */
    landlord: IdSchema,
    service: IdSchema,
    /** Keystone ids of the three objects. Defaults: `ocx-<landlord>`, `ocx-<landlord>-mapping`, `openid`. */
    identityProviderId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .optional(),
    mappingId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .optional(),
    protocol: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .default('openid'),
    /**
     * The domain of the identity provider, where Keystone keeps its shadow users and looks up (or
     * auto-creates) mapped projects: the domain the landlord's Tenancy creates exchange projects
     * in, so both name the same project. Default `default`.
     */
    domainId: z.string().min(1).default('default'),
    /** mod_auth_openidc's `OIDCClaimPrefix`, as Keystone sees the claims. Default `OIDC-`. */
    claimPrefix: z.string().min(1).default('OIDC-'),
    /** The claim that names the shadow user. Default `email`. */
    userNameClaim: z.string().min(1).default('email'),
    /**
     * Exchange membership role → Keystone role. Default `admin` and `member` → `member`,
     * `reader` → `reader`: a project lead is not made a Keystone `admin`, which many policies
     * read as cloud administrator. A role not listed grants nothing.
     */
    roles: z
      .record(z.string().min(1), z.string().min(1))
      .default({ admin: 'member', member: 'member', reader: 'reader' }),
  })
  .strict();
/** Options of {@link createKeystoneFederation}. */
export type KeystoneFederationOptions = z.input<typeof KeystoneFederationOptionsSchema>;

/** The three objects as Keystone holds them after a sync. */
export interface FederationState {
  identityProvider: KeystoneIdentityProvider;
  mapping: KeystoneMapping;
  protocol: KeystoneProtocol;
}

/** Keystone federation of one landlord's OpenStack with the exchange's identity provider. */
export interface KeystoneFederation {
  readonly identityProviderId: string;
  readonly mappingId: string;
  readonly protocol: string;
  /** The members who get in, and with which projects: active users of the issuer in projects active at this landlord's service. */
  federatedUsers(exchange: Exchange): Promise<FederatedUser[]>;
  /** The mapping rules for the exchange's current state. */
  rules(exchange: Exchange): Promise<KeystoneMappingRule[]>;
  /** Create or update the identity provider, mapping and protocol to match the exchange (idempotent; run again after sign-ups and departures). */
  sync(exchange: Exchange, options?: CallOptions): Promise<FederationState>;
  /** Read the three objects back; undefined parts do not exist. */
  read(options?: CallOptions): Promise<Partial<FederationState>>;
  /** Delete protocol, mapping and identity provider (missing ones are fine). */
  remove(options?: CallOptions): Promise<void>;
}

/**
 * Keystone federation for an exchange: the identity provider (remote id: the exchange's OIDC
 * issuer), the mapping (OIDC claims → a shadow user and the user's exchange projects at this
 * landlord, auto-created in the IdP's domain) and the `openid` protocol binding them. So an
 * exchange user's OIDC identity signs in to the landlord's OpenStack (through mod_auth_openidc)
 * and lands in exactly the projects the exchange gave them; a user who left maps to nothing.
 *
 * @example
 * ```ts
 * const openstack = createOpenStackDriver({ auth, landlord: 'nerc', service: 'openstack' });
 * const federation = createKeystoneFederation({ federation: openstack.ext.federation, issuer: 'https://idp.bu.edu', landlord: 'nerc', service: 'openstack' });
 * await federation.sync(exchange); // after each sign-up or departure
 * ```
 */
export function createKeystoneFederation(options: KeystoneFederationOptions): KeystoneFederation {
  const config = parseWith(KeystoneFederationOptionsSchema, options, { what: 'Keystone federation options' });
  const api = config.federation;
  const identityProviderId =
    config.identityProviderId ?? `ocx-${config.landlord}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  const mappingId = config.mappingId ?? `${identityProviderId}-mapping`.slice(0, 64);

  const federatedUsers = async (exchange: Exchange): Promise<FederatedUser[]> => {
    const projects = new Set(
      (await exchange.onboarding.subscriptions({ landlord: config.landlord }))
        .filter((subscription) => subscription.service === config.service && subscription.status === 'active')
        .map((subscription) => subscription.project),
    );
    const users: FederatedUser[] = [];
    for (const user of await exchange.directory.users()) {
      if (user.status !== 'active' || user.identity?.issuer !== config.issuer) continue;
      const granted = (await exchange.directory.membershipsOf(user.id))
        .filter((membership) => projects.has(membership.project) && config.roles[membership.role] !== undefined)
        .map((membership) => ({ name: membership.project, roles: [config.roles[membership.role]!] }));
      if (granted.length > 0) users.push({ subject: user.identity.subject, projects: granted });
    }
    return users;
  };
  // Keystone refuses `domain_id` in an update (it is fixed at creation), and the driver's
  // ensureIdentityProvider sends it on the PATCH that follows a 409: for an existing provider,
  // check the domain here and update without it.
  const ensureIdentityProvider = async (callOptions: CallOptions): Promise<KeystoneIdentityProvider> => {
    const settings = {
      remoteIds: [config.issuer],
      enabled: true,
      description: `OCX exchange users of ${config.landlord}/${config.service}`,
    };
    const existing = await api.getIdentityProvider(identityProviderId, callOptions);
    if (existing === undefined)
      return api.ensureIdentityProvider(identityProviderId, { ...settings, domainId: config.domainId }, callOptions);
    if ((existing.domain_id ?? undefined) !== config.domainId) {
      throw new OcxError({
        code: 'conflict',
        backend: 'keystone',
        operation: 'ensure_identity_provider',
        message: `Keystone identity provider ${identityProviderId} lives in domain ${String(existing.domain_id)}, not ${config.domainId}; a provider's domain cannot change: remove() it first`,
        issues: [{ path: 'domainId', message: 'differs from the existing identity provider' }],
      });
    }
    return api.ensureIdentityProvider(identityProviderId, settings, callOptions);
  };
  const rules = async (exchange: Exchange) =>
    exchangeMappingRules({
      claimPrefix: config.claimPrefix,
      userNameClaim: config.userNameClaim,
      users: await federatedUsers(exchange),
    });

  return {
    identityProviderId,
    mappingId,
    protocol: config.protocol,
    federatedUsers,
    rules,
    async sync(exchange, callOptions = {}) {
      // Mapping first: a protocol must name an existing mapping, and an IdP without its mapping maps nobody.
      const mapping = await api.ensureMapping(mappingId, await rules(exchange), callOptions);
      const identityProvider = await ensureIdentityProvider(callOptions);
      const protocol = await api.ensureProtocol(identityProviderId, config.protocol, mappingId, callOptions);
      return { identityProvider, mapping, protocol };
    },
    async read(callOptions = {}) {
      const [identityProvider, mapping] = await Promise.all([
        api.getIdentityProvider(identityProviderId, callOptions),
        api.getMapping(mappingId, callOptions),
      ]);
      const protocol =
        identityProvider === undefined
          ? undefined
          : (await api.listProtocols(identityProviderId, callOptions)).find(
              (candidate) => candidate.id === config.protocol,
            );
      return {
        ...(identityProvider === undefined ? {} : { identityProvider }),
        ...(mapping === undefined ? {} : { mapping }),
        ...(protocol === undefined ? {} : { protocol }),
      };
    },
    async remove(callOptions = {}) {
      if ((await api.getIdentityProvider(identityProviderId, callOptions)) !== undefined)
        await api.deleteProtocol(identityProviderId, config.protocol, callOptions);
      await api.deleteIdentityProvider(identityProviderId, callOptions);
      await api.deleteMapping(mappingId, callOptions);
    },
  };
}
