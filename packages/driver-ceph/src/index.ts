/**
 * `@ocx/driver-ceph`: the Ceph driver for the OCX SDK — RGW Admin Ops signed with AWS SigV4 as
 * `Tenancy`, `QuotaProvider` and object-storage meters, and the Ceph Dashboard API for RBD
 * block-storage usage. The typed RGW and dashboard clients are exported too.
 * @packageDocumentation
 */

export type { CephDashboardClient, CephDashboardClientOptions } from './dashboard/dashboard-client.js';
export { cephApiVersion, createCephDashboardClient } from './dashboard/dashboard-client.js';
export type { CephPool, RbdImage } from './dashboard/dashboard-schemas.js';
export type { CephDriver, CephExtension } from './driver.js';
export { createCephDriver } from './driver.js';
export type { CephDriverOptions } from './driver-options.js';
export { CephDriverOptionsSchema } from './driver-options.js';
export type { RbdOwnerRule } from './meters/rbd-owners.js';
export { RbdOwnerRuleSchema } from './meters/rbd-owners.js';
export type { SamplingReport } from './meters/storage-sampler.js';
export type { SampleKind, StorageSample } from './meters/storage-samples.js';
export { USAGE_LOG_METRICS } from './meters/usage-log-meter.js';
export type { ProjectNaming } from './project-naming.js';
export { MemberIdSchema, ProjectIdSchema, projectNaming } from './project-naming.js';
export type { ProjectCredentials } from './project-storage.js';
export type { CephQuotaResource } from './quotas.js';
export { CEPH_QUOTA_RESOURCES } from './quotas.js';
export { parseRgwError, RGW_ERROR_CODES, remapRgwError } from './rgw/parse-rgw-error.js';
export type { RgwAdminClient, RgwAdminClientOptions } from './rgw/rgw-admin-client.js';
export { createRgwAdminClient } from './rgw/rgw-admin-client.js';
export type { RgwQuotaInput, RgwQuotaType } from './rgw/rgw-quotas.js';
export type { RgwBucket, RgwKey, RgwQuota, RgwStats, RgwUsage, RgwUsageCategory, RgwUser } from './rgw/rgw-schemas.js';
export type { RgwUsageQuery, RgwUsageTrim } from './rgw/rgw-usage.js';
export type { CreateRgwUserInput, ModifyRgwUserInput, RgwSubuserAccess } from './rgw/rgw-users.js';
export type { SigV4SignerOptions } from './rgw/sigv4-signer.js';
export { createSigV4Signer } from './rgw/sigv4-signer.js';
export { MEMBER_ROLES } from './tenancy.js';
