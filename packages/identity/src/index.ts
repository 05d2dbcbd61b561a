/**
 * `@ocx/identity`: single sign-on for an Open Cloud eXchange — OIDC token verification across
 * identity providers, claim mapping to organizations and roles, sign-in into the exchange's
 * directory, departures signalled by the identity provider (SCIM), and Keystone federation.
 * The local identity provider for demos and tests is in `@ocx/identity/provider`.
 * @packageDocumentation
 */

export type { ClaimMapper, MappedIdentity, OrganizationLookup } from './claim-mapper.js';
export { claimValues, createClaimMapper } from './claim-mapper.js';
export type { ClaimMapperOptions, OrganizationRule, OrganizationRuleInput, RoleRuleInput } from './claim-rules.js';
export { ClaimMapperOptionsSchema, OrganizationRuleSchema, RoleRuleSchema } from './claim-rules.js';
export type { DepartingUser, DepartureReport, Deprovisioning, DeprovisioningOptions } from './deprovisioning.js';
export { createDeprovisioning } from './deprovisioning.js';
export type {
  FederationState,
  KeystoneFederation,
  KeystoneFederationApi,
  KeystoneFederationOptions,
  KeystoneIdentityProvider,
  KeystoneMapping,
  KeystoneProtocol,
} from './keystone/keystone-federation.js';
export { createKeystoneFederation, KeystoneFederationOptionsSchema } from './keystone/keystone-federation.js';
export type { ExchangeMappingOptions, FederatedUser, KeystoneMappingRule } from './keystone/keystone-mapping-rules.js';
export { exchangeMappingRules, NO_MEMBERS_ATTRIBUTE } from './keystone/keystone-mapping-rules.js';
export type { OidcVerifier, VerifyOptions } from './oidc-verifier.js';
export { createOidcVerifier } from './oidc-verifier.js';
export type {
  AsymmetricAlgorithm,
  OidcVerifierOptions,
  TrustedProvider,
  TrustedProviderInput,
} from './oidc-verifier-options.js';
export { ASYMMETRIC_ALGORITHMS, OidcVerifierOptionsSchema, TrustedProviderSchema } from './oidc-verifier-options.js';
export type {
  ScimDeprovisioningHandler,
  ScimDeprovisioningOptions,
  ScimRequest,
  ScimResponse,
} from './scim-deprovisioning.js';
export { createScimDeprovisioningHandler, ScimDeprovisioningOptionsSchema } from './scim-deprovisioning.js';
export type { SignIn, SignInOptions, SignInResult } from './sign-in.js';
export { createSignIn } from './sign-in.js';
export type { TokenErrorType } from './token-error.js';
export { isTokenError, tokenError } from './token-error.js';
export { defaultUserId } from './user-id.js';
export type { TokenKind, VerifiedToken } from './verified-token.js';
