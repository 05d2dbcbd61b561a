import type { Billing } from '@ocx/billing';
import { type Exchange, type Logger, SecretSchema, UrlSchema } from '@ocx/core';
import { OrganizationRuleSchema, RoleRuleSchema } from '@ocx/identity';
import { z } from 'zod';

/** Options of `createPortalHandler`, parsed with zod at construction. */
export const PortalOptionsSchema = z
  .object({
    exchange: z.custom<Exchange>(
      (value) => typeof (value as Exchange | undefined)?.catalog?.find === 'function',
      'must be an Exchange',
    ),
    billing: z.custom<Billing>(
      (value) => typeof (value as Billing | undefined)?.summarize === 'function',
      'must be a Billing',
    ),
    /** Where browsers reach the portal, e.g. `http://127.0.0.1:8400`; the OIDC redirect URI is `<baseUrl>/callback`. */
    baseUrl: UrlSchema,
    identity: z
      .object({
        /** The OpenID Connect provider's issuer. */
        issuer: UrlSchema,
        clientId: z.string().min(1),
        clientSecret: SecretSchema,
        scope: z.string().min(1).default('openid email profile eduperson schac'),
        /**
         * How a signed-in identity maps to an organization of the exchange (`@ocx/identity` rules).
         * Default: the eduPerson scoped affiliation, then the e-mail domain.
         */
        organizationRules: z.array(OrganizationRuleSchema).min(1).optional(),
        roleRules: z.array(RoleRuleSchema).default([]),
      })
      .strict(),
    /**
     * Collect the period so far from the landlords' meters before showing a bill (idempotent), so a
     * demo shows fresh usage. A production portal would leave collection to a scheduled collector.
     */
    collectUsage: z.boolean().default(true),
    logger: z
      .custom<Logger>((value) => typeof (value as Logger | undefined)?.error === 'function', 'must be a Logger')
      .optional(),
  })
  .strict();

/** Input of `createPortalHandler`. */
export type PortalOptions = z.input<typeof PortalOptionsSchema>;
/** Portal options after parsing and defaults. */
export type ParsedPortalOptions = z.output<typeof PortalOptionsSchema>;
