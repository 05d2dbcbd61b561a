/**
 * `@ocx/identity/provider`: a local OpenID Connect identity provider (oidc-provider) on 127.0.0.1
 * for demos, portals and tests. Not for production. Never imports vitest.
 * @packageDocumentation
 */

export type { DeprovisioningDelivery } from './deprovisioning-push.js';
export type { LocalIdentityProvider, LocalTokenOptions } from './local-identity-provider.js';
export { createLocalIdentityProvider } from './local-identity-provider.js';
export type { LocalClientInput, LocalIdentityProviderOptions, LocalUserInput } from './provider-options.js';
export {
  DeprovisioningTargetSchema,
  LocalClientSchema,
  LocalIdentityProviderOptionsSchema,
  LocalUserSchema,
} from './provider-options.js';
export type { LocalTokenSet } from './scripted-login.js';
