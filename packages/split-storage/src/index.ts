/**
 * `@ocx/split-storage`: objects that no single landlord can read — encrypted, split across the
 * object stores of landlords that do not collude, and opened only where a key-release service has
 * seen a passing attestation.
 * @packageDocumentation
 */

export type { TargetRef } from './errors.js';
export type { ObjectGeometry } from './format/object-geometry.js';
export type { KeyShareFile, Layout, Manifest, PlacementEntry } from './format/object-manifest.js';
export { KeyShareFileSchema, LayoutSchema, ManifestSchema, PlacementEntrySchema } from './format/object-manifest.js';
export {
  FORMAT_VERSION,
  KEY_BYTES,
  NONCE_PREFIX_BYTES,
  segmentAad,
  segmentNonce,
  TAG_BYTES,
} from './format/segment-cipher.js';
export type { EnclaveListing, EnclaveMember, EnclaveMembership } from './release/enclave-membership.js';
export { enclaveMembership } from './release/enclave-membership.js';
export type {
  KeyRelease,
  KeyReleaseDecision,
  KeyReleaseReason,
  KeyReleaseRequest,
  KeyReleaseService,
  KeyReleaseServiceOptions,
} from './release/key-release-service.js';
export { createKeyReleaseService } from './release/key-release-service.js';
export { createSplitStore } from './store/create-split-store.js';
export { ObjectIdSchema } from './store/object-id.js';
export type { SplitStoreOptions } from './store/split-store-options.js';
export {
  DEFAULT_SEGMENT_SIZE,
  DEFAULT_SEGMENTS_PER_PART,
  SplitStoreOptionsSchema,
} from './store/split-store-options.js';
export type {
  DeleteReport,
  GetOptions,
  PutOptions,
  ReleasedKeyShare,
  RepairReport,
  ShareItem,
  SplitObject,
  SplitObjectInfo,
  SplitStore,
  TargetFailure,
} from './store/split-store-types.js';
export type { FileTargetOptions } from './target/file-target.js';
export { fileTarget } from './target/file-target.js';
export type { MemoryTarget, MemoryTargetOptions } from './target/memory-target.js';
export { memoryTarget } from './target/memory-target.js';
export type {
  ObjectBody,
  ObjectStoreTarget,
  PutObjectOptions,
  StoredObjectEntry,
} from './target/object-store-target.js';
export { describeTarget } from './target/object-store-target.js';
export type { S3ObjectClient, S3TargetOptions } from './target/s3-target.js';
export { s3Target } from './target/s3-target.js';
export type { SwiftObjectClient, SwiftTargetOptions } from './target/swift-target.js';
export { swiftTarget } from './target/swift-target.js';
