import { z } from 'zod';

/** One endpoint of a catalog entry. */
export const CatalogEndpointSchema = z.looseObject({
  id: z.string().optional(),
  interface: z.string(),
  region: z.string().nullish(),
  region_id: z.string().nullish(),
  url: z.string(),
});

/** One service of the catalog a token carries. */
export const CatalogEntrySchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  id: z.string().optional(),
  endpoints: z.array(CatalogEndpointSchema),
});
/** CatalogEntry as the driver parses it (see {@link CatalogEntrySchema}). */
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

const NamedRef = z.looseObject({ id: z.string(), name: z.string().optional() });

/** A remote cloud this Keystone can give K2K assertions for (listed in scoped tokens). */
export const ServiceProviderRefSchema = z.looseObject({ id: z.string(), auth_url: z.string(), sp_url: z.string() });

/** The body of `POST /v3/auth/tokens` (201); the token itself is in the `X-Subject-Token` header. */
export const TokenResponseSchema = z.looseObject({
  token: z.looseObject({
    methods: z.array(z.string()).default([]),
    expires_at: z.string(),
    issued_at: z.string().optional(),
    user: z.looseObject({ id: z.string(), name: z.string().optional(), domain: NamedRef.optional() }),
    project: z.looseObject({ id: z.string(), name: z.string().optional(), domain: NamedRef.optional() }).optional(),
    domain: NamedRef.optional(),
    roles: z.array(NamedRef).optional(),
    catalog: z.array(CatalogEntrySchema).optional(),
    service_providers: z.array(ServiceProviderRefSchema).optional(),
    application_credential: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
  }),
});
/** TokenResponse as the driver parses it (see {@link TokenResponseSchema}). */
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** What the driver keeps of a token besides its text: who it is for, until when, and the catalog. */
export interface TokenInfo {
  userId: string;
  userName?: string;
  projectId?: string;
  projectName?: string;
  roles: string[];
  methods: string[];
  expiresAt: Date;
  catalog: CatalogEntry[];
  serviceProviders: Array<{ id: string; authUrl: string; spUrl: string }>;
}

/** The parts of a token body the driver uses. */
export function tokenInfoFrom(body: TokenResponse): TokenInfo {
  const token = body.token;
  return {
    userId: token.user.id,
    userName: token.user.name,
    projectId: token.project?.id,
    projectName: token.project?.name,
    roles: (token.roles ?? []).map((role) => role.name ?? role.id),
    methods: token.methods,
    expiresAt: new Date(
      Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(token.expires_at) ? token.expires_at : `${token.expires_at}Z`),
    ),
    catalog: token.catalog ?? [],
    serviceProviders: (token.service_providers ?? []).map((provider) => ({
      id: provider.id,
      authUrl: provider.auth_url,
      spUrl: provider.sp_url,
    })),
  };
}
