import { z } from 'zod';

/** An identity provider a Keystone trusts (an institution's SAML or OIDC IdP, or another Keystone). */
export const IdentityProviderSchema = z.looseObject({
  id: z.string(),
  domain_id: z.string().nullish(),
  enabled: z.boolean().default(true),
  description: z.string().nullish(),
  remote_ids: z.array(z.string()).default([]),
});
/** IdentityProvider as the driver parses it (see {@link IdentityProviderSchema}). */
export type IdentityProvider = z.infer<typeof IdentityProviderSchema>;

/** One rule of a mapping: `remote` conditions on the assertion, `local` identities they map to. */
export interface MappingRule {
  local: Array<Record<string, unknown>>;
  remote: Array<{
    type: string;
    any_one_of?: string[];
    not_any_of?: string[];
    regex?: boolean;
    [key: string]: unknown;
  }>;
}

/** A mapping: rules turning assertion attributes into local users, groups and projects. */
export const MappingSchema = z.looseObject({
  id: z.string(),
  rules: z.array(
    z.looseObject({
      local: z.array(z.record(z.string(), z.unknown())),
      remote: z.array(z.looseObject({ type: z.string() })),
    }),
  ),
});
/** Mapping as the driver parses it (see {@link MappingSchema}). */
export type Mapping = z.infer<typeof MappingSchema>;

/** A protocol of an identity provider (`saml2`, `openid`, `mapped`) and the mapping it uses. */
export const ProtocolSchema = z.looseObject({ id: z.string(), mapping_id: z.string() });
/** Protocol as the driver parses it (see {@link ProtocolSchema}). */
export type Protocol = z.infer<typeof ProtocolSchema>;

/** A remote cloud this Keystone issues K2K assertions for (IdP side). */
export const ServiceProviderSchema = z.looseObject({
  id: z.string(),
  auth_url: z.string(),
  sp_url: z.string(),
  enabled: z.boolean().default(true),
  description: z.string().nullish(),
  relay_state_prefix: z.string().optional(),
});
/** ServiceProvider as the driver parses it (see {@link ServiceProviderSchema}). */
export type ServiceProvider = z.infer<typeof ServiceProviderSchema>;

/** The answer about one item: `{ identity_provider: … }`. */
export const IdentityProviderBodySchema = z.looseObject({ identity_provider: IdentityProviderSchema });
/** A list answer: `{ identity_providers: [...] }` (and its links). */
export const IdentityProviderListSchema = z.looseObject({ identity_providers: z.array(IdentityProviderSchema) });
/** The answer about one item: `{ mapping: … }`. */
export const MappingBodySchema = z.looseObject({ mapping: MappingSchema });
/** A list answer: `{ mappings: [...] }` (and its links). */
export const MappingListSchema = z.looseObject({ mappings: z.array(MappingSchema) });
/** The answer about one item: `{ protocol: … }`. */
export const ProtocolBodySchema = z.looseObject({ protocol: ProtocolSchema });
/** A list answer: `{ protocols: [...] }` (and its links). */
export const ProtocolListSchema = z.looseObject({ protocols: z.array(ProtocolSchema) });
/** The answer about one item: `{ service_provider: … }`. */
export const ServiceProviderBodySchema = z.looseObject({ service_provider: ServiceProviderSchema });
/** A list answer: `{ service_providers: [...] }` (and its links). */
export const ServiceProviderListSchema = z.looseObject({ service_providers: z.array(ServiceProviderSchema) });
