import { SecretSchema } from '@ocx/core';
import { z } from 'zod';

const ClaimNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a claim name (letters, digits, "_")');

/** One person the local identity provider knows. */
export const LocalUserSchema = z
  .object({
    /** The subject identifier (`sub`), stable for the user's lifetime at this provider. */
    sub: z.string().min(1).max(255),
    email: z.email(),
    name: z.string().min(1).max(200),
    emailVerified: z.boolean().default(true),
    /** When set, the login page asks for it; demo users usually have none. */
    password: SecretSchema.optional(),
    /** eduPerson affiliations scoped to a domain, e.g. `member@bu.edu` (as InCommon IdPs release them). */
    eduPersonScopedAffiliation: z.array(z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be affiliation@domain')).optional(),
    /** SCHAC home organization: the domain of the user's institution, e.g. `bu.edu`. */
    schacHomeOrganization: z.string().min(1).max(253).optional(),
    /** Any further claims released under the `ocx` scope. */
    claims: z.record(ClaimNameSchema, z.unknown()).optional(),
  })
  .strict();
/** Input of one user of {@link createLocalIdentityProvider}. */
export type LocalUserInput = z.input<typeof LocalUserSchema>;
/** One user after parsing. */
export type LocalUser = z.output<typeof LocalUserSchema>;

/** One OAuth client (a portal, a CLI, a test) registered at the local identity provider. */
export const LocalClientSchema = z
  .object({
    clientId: z.string().min(1).max(255),
    /** A confidential client authenticates with it (client_secret_basic); without it the client is public (PKCE only). */
    clientSecret: SecretSchema.optional(),
    redirectUris: z.array(z.url({ protocol: /^https?$/ })).min(1),
  })
  .strict();
/** Input of one client of {@link createLocalIdentityProvider}. */
export type LocalClientInput = z.input<typeof LocalClientSchema>;

/** Where the provider tells relying parties that a user has left (a SCIM-like push). */
export const DeprovisioningTargetSchema = z
  .object({
    /** The SCIM base URL; the provider sends `DELETE <url>/Users/<sub>`. */
    url: z.url({ protocol: /^https?$/ }),
    /** The bearer token the target expects. */
    token: SecretSchema,
  })
  .strict();

/** Options of {@link createLocalIdentityProvider}. */
export const LocalIdentityProviderOptionsSchema = z
  .object({
    /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
    port: z.number().int().min(0).max(65_535).default(0),
    /**
     * The issuer URL, e.g. `http://127.0.0.1:4400`. Its host must be 127.0.0.1 or localhost, it takes no
     * path, and its port (if any) is the one listened on. Default: `http://127.0.0.1:<port>`.
     */
    issuer: z
      .url({ protocol: /^http$/ })
      .refine(
        (value) => ['127.0.0.1', 'localhost'].includes(new URL(value).hostname),
        'must be on 127.0.0.1 or localhost',
      )
      .refine(
        (value) => ['', '/'].includes(new URL(value).pathname) && !/[?#]/.test(value),
        'takes no path, query or fragment',
      )
      .optional(),
    clients: z.array(LocalClientSchema).min(1),
    users: z.array(LocalUserSchema).default([]),
    ttl: z
      .object({
        idTokenSeconds: z.number().int().min(1).max(86_400).default(3600),
        accessTokenSeconds: z.number().int().min(1).max(86_400).default(3600),
      })
      .strict()
      .default({ idTokenSeconds: 3600, accessTokenSeconds: 3600 }),
    /** The API that JWT access tokens (RFC 9068, `typ: at+jwt`) are issued for. */
    resource: z
      .object({
        /** The resource indicator (RFC 8707), an absolute URI. */
        indicator: z.url().default('urn:ocx:exchange'),
        /** The access tokens' `aud`. */
        audience: z.string().min(1).default('ocx-exchange'),
        scopes: z
          .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/))
          .min(1)
          .default(['ocx']),
      })
      .strict()
      .default({ indicator: 'urn:ocx:exchange', audience: 'ocx-exchange', scopes: ['ocx'] }),
    /** Relying parties told (SCIM `DELETE /Users/<sub>`) when `removeUser` is called. */
    deprovisioning: z.array(DeprovisioningTargetSchema).default([]),
  })
  .strict()
  .superRefine((options, context) => {
    const subs = new Set<string>();
    options.users.forEach((user, index) => {
      if (subs.has(user.sub))
        context.addIssue({ code: 'custom', path: ['users', index, 'sub'], message: `duplicate sub ${user.sub}` });
      subs.add(user.sub);
    });
    const ids = new Set<string>();
    options.clients.forEach((client, index) => {
      if (ids.has(client.clientId))
        context.addIssue({
          code: 'custom',
          path: ['clients', index, 'clientId'],
          message: `duplicate clientId ${client.clientId}`,
        });
      ids.add(client.clientId);
    });
    if (options.issuer !== undefined && options.port !== 0) {
      const issuerPort = Number(new URL(options.issuer).port || 80);
      if (issuerPort !== options.port)
        context.addIssue({
          code: 'custom',
          path: ['issuer'],
          message: `its port ${issuerPort} differs from port ${options.port}`,
        });
    }
  });
/** Input of {@link createLocalIdentityProvider}. */
export type LocalIdentityProviderOptions = z.input<typeof LocalIdentityProviderOptionsSchema>;
/** Options after parsing and defaults. */
export type ParsedLocalIdentityProviderOptions = z.output<typeof LocalIdentityProviderOptionsSchema>;
