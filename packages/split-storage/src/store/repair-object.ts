import type { CallOptions } from '@ocx/core';
import { OcxError } from '@ocx/core';
import { checkAborted } from '../abort.js';
import type { TargetRef } from '../errors.js';
import {
  type ObjectGeometry,
  objectGeometry,
  partBytes,
  partSegments,
  recordBytes,
} from '../format/object-geometry.js';
import { itemKey } from '../format/object-keys.js';
import type { Manifest } from '../format/object-manifest.js';
import { RecordReader } from '../format/record-reader.js';
import { type ObjectCipher, objectCipher, TAG_BYTES } from '../format/segment-cipher.js';
import { recoverKey, regenerateShare } from '../key/key-shares.js';
import { bodyOf } from '../target/body.js';
import type { ObjectStoreTarget } from '../target/object-store-target.js';
import { type LocatedObject, type LocatedShare, locateObject } from './locate-object.js';
import { encodeKeyShareFile, readKeyShares } from './read-key-shares.js';
import type { ResolvedSplitStoreOptions } from './split-store-options.js';
import type { RepairReport, ShareItem } from './split-store-types.js';

interface ShareState {
  located: LocatedShare;
  target: ObjectStoreTarget;
  ref: TargetRef;
  damaged: ShareItem[];
}

/** Which parts of a share are missing or of the wrong size, from its listing (or `head`). */
async function dataDamaged(
  context: ResolvedSplitStoreOptions,
  located: LocatedObject,
  share: LocatedShare,
  target: ObjectStoreTarget,
  geometry: ObjectGeometry,
  options: CallOptions,
): Promise<boolean> {
  for (let part = 0; part < geometry.parts; part += 1) {
    const key = itemKey(context.keyPrefix, located.objectId, located.uploadId, { kind: 'part', part });
    if (!share.listing?.keys.has(key)) return true;
    let size = share.listing.keys.get(key);
    if (size === undefined && target.head !== undefined) size = (await target.head(key, options))?.size;
    if (size !== undefined && size !== partBytes(geometry, part)) return true;
  }
  return false;
}

/** Copy one part from the first source that serves every one of its segments authenticated. */
async function copyPart(input: {
  context: ResolvedSplitStoreOptions;
  located: LocatedObject;
  part: number;
  sources: readonly ObjectStoreTarget[];
  destination: ObjectStoreTarget;
  cipher: ObjectCipher;
  geometry: ObjectGeometry;
  options: CallOptions;
}): Promise<boolean> {
  const { context, located, part, geometry, cipher, options } = input;
  const key = itemKey(context.keyPrefix, located.objectId, located.uploadId, { kind: 'part', part });
  const { first, end } = partSegments(geometry, part);
  for (const source of input.sources) {
    checkAborted(options.signal, 'repair');
    const records: Uint8Array[] = [];
    let reader: RecordReader | undefined;
    try {
      reader = new RecordReader(await source.get(key, options));
      for (let index = first; index < end; index += 1) {
        const record = await reader.read(recordBytes(geometry, index));
        if (record.byteLength !== recordBytes(geometry, index)) throw new Error('short part');
        const split = record.byteLength - TAG_BYTES;
        cipher.open(index, index === geometry.segments - 1, record.subarray(0, split), record.subarray(split));
        records.push(record);
      }
    } catch (error) {
      if (OcxError.is(error) && error.code === 'aborted') throw error;
      continue;
    } finally {
      await reader?.close();
    }
    await input.destination.put(key, bodyOf(...records), { size: partBytes(geometry, part), signal: options.signal });
    return true;
  }
  return false;
}

/** The manifest of share `shareIndex`: the agreed one with that index. */
function manifestFor(manifest: Manifest, shareIndex: number): Buffer {
  return Buffer.from(JSON.stringify({ ...manifest, shareIndex }), 'utf8');
}

/**
 * Rebuild what is missing or damaged on each target of an object, from the others:
 * - a manifest, from the agreed manifest of the others (only `shareIndex` differs);
 * - a key share, at its own x-coordinate from k intact shares (the same share as before, so no
 *   other target's share changes; see `regenerateShare`);
 * - a replicated data share, by copying each part from a replica whose every segment authenticates.
 * An xor data share cannot be rebuilt: it is a random pad or the ciphertext masked by the pads, and
 * the others hold nothing that determines it. Items are written data first, manifest last.
 *
 * Damage is found by presence and size; a share whose bytes were altered in place is found by `get`
 * (which reads past it on a replica) and repaired after it is deleted.
 */
export async function repairObject(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  options: CallOptions,
): Promise<RepairReport> {
  checkAborted(options.signal, 'repair');
  const located = await locateObject(context, objectId, { ...options, operation: 'repair', minimum: 'one' });
  const { manifest } = located;
  const geometry = objectGeometry(manifest.size, manifest.segmentSize, manifest.segmentsPerPart);
  const keyShares = await readKeyShares(context, located, options);
  const report: RepairReport = {
    objectId,
    uploadId: located.uploadId,
    healthy: [],
    repaired: [],
    unrecoverable: [],
    complete: false,
  };

  const states: ShareState[] = [];
  for (const share of located.shares) {
    const entry = manifest.placement[share.shareIndex]!;
    const ref = { landlord: entry.landlord, service: entry.service };
    if (share.target === undefined || share.listing?.error !== undefined) {
      const reason =
        share.target === undefined ? 'no configured target is this landlord and service' : 'target could not be listed';
      report.unrecoverable.push({ ...ref, items: ['manifest', 'key-share', 'data'], reason });
      continue;
    }
    const damaged: ShareItem[] = [];
    if (await dataDamaged(context, located, share, share.target, geometry, options)) damaged.push('data');
    if (!keyShares.some((read) => read.shareIndex === share.shareIndex)) damaged.push('key-share');
    if (share.manifest === undefined) damaged.push('manifest');
    if (damaged.length === 0) report.healthy.push(ref);
    else states.push({ located: share, target: share.target, ref, damaged });
  }

  const needsKey = states.some((state) => state.damaged.includes('data') || state.damaged.includes('key-share'));
  const recovered = needsKey
    ? await recoverKey(keyShares, manifest.threshold, {
        commitment: manifest.keyCommitment,
        objectId,
        uploadId: located.uploadId,
      })
    : undefined;
  const cipher =
    recovered === undefined
      ? undefined
      : objectCipher({
          key: recovered.key,
          objectId,
          noncePrefix: Buffer.from(manifest.noncePrefix, 'hex'),
          segmentSize: manifest.segmentSize,
        });
  recovered?.key.fill(0);
  const intactData = located.shares.filter(
    (share) =>
      share.target !== undefined && !states.some((state) => state.located === share && state.damaged.includes('data')),
  );

  for (const state of states) {
    const fail = (reason: string) => report.unrecoverable.push({ ...state.ref, items: state.damaged, reason });
    if (state.damaged.includes('data')) {
      if (manifest.layout === 'xor') {
        fail('an xor data share is a random pad or the masked ciphertext: no other share determines it');
        continue;
      }
      if (cipher === undefined) {
        fail(`fewer than ${manifest.threshold} intact key shares: the copy cannot be authenticated`);
        continue;
      }
      const sources = intactData.map((share) => share.target!);
      let copied = true;
      for (let part = 0; part < geometry.parts && copied; part += 1) {
        copied = await copyPart({
          context,
          located,
          part,
          sources,
          destination: state.target,
          cipher,
          geometry,
          options,
        });
      }
      if (!copied) {
        fail('no replica serves every segment of a part intact');
        continue;
      }
    }
    if (state.damaged.includes('key-share')) {
      if (recovered === undefined) {
        fail(`fewer than ${manifest.threshold} intact key shares`);
        continue;
      }
      const x = manifest.placement[state.located.shareIndex]!.keyShareX;
      const share = await regenerateShare(
        recovered.used.map((used) => used.share),
        x,
      );
      const file = encodeKeyShareFile(objectId, located.uploadId, state.located.shareIndex, share);
      share.fill(0);
      const key = itemKey(context.keyPrefix, objectId, located.uploadId, { kind: 'key-share' });
      await state.target.put(key, bodyOf(file), { size: file.byteLength, signal: options.signal });
    }
    const text = manifestFor(manifest, state.located.shareIndex);
    const key = itemKey(context.keyPrefix, objectId, located.uploadId, { kind: 'manifest' });
    await state.target.put(key, bodyOf(text), { size: text.byteLength, signal: options.signal });
    report.repaired.push({ ...state.ref, items: state.damaged });
  }
  for (const used of recovered?.used ?? []) used.share.fill(0);
  report.complete = report.unrecoverable.length === 0;
  return report;
}
