/**
 * `@ocx/core`: the v1 driver specification, schemas, errors and the exchange runtime.
 * @packageDocumentation
 */

export type { JournalEntry } from './enclave/enclave-journal.js';
export type { EnclaveView } from './enclave/enclave-service.js';
export { EnclaveService } from './enclave/enclave-service.js';
export type {
  CreateEnclaveInput,
  EnclaveEvents,
  EnclaveNodeRecord,
  EnclaveRecord,
  EnclaveStep,
  ServiceRef,
} from './enclave/enclave-types.js';
export { CreateEnclaveInputSchema, ServiceRefSchema } from './enclave/enclave-types.js';
export type { FieldIssue, OcxErrorCode, OcxErrorOptions } from './errors/index.js';
export { isRetryableError, OcxError, parseWith, validationError, zodIssues } from './errors/index.js';
export type { DecimalString, RoundingMode } from './money/index.js';
export { Decimal } from './money/index.js';
export type { AuditEntry, AuditQuery, AuditRecord } from './runtime/audit-log.js';
export { AuditLog, AuditQuerySchema } from './runtime/audit-log.js';
export type { CatalogEntry, CatalogQuery } from './runtime/catalog.js';
export { Catalog, CatalogQuerySchema } from './runtime/catalog.js';
export type { Clock } from './runtime/clock.js';
export { ManualClock, systemClock } from './runtime/clock.js';
export type { ExchangeEventName, ExchangeEvents } from './runtime/events.js';
export type { Exchange, ExchangeOptions } from './runtime/exchange.js';
export { createExchange } from './runtime/exchange.js';
export type { LogFields, Logger } from './runtime/logger.js';
export { consoleLogger, redactingLogger, silentLogger } from './runtime/logger.js';
export type { ActionOptions, Principal } from './runtime/principal.js';
export { PrincipalSchema, SYSTEM_PRINCIPAL } from './runtime/principal.js';
export type { QuotaFilter, SetQuotasInput } from './runtime/quota-ledger.js';
export { QuotaFilterSchema, QuotaLedger, SetQuotasInputSchema } from './runtime/quota-ledger.js';
export type { LandlordRegistration, ServiceHandle, ServiceRegistration } from './runtime/registry.js';
export { LandlordRegistrationSchema, LandlordRegistry, ServiceRegistrationSchema } from './runtime/registry.js';
export { TypedEmitter } from './runtime/typed-emitter.js';
export type { CollectionResult, IngestResult, UsageQuery } from './runtime/usage-ledger.js';
export { UsageLedger, UsageQuerySchema } from './runtime/usage-ledger.js';
export {
  forgetSecret,
  isSecretKey,
  REDACTED,
  redactText,
  redactValue,
  registerSecret,
  revealSecret,
  SECRET_HEADERS,
  SECRET_QUERY_PARAMETERS,
  Secret,
} from './secrets/index.js';
export * from './spec/index.js';
export type { ReleasedResource } from './spec/interfaces/tenancy.js';
export type {
  ListOptions,
  LogEntry,
  PreparedOperation as PreparedStoreOperation,
  Store,
  StoredItem,
  StoreOperation,
} from './store/index.js';
/** Input checks and the key encoding shared by durable stores (`@ocx/store-sqlite`, `@ocx/store-postgres`, yours). */
export {
  checkArray as checkStoreArray,
  checkExpectedVersion as checkStoreExpectedVersion,
  checkKey as checkStoreKey,
  checkListOptions as checkStoreListOptions,
  checkLogOptions as checkStoreLogOptions,
  checkName as checkStoreName,
  checkObject as checkStoreObject,
  createMemoryStore,
  decodeKey as decodeStoreKey,
  encodeKey as encodeStoreKey,
  prefixRange as storeKeyPrefixRange,
  prepareOperations as prepareStoreOperations,
  toJson as storeValueToJson,
  versionConflict as storeVersionConflict,
} from './store/index.js';
export type { Membership, Organization, Project, User } from './workflows/directory.js';
export { Directory, MembershipSchema, OrganizationSchema, ProjectSchema, UserSchema } from './workflows/directory.js';
export type { ClosureReport, RetentionPolicy } from './workflows/offboarding.js';
export { Offboarding, RetentionPolicySchema } from './workflows/offboarding.js';
export { Onboarding } from './workflows/onboarding.js';
export type { ApprovalPolicy, SignUpInput, Subscription, SubscriptionStatus } from './workflows/subscription.js';
export {
  ApprovalPolicySchema,
  SignUpInputSchema,
  SubscriptionStatusSchema,
  subscriptionId,
} from './workflows/subscription.js';
export type { UserReport } from './workflows/support.js';
export { Support } from './workflows/support.js';
