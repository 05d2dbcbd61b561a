/** One Keystone mapping rule: `remote` conditions on the assertion, `local` identities they map to. */
export interface KeystoneMappingRule {
  local: Array<Record<string, unknown>>;
  remote: Array<{ type: string; any_one_of?: string[]; not_any_of?: string[]; regex?: boolean }>;
}

/** One federated user and the Keystone projects (names in the identity provider's domain) they get. */
export interface FederatedUser {
  /** The OIDC subject (`sub`) at the identity provider. */
  subject: string;
  projects: Array<{ name: string; roles: string[] }>;
}

/** Options of {@link exchangeMappingRules}. */
export interface ExchangeMappingOptions {
  /** How Keystone sees OIDC claims: mod_auth_openidc's `OIDCClaimPrefix`. Default `OIDC-`. */
  claimPrefix?: string;
  /** The claim that names the Keystone (shadow) user. Default `email`. */
  userNameClaim?: string;
  users: FederatedUser[];
}

/** The attribute no assertion carries: a mapping with no members still needs one rule, and it matches nobody. */
export const NO_MEMBERS_ATTRIBUTE = 'OCX-NO-MEMBERS';

/**
 * Keystone mapping rules for the exchange's members at one landlord: one rule per user, matched
 * on their OIDC subject, mapping them to a shadow user named by a claim and granting the
 * projects (auto-created in the identity provider's domain when missing) with their roles.
 * One rule per user because Keystone's mapping engine keeps only the last matching rule's
 * projects, it does not merge them. Anyone the exchange does not list maps to nothing and is
 * refused by Keystone.
 *
 * @example
 * ```ts
 * exchangeMappingRules({ users: [{ subject: 'alice', projects: [{ name: 'genomics', roles: ['member'] }] }] });
 * // [{ remote: [{ type: 'OIDC-email' }, { type: 'OIDC-sub', any_one_of: ['alice'] }],
 * //    local: [{ user: { name: '{0}', type: 'ephemeral' } }, { projects: [{ name: 'genomics', roles: [{ name: 'member' }] }] }] }]
 * ```
 */
export function exchangeMappingRules(options: ExchangeMappingOptions): KeystoneMappingRule[] {
  const prefix = options.claimPrefix ?? 'OIDC-';
  const nameAttribute = `${prefix}${options.userNameClaim ?? 'email'}`;
  const rules = [...options.users]
    .filter((user) => user.projects.length > 0)
    .sort((a, b) => a.subject.localeCompare(b.subject))
    .map(
      (user): KeystoneMappingRule => ({
        local: [
          { user: { name: '{0}', type: 'ephemeral' } },
          {
            projects: [...user.projects]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((project) => ({
                name: project.name,
                roles: [...new Set(project.roles)].sort().map((name) => ({ name })),
              })),
          },
        ],
        remote: [{ type: nameAttribute }, { type: `${prefix}sub`, any_one_of: [user.subject] }],
      }),
    );
  return rules.length > 0
    ? rules
    : [{ local: [{ user: { name: 'nobody', type: 'ephemeral' } }], remote: [{ type: NO_MEMBERS_ATTRIBUTE }] }];
}
