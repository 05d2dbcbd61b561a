import { OcxError, type Organization, parseWith } from '@ocx/core';
import { type ClaimMapperOptions, ClaimMapperOptionsSchema, type OrganizationRule } from './claim-rules.js';
import type { VerifiedToken } from './verified-token.js';

/** What the mapper needs of the exchange's directory. */
export interface OrganizationLookup {
  organizationForDomain(domain: string): Promise<Organization | undefined>;
  organization(id: string): Promise<Organization | undefined>;
}

/** Who a verified token says the user is, in the exchange's terms. */
export interface MappedIdentity {
  organization: Organization;
  /** Which rule decided, e.g. `scoped-affiliation` or `default`. */
  rule: string;
  /** The value that matched (a domain, an issuer, a claim value). */
  matched: string;
  roles: string[];
  /** `admin` when a role is one of the configured admin roles. */
  kind: 'user' | 'admin';
}

/** Maps verified tokens to organizations and roles. */
export interface ClaimMapper {
  map(token: VerifiedToken, directory: OrganizationLookup): Promise<MappedIdentity>;
}

/**
 * Map a verified identity to an exchange organization and roles with configurable, data-driven
 * rules: `eduPersonScopedAffiliation` (`member@bu.edu` → the organization with domain `bu.edu`),
 * `schacHomeOrganization`, the e-mail domain, a fixed organization per issuer, or any claim.
 * The first rule that yields a known organization wins; an identity no rule maps is refused
 * (`auth`, `organization-unmapped`) unless a default organization is configured.
 *
 * @example
 * ```ts
 * const mapper = createClaimMapper({
 *   rules: [
 *     { kind: 'scoped-affiliation', affiliations: ['member', 'faculty', 'staff', 'student'] },
 *     { kind: 'home-organization' },
 *     { kind: 'email-domain' },
 *     { kind: 'issuer', issuer: 'https://login.acme.example', organization: 'acme' },
 *   ],
 *   roles: [{ claim: 'eduPersonScopedAffiliation', pattern: 'faculty@.*', role: 'pi' }],
 * });
 * const { organization, roles } = await mapper.map(verifiedToken, exchange.directory);
 * ```
 */
export function createClaimMapper(options: ClaimMapperOptions): ClaimMapper {
  const config = parseWith(ClaimMapperOptionsSchema, options, { what: 'claim mapper options' });
  const roleRules = config.roles.map((rule) => ({
    ...rule,
    regex: rule.pattern === undefined ? undefined : new RegExp(`^(?:${rule.pattern})$`),
  }));

  const rolesFor = (token: VerifiedToken): string[] => {
    const roles = new Set<string>();
    for (const rule of roleRules) {
      if (rule.issuers !== undefined && !rule.issuers.includes(token.issuer)) continue;
      const values = claimValues(token.claims[rule.claim]);
      if (values.some((value) => rule.equals?.includes(value) === true || rule.regex?.test(value) === true))
        roles.add(rule.role);
    }
    return [...roles];
  };

  return {
    async map(token, directory) {
      const roles = rolesFor(token);
      const kind = roles.some((role) => config.adminRoles.includes(role)) ? 'admin' : 'user';
      for (const rule of config.rules) {
        const found = await applyRule(rule, token, directory);
        if (found !== undefined) return { ...found, rule: rule.kind, roles, kind };
      }
      if (config.unmapped !== 'refuse') {
        const organization = await directory.organization(config.unmapped.organization);
        if (organization === undefined) {
          throw new OcxError({
            code: 'state',
            message: `The default organization ${config.unmapped.organization} does not exist`,
            issues: [{ path: 'unmapped.organization', message: 'no such organization' }],
          });
        }
        return { organization, rule: 'default', matched: config.unmapped.organization, roles, kind };
      }
      throw new OcxError({
        code: 'auth',
        operation: 'sign-in',
        backendErrorType: 'organization-unmapped',
        fault: 'client',
        message: `No rule maps this identity from ${token.issuer} to an organization of the exchange (ask the exchange to add your institution's domain)`,
        issues: [{ path: 'token', message: 'no organization rule matched' }],
      });
    },
  };
}

async function applyRule(
  rule: OrganizationRule,
  token: VerifiedToken,
  directory: OrganizationLookup,
): Promise<{ organization: Organization; matched: string } | undefined> {
  const claims = token.claims;
  if (rule.kind === 'issuer') {
    if (rule.issuer !== token.issuer) return undefined;
    const organization = await directory.organization(rule.organization);
    return organization === undefined ? undefined : { organization, matched: rule.issuer };
  }
  if (rule.issuers !== undefined && !rule.issuers.includes(token.issuer)) return undefined;
  switch (rule.kind) {
    case 'scoped-affiliation': {
      for (const value of claimValues(claims[rule.claim])) {
        const at = value.lastIndexOf('@');
        if (at <= 0) continue;
        if (rule.affiliations !== undefined && !rule.affiliations.includes(value.slice(0, at).toLowerCase())) continue;
        const found = await byDomain(directory, value.slice(at + 1), false);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    case 'home-organization': {
      for (const value of claimValues(claims[rule.claim])) {
        const found = await byDomain(directory, value, false);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    case 'email-domain': {
      if (rule.requireVerified && claims.email_verified !== true) return undefined;
      const email = claimValues(claims[rule.claim])[0];
      const at = email?.lastIndexOf('@') ?? -1;
      if (email === undefined || at <= 0) return undefined;
      return byDomain(directory, email.slice(at + 1), rule.includeSubdomains);
    }
    case 'claim': {
      const regex = rule.pattern === undefined ? undefined : new RegExp(`^(?:${rule.pattern})$`);
      for (const value of claimValues(claims[rule.claim])) {
        const matches =
          (rule.equals === undefined && regex === undefined) ||
          rule.equals?.includes(value) === true ||
          regex?.test(value) === true;
        if (!matches) continue;
        if (rule.organization === undefined) {
          const found = await byDomain(directory, value, false);
          if (found !== undefined) return found;
          continue;
        }
        const organization = await directory.organization(rule.organization);
        if (organization !== undefined) return { organization, matched: value };
      }
      return undefined;
    }
  }
}

/** Look a domain up; with subdomains, `cs.bu.edu` tries `cs.bu.edu` then `bu.edu` (never a bare TLD). */
async function byDomain(
  directory: OrganizationLookup,
  domain: string,
  includeSubdomains: boolean,
): Promise<{ organization: Organization; matched: string } | undefined> {
  const labels = domain.trim().toLowerCase().replace(/\.$/, '').split('.');
  if (labels.some((label) => label === '')) return undefined;
  for (let start = 0; start <= (includeSubdomains ? labels.length - 2 : 0); start += 1) {
    const candidate = labels.slice(start).join('.');
    const organization = await directory.organizationForDomain(candidate);
    if (organization !== undefined) return { organization, matched: candidate };
  }
  return undefined;
}

/** A claim's values as strings: arrays as they are, a string split on spaces, `;` or `,` (providers differ). */
export function claimValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item !== '');
  if (typeof value === 'string') return value.split(/[\s;,]+/).filter((item) => item !== '');
  return [];
}
