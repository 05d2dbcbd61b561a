import type { CallOptions } from '@ocx/core';
import { OcxError } from '@ocx/core';
import { objectNotFound } from '../errors.js';
import { itemKey, objectPrefix, parseKey } from '../format/object-keys.js';
import { type Manifest, ManifestSchema, sharedFieldsOf } from '../format/object-manifest.js';
import { collectBody } from '../target/body.js';
import type { ObjectStoreTarget } from '../target/object-store-target.js';
import type { ResolvedSplitStoreOptions } from './split-store-options.js';
import type { SplitObjectInfo } from './split-store-types.js';

/** Manifests and key shares are small; a target answering more is not trusted with memory. */
export const SMALL_OBJECT_LIMIT = 1 << 20;

/** What one target lists under an object's prefix. */
export interface TargetListing {
  target: ObjectStoreTarget;
  /** key → size (when listed). */
  keys: Map<string, number | undefined>;
  error?: unknown;
}

/** One placement entry of a located object and what was found for it. */
export interface LocatedShare {
  shareIndex: number;
  /** The configured target that is this entry's landlord and service, when there is one. */
  target?: ObjectStoreTarget;
  /** Its manifest, when present, valid and agreeing with the others. */
  manifest?: Manifest;
  listing?: TargetListing;
  /** Why its manifest is not usable, when it is not. */
  problem?: string;
}

/** An object found on the targets: the upload chosen, its agreed manifest, and each share's state. */
export interface LocatedObject {
  objectId: string;
  uploadId: string;
  /** The agreed manifest (the `shareIndex` of the first agreeing target). */
  manifest: Manifest;
  shares: LocatedShare[];
  /** Agreeing manifests found. */
  available: number;
  listings: TargetListing[];
}

/** List what every target holds under an object's prefix (failures recorded, not thrown). */
export async function listObjectKeys(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  options: CallOptions,
): Promise<TargetListing[]> {
  const prefix = objectPrefix(context.keyPrefix, objectId);
  return Promise.all(
    context.targets.map(async (target) => {
      const keys = new Map<string, number | undefined>();
      try {
        for await (const entry of target.list(prefix, options)) keys.set(entry.key, entry.size);
        return { target, keys };
      } catch (error) {
        return { target, keys, error };
      }
    }),
  );
}

/** Read a small stored object (a manifest or key share) as JSON, capped at 1 MiB. */
export async function readSmallJson(target: ObjectStoreTarget, key: string, options: CallOptions): Promise<unknown> {
  const bytes = await collectBody(await target.get(key, options), { maxBytes: SMALL_OBJECT_LIMIT, what: key });
  return JSON.parse(bytes.toString('utf8'));
}

/** Is this target the one a placement entry names? */
export function isPlacedOn(entry: { landlord: string; service: string }, target: ObjectStoreTarget): boolean {
  return entry.landlord === target.landlord && entry.service === target.service;
}

/** How many agreeing shares make an object readable. */
export function quorumOf(manifest: Manifest): number {
  return manifest.layout === 'xor' ? manifest.placement.length : manifest.threshold;
}

interface ManifestCandidate {
  listing: TargetListing;
  manifest?: Manifest;
  problem?: string;
}

async function readManifest(
  listing: TargetListing,
  key: string,
  objectId: string,
  uploadId: string,
  options: CallOptions,
): Promise<ManifestCandidate> {
  try {
    const parsed = ManifestSchema.safeParse(await readSmallJson(listing.target, key, options));
    if (!parsed.success) return { listing, problem: 'manifest does not match the format' };
    const manifest = parsed.data;
    const entry = manifest.placement[manifest.shareIndex];
    if (manifest.objectId !== objectId || manifest.uploadId !== uploadId) {
      return { listing, problem: 'manifest names another object or upload' };
    }
    if (entry === undefined || !isPlacedOn(entry, listing.target)) {
      return { listing, problem: 'manifest claims a share that is not this target’s' };
    }
    return { listing, manifest };
  } catch (error) {
    if (OcxError.is(error) && error.code === 'aborted') throw error;
    return { listing, problem: `manifest unreadable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Group candidates by the fields every manifest must share; the largest group wins. */
function agreeingGroup(candidates: readonly ManifestCandidate[]): ManifestCandidate[] {
  const groups = new Map<string, ManifestCandidate[]>();
  for (const candidate of candidates) {
    if (candidate.manifest === undefined) continue;
    const key = sharedFieldsOf(candidate.manifest);
    groups.set(key, [...(groups.get(key) ?? []), candidate]);
  }
  let best: ManifestCandidate[] = [];
  for (const group of groups.values()) if (group.length > best.length) best = group;
  return best;
}

/**
 * Find the newest upload of an object whose agreeing manifests reach `minimum` (the object's read
 * quorum by default; repair asks for one). Manifests that disagree, fail the schema or claim another
 * target's share are set aside as problems, never trusted.
 */
export async function locateObject(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  options: CallOptions & { operation: string; minimum?: 'quorum' | 'one' },
): Promise<LocatedObject> {
  const listings = await listObjectKeys(context, objectId, options);
  const uploads = new Set<string>();
  for (const listing of listings) {
    for (const key of listing.keys.keys()) {
      const parsed = parseKey(context.keyPrefix, key);
      if (parsed?.objectId === objectId && parsed.item.kind === 'manifest') uploads.add(parsed.uploadId);
    }
  }
  const failedListings = listings.filter((listing) => listing.error !== undefined).length;
  if (failedListings === listings.length) throw listings[0]?.error;
  for (const uploadId of [...uploads].sort().reverse()) {
    const key = itemKey(context.keyPrefix, objectId, uploadId, { kind: 'manifest' });
    const holders = listings.filter((listing) => listing.keys.has(key));
    const candidates = await Promise.all(
      holders.map((listing) => readManifest(listing, key, objectId, uploadId, options)),
    );
    const group = agreeingGroup(candidates);
    const reference = group[0]?.manifest;
    if (reference === undefined) continue;
    const needed = options.minimum === 'one' ? 1 : quorumOf(reference);
    if (group.length < needed) continue;
    const shares: LocatedShare[] = reference.placement.map((entry, shareIndex) => {
      const target = context.targets.find((candidate) => isPlacedOn(entry, candidate));
      const listing = listings.find((candidate) => candidate.target === target);
      const agreeing = group.find((candidate) => candidate.manifest?.shareIndex === shareIndex);
      const other = candidates.find((candidate) => candidate.listing.target === target);
      const problem =
        target === undefined
          ? 'no configured target is this landlord and service'
          : agreeing === undefined
            ? (other?.problem ?? (other ? 'manifest disagrees with the others' : 'manifest missing'))
            : undefined;
      return {
        shareIndex,
        ...(target === undefined ? {} : { target }),
        ...(agreeing?.manifest === undefined ? {} : { manifest: agreeing.manifest }),
        ...(listing === undefined ? {} : { listing }),
        ...(problem === undefined ? {} : { problem }),
      };
    });
    return { objectId, uploadId, manifest: reference, shares, available: group.length, listings };
  }
  const detail =
    uploads.size > 0
      ? 'its shares are incomplete or inconsistent on the targets'
      : failedListings > 0
        ? `${failedListings} target(s) could not be listed`
        : undefined;
  throw objectNotFound(objectId, options.operation, detail);
}

/** The public info of a located object. */
export function infoOf(located: LocatedObject): SplitObjectInfo {
  const { manifest } = located;
  return {
    objectId: manifest.objectId,
    uploadId: manifest.uploadId,
    size: manifest.size,
    createdAt: manifest.createdAt,
    layout: manifest.layout,
    threshold: manifest.threshold,
    shares: manifest.placement.length,
    placement: manifest.placement.map(({ landlord, service }) => ({ landlord, service })),
    available: located.available,
    ...(manifest.metadata === undefined ? {} : { metadata: manifest.metadata }),
  };
}
