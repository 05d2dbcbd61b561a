import type { CallOptions } from '@ocx/core';
import { OcxError } from '@ocx/core';
import { itemKey } from '../format/object-keys.js';
import { KeyShareFileSchema } from '../format/object-manifest.js';
import { FORMAT_VERSION, KEY_BYTES } from '../format/segment-cipher.js';
import type { IndexedShare } from '../key/key-shares.js';
import { shareX } from '../key/key-shares.js';
import { type LocatedObject, type LocatedShare, readSmallJson } from './locate-object.js';
import type { ResolvedSplitStoreOptions } from './split-store-options.js';
import type { ReleasedKeyShare } from './split-store-types.js';

/** A key share read from one target, checked against the object's manifest. */
export interface ReadShare extends IndexedShare {
  located: LocatedShare;
}

/** Decode a key-share file; `undefined` when it is not a valid share of this object at this index. */
export function decodeKeyShareFile(raw: unknown, located: LocatedObject, shareIndex: number): Uint8Array | undefined {
  const parsed = KeyShareFileSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const file = parsed.data;
  if (file.objectId !== located.objectId || file.uploadId !== located.uploadId || file.shareIndex !== shareIndex) {
    return undefined;
  }
  const share = new Uint8Array(Buffer.from(file.share, 'base64'));
  const expectedX = located.manifest.placement[shareIndex]?.keyShareX;
  return share.byteLength === KEY_BYTES + 1 && shareX(share) === expectedX ? share : undefined;
}

/** The stored form of one key share. */
export function encodeKeyShareFile(objectId: string, uploadId: string, shareIndex: number, share: Uint8Array): Buffer {
  const file = {
    format: FORMAT_VERSION,
    objectId,
    uploadId,
    shareIndex,
    share: Buffer.from(share).toString('base64'),
  };
  return Buffer.from(JSON.stringify(file), 'utf8');
}

/**
 * Read the key shares of a located object from its targets (only those of `landlords` when
 * given). A share that is missing, unreadable or not this object's is left out; `recoverKey` then
 * decides whether the rest suffice.
 */
export async function readKeyShares(
  context: ResolvedSplitStoreOptions,
  located: LocatedObject,
  options: CallOptions & { landlords?: readonly string[] },
): Promise<ReadShare[]> {
  const wanted = located.shares.filter(
    (share) =>
      share.target !== undefined &&
      (options.landlords === undefined || options.landlords.includes(share.target.landlord)),
  );
  const read = await Promise.all(
    wanted.map(async (share): Promise<ReadShare | undefined> => {
      const key = itemKey(context.keyPrefix, located.objectId, located.uploadId, { kind: 'key-share' });
      try {
        const decoded = decodeKeyShareFile(await readSmallJson(share.target!, key, options), located, share.shareIndex);
        return decoded === undefined ? undefined : { shareIndex: share.shareIndex, share: decoded, located: share };
      } catch (error) {
        if (OcxError.is(error) && error.code === 'aborted') throw error;
        return undefined;
      }
    }),
  );
  return read.filter((share): share is ReadShare => share !== undefined);
}

/** Key shares as handed out to a reader. */
export function releasedShares(located: LocatedObject, shares: readonly ReadShare[]): ReleasedKeyShare[] {
  return shares.map((share) => {
    const entry = located.manifest.placement[share.shareIndex]!;
    return {
      objectId: located.objectId,
      uploadId: located.uploadId,
      landlord: entry.landlord,
      service: entry.service,
      shareIndex: share.shareIndex,
      share: share.share,
    };
  });
}

/** Key shares given by a reader, kept when they belong to this upload and match the placement. */
export function sharesFromReleased(located: LocatedObject, released: readonly ReleasedKeyShare[]): IndexedShare[] {
  return released
    .filter((share) => share.objectId === located.objectId && share.uploadId === located.uploadId)
    .filter((share) => located.manifest.placement[share.shareIndex]?.keyShareX === shareX(share.share))
    .map((share) => ({ shareIndex: share.shareIndex, share: share.share }));
}
