import { IdSchema } from '@ocx/core';
import { z } from 'zod';

const issuers = z.array(z.string().min(1)).min(1).optional();
const claimName = z.string().min(1).max(128);
const pattern = z
  .string()
  .min(1)
  .refine((source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression');

/**
 * The rules that map a verified identity to an organization, as data (so they can be stored,
 * shown and edited). Each rule may be limited to some issuers: trust an institution's
 * `eduPersonScopedAffiliation` only from that institution's own identity provider.
 */
export const OrganizationRuleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      /** `member@bu.edu` → the organization whose domains include `bu.edu`. */
      kind: z.literal('scoped-affiliation'),
      claim: claimName.default('eduPersonScopedAffiliation'),
      /** Affiliations that count (the part before `@`). Default: any. */
      affiliations: z.array(z.string().min(1)).min(1).optional(),
      issuers,
    })
    .strict(),
  z
    .object({
      /** `schacHomeOrganization: bu.edu` → the organization with domain `bu.edu`. */
      kind: z.literal('home-organization'),
      claim: claimName.default('schacHomeOrganization'),
      issuers,
    })
    .strict(),
  z
    .object({
      /** `alice@bu.edu` → the organization with domain `bu.edu`. */
      kind: z.literal('email-domain'),
      claim: claimName.default('email'),
      /** Only when the provider says the address is verified (`email_verified: true`). Default true. */
      requireVerified: z.boolean().default(true),
      /** `alice@cs.bu.edu` also matches `bu.edu`. Default false. */
      includeSubdomains: z.boolean().default(false),
      issuers,
    })
    .strict(),
  z
    .object({
      /** Everyone from this issuer belongs to this organization (a company's own IdP). */
      kind: z.literal('issuer'),
      issuer: z.string().min(1),
      organization: IdSchema,
    })
    .strict(),
  z
    .object({
      /**
       * A claim decides: with `organization`, a match of `equals`/`pattern` maps to it; without, the
       * claim's value is a domain to look up (e.g. Google's `hd`).
       */
      kind: z.literal('claim'),
      claim: claimName,
      equals: z.array(z.string()).min(1).optional(),
      pattern: pattern.optional(),
      organization: IdSchema.optional(),
      issuers,
    })
    .strict(),
]);
/** One organization rule, as written. */
export type OrganizationRuleInput = z.input<typeof OrganizationRuleSchema>;
/** One organization rule after defaults. */
export type OrganizationRule = z.output<typeof OrganizationRuleSchema>;

/** A claim → role rule: every matching rule adds its role. */
export const RoleRuleSchema = z
  .object({
    claim: claimName,
    /** Matches when the claim (or one of its values) equals one of these. */
    equals: z.array(z.string()).min(1).optional(),
    /** Matches when a value matches this regular expression (whole value). */
    pattern: pattern.optional(),
    role: z.string().min(1).max(64),
    issuers,
  })
  .strict()
  .refine((rule) => rule.equals !== undefined || rule.pattern !== undefined, {
    message: 'give equals or pattern',
    path: ['equals'],
  });
/** One role rule, as written. */
export type RoleRuleInput = z.input<typeof RoleRuleSchema>;

/** Options of {@link createClaimMapper}. */
export const ClaimMapperOptionsSchema = z
  .object({
    /** Tried in order; the first that yields a known organization wins. */
    rules: z.array(OrganizationRuleSchema).min(1),
    roles: z.array(RoleRuleSchema).default([]),
    /** Roles that make the principal an exchange `admin` (kind `admin` in the audit log). Default none. */
    adminRoles: z.array(z.string().min(1)).default([]),
    /** When no rule matches: refuse (default), or put the user in this organization. */
    unmapped: z.union([z.literal('refuse'), z.object({ organization: IdSchema }).strict()]).default('refuse'),
  })
  .strict();
/** Options of {@link createClaimMapper}. */
export type ClaimMapperOptions = z.input<typeof ClaimMapperOptionsSchema>;
