import type { CallOptions } from '@ocx/core';
import { OcxError } from '@ocx/core';
import { checkAborted } from '../abort.js';
import { integrityError, objectNotFound, type TargetRef } from '../errors.js';
import { type ObjectGeometry, objectGeometry, partSegments, recordBytes } from '../format/object-geometry.js';
import { itemKey } from '../format/object-keys.js';
import { RecordReader } from '../format/record-reader.js';
import { type ObjectCipher, objectCipher, TAG_BYTES } from '../format/segment-cipher.js';
import { xorInto } from '../format/xor.js';
import { type IndexedShare, recoverKey } from '../key/key-shares.js';
import type { ObjectStoreTarget } from '../target/object-store-target.js';
import { infoOf, type LocatedObject, locateObject } from './locate-object.js';
import { readKeyShares, sharesFromReleased } from './read-key-shares.js';
import type { ResolvedSplitStoreOptions } from './split-store-options.js';
import type { GetOptions, SplitObject } from './split-store-types.js';

/** A data share that can be read: its placement entry and configured target. */
interface DataShare {
  shareIndex: number;
  target: ObjectStoreTarget;
}

const refOf = (share: DataShare): TargetRef => ({ landlord: share.target.landlord, service: share.target.service });
const isAbort = (error: unknown): boolean => OcxError.is(error) && error.code === 'aborted';

/** Rebuild the object's key from released or stored key shares, or explain why not. */
export async function objectKey(
  context: ResolvedSplitStoreOptions,
  located: LocatedObject,
  options: GetOptions,
  operation: string,
): Promise<Uint8Array> {
  const shares: IndexedShare[] =
    options.keyShares === undefined
      ? await readKeyShares(context, located, options)
      : sharesFromReleased(located, options.keyShares);
  const { manifest } = located;
  if (new Set(shares.map((share) => share.shareIndex)).size < manifest.threshold) {
    throw objectNotFound(
      located.objectId,
      operation,
      `${shares.length} of the ${manifest.threshold} key shares it needs could be read`,
    );
  }
  const recovered = await recoverKey(shares, manifest.threshold, {
    commitment: manifest.keyCommitment,
    objectId: located.objectId,
    uploadId: located.uploadId,
  });
  if (recovered === undefined) {
    throw integrityError({
      objectId: located.objectId,
      operation,
      what: 'the key shares (they do not rebuild the committed key)',
      suspects: shares.map((share) => manifest.placement[share.shareIndex]!),
    });
  }
  return recovered.key;
}

/** Open one record: its last 16 bytes are the tag. Throws an integrity error naming the suspects. */
function openRecord(
  cipher: ObjectCipher,
  geometry: ObjectGeometry,
  index: number,
  record: Uint8Array,
  fail: (what: string, cause?: unknown) => OcxError,
): Buffer[] {
  if (record.byteLength !== recordBytes(geometry, index)) throw fail(`segment ${index} (share ends early)`);
  const split = record.byteLength - TAG_BYTES;
  try {
    return cipher.open(index, index === geometry.segments - 1, record.subarray(0, split), record.subarray(split));
  } catch (cause) {
    throw fail(`segment ${index}`, cause);
  }
}

/** xor layout: every part is read from all n targets at once and the records XORed back. */
async function* xorBody(
  context: ResolvedSplitStoreOptions,
  located: LocatedObject,
  shares: readonly DataShare[],
  cipher: ObjectCipher,
  geometry: ObjectGeometry,
  options: CallOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const fail = (what: string, cause?: unknown) =>
    integrityError({ objectId: located.objectId, operation: 'get', what, suspects: shares.map(refOf), cause });
  for (let part = 0; part < geometry.parts; part += 1) {
    checkAborted(options.signal, 'get');
    const key = itemKey(context.keyPrefix, located.objectId, located.uploadId, { kind: 'part', part });
    const readers = (await Promise.all(shares.map((share) => share.target.get(key, options)))).map(
      (body) => new RecordReader(body),
    );
    try {
      const { first, end } = partSegments(geometry, part);
      for (let index = first; index < end; index += 1) {
        const length = recordBytes(geometry, index);
        const pieces = await Promise.all(readers.map((reader) => reader.read(length)));
        if (pieces.some((piece) => piece.byteLength !== length)) throw fail(`segment ${index} (a share ends early)`);
        // XOR into a record a reader gathered for us (ours to change), else into a new buffer:
        // a view of a target's chunk may be the target's own stored bytes.
        const owned = readers.findIndex((reader) => reader.ownsLast);
        const record = owned === -1 ? Buffer.from(pieces[0]!) : pieces[owned]!;
        pieces.forEach((piece, at) => {
          if (at !== (owned === -1 ? 0 : owned)) xorInto(record, piece);
        });
        yield* openRecord(cipher, geometry, index, record, fail);
      }
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
    }
  }
}

/**
 * replicated layout: each part from the first replica that serves it whole; a replica whose part
 * is missing or fails authentication is passed over for the next, resuming at the first segment not
 * yet returned. Only when every replica fails is the read an error.
 */
async function* replicatedBody(
  context: ResolvedSplitStoreOptions,
  located: LocatedObject,
  replicas: readonly DataShare[],
  cipher: ObjectCipher,
  geometry: ObjectGeometry,
  options: CallOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  for (let part = 0; part < geometry.parts; part += 1) {
    const key = itemKey(context.keyPrefix, located.objectId, located.uploadId, { kind: 'part', part });
    const { first, end } = partSegments(geometry, part);
    let next = first;
    const failures: Array<{ replica: DataShare; error: unknown }> = [];
    for (const replica of replicas) {
      if (next === end) break;
      checkAborted(options.signal, 'get');
      const fail = (what: string, cause?: unknown) =>
        integrityError({ objectId: located.objectId, operation: 'get', what, suspects: [refOf(replica)], cause });
      let reader: RecordReader | undefined;
      try {
        reader = new RecordReader(await replica.target.get(key, options));
        for (let index = first; index < end; index += 1) {
          const record = await reader.read(recordBytes(geometry, index));
          if (index < next) continue;
          const plaintext = openRecord(cipher, geometry, index, record, fail);
          next = index + 1;
          yield* plaintext;
        }
      } catch (error) {
        if (isAbort(error)) throw error;
        failures.push({ replica, error });
      } finally {
        await reader?.close();
      }
    }
    if (next < end) {
      const integrity = failures.find(
        ({ error }) => OcxError.is(error) && error.backendErrorType === 'integrity',
      )?.error;
      if (integrity !== undefined && failures.every(({ error }) => OcxError.is(error))) {
        throw integrityError({
          objectId: located.objectId,
          operation: 'get',
          what: `segment ${next} (no replica serves it intact)`,
          suspects: failures.map(({ replica }) => refOf(replica)),
          cause: integrity,
        });
      }
      throw failures[failures.length - 1]?.error ?? objectNotFound(located.objectId, 'get', 'no replica is reachable');
    }
  }
}

/** The data shares of a located object that a configured target can serve. */
function dataShares(located: LocatedObject): DataShare[] {
  return located.shares.flatMap((share) =>
    share.target === undefined ? [] : [{ shareIndex: share.shareIndex, target: share.target }],
  );
}

/**
 * Open an object: locate its newest readable upload, rebuild and verify its key, and return a body
 * that reads and authenticates one segment at a time.
 */
export async function getObject(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  options: GetOptions,
): Promise<SplitObject> {
  checkAborted(options.signal, 'get');
  const located = await locateObject(context, objectId, { ...options, operation: 'get' });
  const { manifest } = located;
  const shares = dataShares(located);
  if (manifest.layout === 'xor' && shares.length < manifest.placement.length) {
    throw objectNotFound(objectId, 'get', 'a share of its xor layout is on a target this store does not have');
  }
  const key = await objectKey(context, located, options, 'get');
  const cipher = objectCipher({
    key,
    objectId,
    noncePrefix: Buffer.from(manifest.noncePrefix, 'hex'),
    segmentSize: manifest.segmentSize,
  });
  key.fill(0);
  const geometry = objectGeometry(manifest.size, manifest.segmentSize, manifest.segmentsPerPart);
  const withManifest = shares.filter((share) => located.shares[share.shareIndex]?.manifest !== undefined);
  const replicas = [...withManifest, ...shares.filter((share) => !withManifest.includes(share))];
  const body =
    manifest.layout === 'xor'
      ? xorBody(context, located, shares, cipher, geometry, options)
      : replicatedBody(context, located, replicas, cipher, geometry, options);
  return { info: infoOf(located), body };
}
