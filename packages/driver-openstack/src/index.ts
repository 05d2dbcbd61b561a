/**
 * `@ocx/driver-openstack`: the OpenStack driver for the OCX SDK — Keystone, Nova, Cinder,
 * Neutron, Glance and Swift as a `Tenancy`, a `QuotaProvider` and meters, with the typed clients,
 * federation, Keystone-to-Keystone, unified limits and resource federation under `ext`.
 * @packageDocumentation
 */

export type { CinderClient } from './cinder/cinder-client.js';
export { createCinderClient } from './cinder/cinder-client.js';
export type { Volume } from './cinder/results.js';
export { connectOpenStackDriver } from './connect.js';
export type { OpenStackDriver } from './driver.js';
export { createOpenStackDriver } from './driver.js';
export type { OpenStackDriverOptions, OpenStackService } from './driver-options.js';
export { DEFAULT_RETRY, OPENSTACK_SERVICES, SERVICE_TYPES } from './driver-options.js';
export type { OpenStackExtension } from './extension.js';
export type { ImageOwnerDriver, SharedImage, ShareImageInput } from './federation/share-image.js';
export type { TransferredVolume, TransferVolumeInput, VolumeOwnerDriver } from './federation/transfer-volume.js';
export type { GlanceClient, MemberStatus } from './glance/glance-client.js';
export { createGlanceClient } from './glance/glance-client.js';
export type { Image, ImageMember } from './glance/results.js';
export type { KeystoneAuth, KeystoneAuthOptions } from './keystone/auth-options.js';
export { parseKeystoneAuth } from './keystone/auth-options.js';
export type { EndpointInterface, EndpointQuery } from './keystone/catalog.js';
export { catalogHas, findEndpoint } from './keystone/catalog.js';
export { createIdentityClient } from './keystone/create-identity-client.js';
export type { FederationClient, IdentityProviderInput, ServiceProviderInput } from './keystone/federation-client.js';
export { createFederationClient } from './keystone/federation-client.js';
export type {
  IdentityProvider,
  Mapping,
  MappingRule,
  Protocol,
  ServiceProvider,
} from './keystone/federation-results.js';
export type {
  CreateProjectInput,
  CreateUserInput,
  GrantActor,
  GrantTarget,
  IdentityClient,
  RoleAssignmentFilter,
} from './keystone/identity-client.js';
export type { Domain, Project, Role, RoleAssignment, User } from './keystone/identity-results.js';
export type { K2kOptions, K2kToken } from './keystone/k2k.js';
export { k2kSession, k2kToken } from './keystone/k2k.js';
export type { KeystoneList } from './keystone/keystone-list.js';
export { requireComplete } from './keystone/keystone-list.js';
export type { Limit, LimitFilter, LimitsClient, RegisteredLimit } from './keystone/limits-client.js';
export { createLimitsClient } from './keystone/limits-client.js';
export type { ProjectAutoCreationOptions } from './keystone/mapping-rules.js';
export { projectAutoCreationRules } from './keystone/mapping-rules.js';
export type { HttpSettings, KeystoneSession, KeystoneSessionOptions } from './keystone/session.js';
export { createKeystoneSession } from './keystone/session.js';
export type { TokenInfo } from './keystone/token-results.js';
export type { StoppedServerPolicy } from './meters/compute-meter.js';
export type { NovaInstanceActionOptions, NovaInstanceActionRow } from './meters/nova-instance-actions.js';
export { NOVA_STATE_ACTIONS, novaInstanceActionRows, parsePciAlias } from './meters/nova-instance-actions.js';
export type { NeutronClient } from './neutron/neutron-client.js';
export { createNeutronClient } from './neutron/neutron-client.js';
export type { FloatingIp, Network } from './neutron/results.js';
export type { CreateFlavorInput, CreateServerInput, NovaClient, QuotaDetail } from './nova/nova-client.js';
export { createNovaClient } from './nova/nova-client.js';
export type {
  EmbeddedFlavor,
  Flavor,
  InstanceAction,
  InstanceActionDetail,
  InstanceActionEvent,
  Server,
  ServerUsage,
} from './nova/results.js';
export type { TenantUsagePageEntry, TenantUsageQuery, TenantUsageSummary, UsageTotals } from './nova/tenant-usage.js';
export type { QuotaResource, QuotaService } from './quotas/quota-resources.js';
export { QUOTA_RESOURCES } from './quotas/quota-resources.js';
export { parseQuotaLimits } from './quotas/quota-values.js';
export { CINDER_MICROVERSIONS, NOVA_MICROVERSIONS } from './service-clients.js';
export { compareMicroversions, negotiateMicroversion } from './shared/microversion.js';
export type { OpenStackServiceClient } from './shared/service-client.js';
export { createServiceClient } from './shared/service-client.js';
export type { SwiftContainer, SwiftObject } from './swift/results.js';
export type { SwiftAccountUsage, SwiftClient } from './swift/swift-client.js';
export { createSwiftClient } from './swift/swift-client.js';
export type { ManagedProject, ProjectDirectory } from './tenancy/project-directory.js';
