import { type CallOptions, OcxError } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import type { z } from 'zod';
import {
  type IdentityProvider,
  IdentityProviderBodySchema,
  IdentityProviderListSchema,
  type Mapping,
  MappingBodySchema,
  MappingListSchema,
  type MappingRule,
  type Protocol,
  ProtocolBodySchema,
  ProtocolListSchema,
  type ServiceProvider,
  ServiceProviderBodySchema,
  ServiceProviderListSchema,
} from './federation-results.js';

/** An identity provider's settings. */
export interface IdentityProviderInput {
  /** The entity ids (SAML) or issuers (OIDC) that identify it in assertions. */
  remoteIds: string[];
  /** The domain its users and auto-created projects live in; Keystone makes one when absent. */
  domainId?: string;
  enabled?: boolean;
  description?: string;
}

/** A K2K service provider: another cloud's SAML ECP endpoint and its Keystone federation auth URL. */
export interface ServiceProviderInput {
  /** The SP's Keystone `…/v3/OS-FEDERATION/identity_providers/{idp}/protocols/saml2/auth`. */
  authUrl: string;
  /** The SP's SAML2 ECP endpoint, e.g. `https://sp.example/Shibboleth.sso/SAML2/ECP`. */
  spUrl: string;
  enabled?: boolean;
  description?: string;
}

/**
 * Keystone's OS-FEDERATION objects: identity providers, mappings (see
 * `projectAutoCreationRules`), protocols that bind the two, and — for Keystone-to-Keystone —
 * service providers. The `ensure*` calls create or update to the given state, so onboarding a
 * landlord's federation can be re-run.
 */
export interface FederationClient {
  listIdentityProviders(options?: CallOptions): Promise<IdentityProvider[]>;
  getIdentityProvider(id: string, options?: CallOptions): Promise<IdentityProvider | undefined>;
  ensureIdentityProvider(id: string, input: IdentityProviderInput, options?: CallOptions): Promise<IdentityProvider>;
  /** Delete an identity provider (and its protocols); a missing one is fine. */
  deleteIdentityProvider(id: string, options?: CallOptions): Promise<void>;
  listMappings(options?: CallOptions): Promise<Mapping[]>;
  getMapping(id: string, options?: CallOptions): Promise<Mapping | undefined>;
  ensureMapping(id: string, rules: MappingRule[], options?: CallOptions): Promise<Mapping>;
  deleteMapping(id: string, options?: CallOptions): Promise<void>;
  listProtocols(identityProvider: string, options?: CallOptions): Promise<Protocol[]>;
  ensureProtocol(
    identityProvider: string,
    protocol: string,
    mappingId: string,
    options?: CallOptions,
  ): Promise<Protocol>;
  deleteProtocol(identityProvider: string, protocol: string, options?: CallOptions): Promise<void>;
  listServiceProviders(options?: CallOptions): Promise<ServiceProvider[]>;
  ensureServiceProvider(id: string, input: ServiceProviderInput, options?: CallOptions): Promise<ServiceProvider>;
  deleteServiceProvider(id: string, options?: CallOptions): Promise<void>;
}

const isCode = (error: unknown, code: string): boolean => OcxError.is(error) && error.code === code;

/**
 * The federation client over an authenticated Keystone HTTP client.
 *
 * @example
 * ```ts
 * const federation = createFederationClient(session.identity);
 * await federation.ensureIdentityProvider('bu', { remoteIds: ['https://sso.bu.edu'] });
 * await federation.ensureMapping('bu-map', projectAutoCreationRules({ userNameAttribute: 'HTTP_OIDC_EMAIL', projects: [{ name: '{0}', roles: ['member'] }] }));
 * await federation.ensureProtocol('bu', 'openid', 'bu-map');
 * ```
 */
export function createFederationClient(keystone: HttpClient): FederationClient {
  const id = encodeURIComponent;
  const base = 'OS-FEDERATION';

  /** PUT creates (201); an existing object (409) is PATCHed to the same state instead. */
  const putOrPatch = async <Schema extends z.ZodType, T>(
    path: string,
    body: unknown,
    schema: Schema,
    read: (data: z.output<Schema>) => T,
    options: CallOptions,
    operation: string,
  ): Promise<T> => {
    try {
      const response = await keystone.put(path, {
        json: body,
        schema,
        operation: `create_${operation}`,
        expectedStatus: [200, 201],
        signal: options.signal,
      });
      return read(response.data as z.output<Schema>);
    } catch (error) {
      if (!isCode(error, 'conflict')) throw error;
      const response = await keystone.patch(path, {
        json: body,
        schema,
        operation: `update_${operation}`,
        idempotent: true,
        signal: options.signal,
      });
      return read(response.data as z.output<Schema>);
    }
  };

  const remove = async (path: string, operation: string, options: CallOptions): Promise<void> => {
    try {
      await keystone.delete(path, { responseType: 'empty', operation, signal: options.signal });
    } catch (error) {
      if (!isCode(error, 'not-found')) throw error;
    }
  };

  return {
    async listIdentityProviders(options = {}) {
      return (
        await keystone.get(`${base}/identity_providers`, {
          schema: IdentityProviderListSchema,
          operation: 'list_identity_providers',
          signal: options.signal,
        })
      ).data.identity_providers;
    },
    async getIdentityProvider(idp, options = {}) {
      try {
        return (
          await keystone.get(`${base}/identity_providers/${id(idp)}`, {
            schema: IdentityProviderBodySchema,
            operation: 'get_identity_provider',
            signal: options.signal,
          })
        ).data.identity_provider;
      } catch (error) {
        if (isCode(error, 'not-found')) return undefined;
        throw error;
      }
    },
    ensureIdentityProvider(idp, input, options = {}) {
      const body = {
        identity_provider: {
          remote_ids: input.remoteIds,
          enabled: input.enabled ?? true,
          description: input.description,
          ...(input.domainId === undefined ? {} : { domain_id: input.domainId }),
        },
      };
      return putOrPatch(
        `${base}/identity_providers/${id(idp)}`,
        body,
        IdentityProviderBodySchema,
        (data) => data.identity_provider,
        options,
        'identity_provider',
      );
    },
    deleteIdentityProvider: (idp, options = {}) =>
      remove(`${base}/identity_providers/${id(idp)}`, 'delete_identity_provider', options),
    async listMappings(options = {}) {
      return (
        await keystone.get(`${base}/mappings`, {
          schema: MappingListSchema,
          operation: 'list_mappings',
          signal: options.signal,
        })
      ).data.mappings;
    },
    async getMapping(mapping, options = {}) {
      try {
        return (
          await keystone.get(`${base}/mappings/${id(mapping)}`, {
            schema: MappingBodySchema,
            operation: 'get_mapping',
            signal: options.signal,
          })
        ).data.mapping;
      } catch (error) {
        if (isCode(error, 'not-found')) return undefined;
        throw error;
      }
    },
    ensureMapping(mapping, rules, options = {}) {
      return putOrPatch(
        `${base}/mappings/${id(mapping)}`,
        { mapping: { rules } },
        MappingBodySchema,
        (data) => data.mapping,
        options,
        'mapping',
      );
    },
    deleteMapping: (mapping, options = {}) => remove(`${base}/mappings/${id(mapping)}`, 'delete_mapping', options),
    async listProtocols(idp, options = {}) {
      return (
        await keystone.get(`${base}/identity_providers/${id(idp)}/protocols`, {
          schema: ProtocolListSchema,
          operation: 'list_protocols',
          signal: options.signal,
        })
      ).data.protocols;
    },
    ensureProtocol(idp, protocol, mappingId, options = {}) {
      return putOrPatch(
        `${base}/identity_providers/${id(idp)}/protocols/${id(protocol)}`,
        { protocol: { mapping_id: mappingId } },
        ProtocolBodySchema,
        (data) => data.protocol,
        options,
        'protocol',
      );
    },
    deleteProtocol: (idp, protocol, options = {}) =>
      remove(`${base}/identity_providers/${id(idp)}/protocols/${id(protocol)}`, 'delete_protocol', options),
    async listServiceProviders(options = {}) {
      return (
        await keystone.get(`${base}/service_providers`, {
          schema: ServiceProviderListSchema,
          operation: 'list_service_providers',
          signal: options.signal,
        })
      ).data.service_providers;
    },
    ensureServiceProvider(sp, input, options = {}) {
      const body = {
        service_provider: {
          auth_url: input.authUrl,
          sp_url: input.spUrl,
          enabled: input.enabled ?? true,
          description: input.description,
        },
      };
      return putOrPatch(
        `${base}/service_providers/${id(sp)}`,
        body,
        ServiceProviderBodySchema,
        (data) => data.service_provider,
        options,
        'service_provider',
      );
    },
    deleteServiceProvider: (sp, options = {}) =>
      remove(`${base}/service_providers/${id(sp)}`, 'delete_service_provider', options),
  };
}
