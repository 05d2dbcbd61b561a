import type { CallOptions } from '@ocx/core';
import type { TargetRef } from '../errors.js';
import type { Layout } from '../format/object-manifest.js';
import type { ObjectBody, ObjectStoreTarget } from '../target/object-store-target.js';

/** What the store knows of one stored object, from its manifests (none of it is secret). */
export interface SplitObjectInfo {
  objectId: string;
  /** Which attempt to store it this is; a failed attempt never becomes visible. */
  uploadId: string;
  /** Plaintext bytes. */
  size: number;
  createdAt: string;
  layout: Layout;
  /** k. */
  threshold: number;
  /** n: the targets it was placed on. */
  shares: number;
  /** The landlords and services holding its shares, in share order. */
  placement: TargetRef[];
  /** Manifests found that agree (n when every share is in place). */
  available: number;
  /** The caller's metadata (stored in the clear on every target). */
  metadata?: Record<string, string>;
}

/** An object being read: its info, and its plaintext as a stream of authenticated segments. */
export interface SplitObject {
  info: SplitObjectInfo;
  /**
   * The plaintext, one authenticated segment at a time (each in chunks of at most 64 KiB): no byte
   * is yielded before its segment's tag verified. A failed check throws an OcxError (`protocol`, `backendErrorType: 'integrity'`)
   * from the iteration. Read it once.
   */
  body: AsyncGenerator<Uint8Array, void, undefined>;
}

/** A key share handed out by {@link SplitStore.keyShares} (and a key-release service). Treat as a secret. */
export interface ReleasedKeyShare {
  objectId: string;
  uploadId: string;
  landlord: string;
  service: string;
  /** Its entry in the object's placement. */
  shareIndex: number;
  /** The Shamir share: 32 bytes and its x-coordinate. */
  share: Uint8Array;
}

/** Options of {@link SplitStore.put}. */
export interface PutOptions extends CallOptions {
  /** Labels stored in the clear with every share (never put secrets here). */
  metadata?: Record<string, string>;
}

/** Options of {@link SplitStore.get}. */
export interface GetOptions extends CallOptions {
  /**
   * Key shares released to this reader (by a key-release service); the store then reads only the
   * data shares. Without them the store reads the key shares from the targets itself.
   */
  keyShares?: readonly ReleasedKeyShare[];
}

/** One thing that could not be done on one target. */
export interface TargetFailure extends TargetRef {
  /** The stored key concerned, when there is one. */
  key?: string;
  error: { code: string; message: string };
}

/** What {@link SplitStore.delete} did. */
export interface DeleteReport {
  objectId: string;
  /** Stored items removed, over all targets. */
  deleted: number;
  /** What could not be removed; empty when the object is gone from every target. */
  failed: TargetFailure[];
  /** True when nothing of the object is left on any target. */
  complete: boolean;
}

/** The stored items of one share. */
export type ShareItem = 'manifest' | 'key-share' | 'data';

/** What {@link SplitStore.repair} found and did. */
export interface RepairReport {
  objectId: string;
  uploadId: string;
  /** Shares found whole. */
  healthy: TargetRef[];
  /** Shares rebuilt, with the items that were rewritten. */
  repaired: Array<TargetRef & { items: ShareItem[] }>;
  /** Shares that could not be rebuilt, and why. */
  unrecoverable: Array<TargetRef & { items: ShareItem[]; reason: string }>;
  /** True when every share is whole now. */
  complete: boolean;
}

/**
 * Objects encrypted and split across object stores of landlords that do not collude; see
 * {@link createSplitStore}.
 */
export interface SplitStore {
  readonly targets: readonly ObjectStoreTarget[];
  readonly threshold: number;
  readonly layout: Layout;
  /**
   * Encrypt and store an object, streaming: memory stays bounded whatever its size. Refuses an id
   * that is already stored (`conflict`). A failure on any target rolls back every share written.
   */
  put(objectId: string, body: ObjectBody | Uint8Array, options?: PutOptions): Promise<SplitObjectInfo>;
  /** Open an object for reading; rejects with `not-found` when no readable copy exists. */
  get(objectId: string, options?: GetOptions): Promise<SplitObject>;
  /** An object's info without reading it. */
  head(objectId: string, options?: CallOptions): Promise<SplitObjectInfo>;
  /** The readable objects whose id starts with `prefix`, in id order. */
  list(options?: CallOptions & { prefix?: string }): AsyncGenerator<SplitObjectInfo, void, undefined>;
  /** Remove every share of an object from every target; reports what it could not remove. */
  delete(objectId: string, options?: CallOptions): Promise<DeleteReport>;
  /** Rebuild the missing or damaged shares of an object from the others. */
  repair(objectId: string, options?: CallOptions): Promise<RepairReport>;
  /** Read an object's key shares (all, or those of `landlords`) — what a key-release service hands out. */
  keyShares(objectId: string, options?: CallOptions & { landlords?: readonly string[] }): Promise<ReleasedKeyShare[]>;
}
