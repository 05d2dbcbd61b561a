import { randomBytes, randomFillSync } from 'node:crypto';
import { OcxError } from '@ocx/core';
import { checkAborted } from '../abort.js';
import { BACKEND, errorSummary } from '../errors.js';
import { itemKey, newUploadId, objectPrefix, parseKey, uploadPrefix } from '../format/object-keys.js';
import { type Manifest, ManifestSchema, type PlacementEntry } from '../format/object-manifest.js';
import {
  FORMAT_VERSION,
  KEY_BYTES,
  keyCommitment,
  NONCE_PREFIX_BYTES,
  objectCipher,
} from '../format/segment-cipher.js';
import { xorInto } from '../format/xor.js';
import { shareX, splitKey } from '../key/key-shares.js';
import { bodyOf } from '../target/body.js';
import type { ObjectBody, ObjectStoreTarget } from '../target/object-store-target.js';
import { describeTarget } from '../target/object-store-target.js';
import { infoOf, locateObject } from './locate-object.js';
import { createPartWriter, type PartWriter, TargetWriteError } from './part-writer.js';
import { encodeKeyShareFile } from './read-key-shares.js';
import { plainSegments } from './segment-source.js';
import type { ResolvedSplitStoreOptions } from './split-store-options.js';
import type { PutOptions, SplitObjectInfo } from './split-store-types.js';

/** Wait for every promise, then throw the first failure: nothing is left running behind a rollback. */
async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** Refuse an id that is already readable: overwriting in place could lose the old object mid-way. */
async function refuseExisting(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  options: PutOptions,
): Promise<void> {
  try {
    await locateObject(context, objectId, { ...options, operation: 'put' });
  } catch (error) {
    if (OcxError.is(error) && error.code === 'not-found') return;
    throw error;
  }
  throw new OcxError({
    code: 'conflict',
    backend: BACKEND,
    operation: 'put',
    message: `split-storage: object ${JSON.stringify(objectId)} already exists; delete it first`,
  });
}

/** Encrypt the body segment by segment and hand each share its record. */
async function writeShares(input: {
  context: ResolvedSplitStoreOptions;
  objectId: string;
  body: ObjectBody | Uint8Array;
  key: Uint8Array;
  noncePrefix: Uint8Array;
  writers: readonly PartWriter[];
  signal: AbortSignal;
}): Promise<number> {
  const { context, objectId, writers, signal } = input;
  const cipher = objectCipher({
    key: input.key,
    objectId,
    noncePrefix: input.noncePrefix,
    segmentSize: context.segmentSize,
  });
  const padCount = context.layout === 'xor' ? writers.length - 1 : 0;
  let size = 0;
  for await (const segment of plainSegments(input.body, context.segmentSize)) {
    checkAborted(signal, 'put');
    size += segment.plaintext.byteLength;
    const { ciphertext, tag } = cipher.seal(segment.index, segment.final, segment.plaintext);
    if (padCount === 0) {
      await settleAll(writers.map((writer) => writer.writeRecord([...ciphertext, tag])));
      continue;
    }
    // xor: shares 0 … n−2 are fresh random pads, share n−1 is the record XOR every pad — computed
    // in place in the cipher's own output buffers, which nothing else holds.
    const masked = [...ciphertext, tag];
    const recordLength = segment.plaintext.byteLength + tag.byteLength;
    const pads: Buffer[] = [];
    for (let index = 0; index < padCount; index += 1) {
      const pad = randomFillSync(Buffer.allocUnsafe(recordLength));
      let at = 0;
      for (const piece of masked) {
        xorInto(piece, pad.subarray(at, at + piece.byteLength));
        at += piece.byteLength;
      }
      pads.push(pad);
    }
    await settleAll(writers.map((writer, index) => writer.writeRecord(index < padCount ? [pads[index]!] : masked)));
  }
  return size;
}

/** Delete everything an upload may have left on every target; returns what could not be deleted. */
async function rollBack(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  uploadId: string,
  started: ReadonlyMap<ObjectStoreTarget, readonly string[]>,
): Promise<string[]> {
  const prefix = uploadPrefix(context.keyPrefix, objectId, uploadId);
  const leftovers: string[] = [];
  await Promise.all(
    context.targets.map(async (target) => {
      const keys = new Set(started.get(target) ?? []);
      try {
        for await (const entry of target.list(prefix)) keys.add(entry.key);
      } catch {
        // The keys this put started are still deleted below.
      }
      const manifest = itemKey(context.keyPrefix, objectId, uploadId, { kind: 'manifest' });
      const ordered = [...keys].sort((a, b) => Number(b === manifest) - Number(a === manifest));
      for (const key of ordered) {
        try {
          await target.delete(key);
        } catch {
          leftovers.push(`${describeTarget(target)}:${key}`);
        }
      }
    }),
  );
  return leftovers;
}

/** Remove older, never-committed uploads of this object (best effort; they are invisible anyway). */
async function removeOlderUploads(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  uploadId: string,
): Promise<void> {
  await Promise.all(
    context.targets.map(async (target) => {
      try {
        for await (const entry of target.list(objectPrefix(context.keyPrefix, objectId))) {
          const parsed = parseKey(context.keyPrefix, entry.key);
          if (parsed !== undefined && parsed.uploadId < uploadId) await target.delete(entry.key);
        }
      } catch {
        // Leftovers stay invisible; `delete` removes them with the object.
      }
    }),
  );
}

function failureOf(error: unknown, objectId: string, leftovers: readonly string[]): OcxError {
  const where = error instanceof TargetWriteError ? ` at ${describeTarget(error.target)}` : '';
  const original = error instanceof TargetWriteError ? error.original : error;
  const summary = errorSummary(original);
  const cleanup =
    leftovers.length === 0
      ? 'every share written was removed'
      : `could not remove ${leftovers.length} item(s), invisible to readers: ${leftovers.slice(0, 5).join(', ')}`;
  return new OcxError({
    code: OcxError.is(original) ? original.code : 'internal',
    retryable: OcxError.is(original) ? original.retryable : false,
    backend: BACKEND,
    operation: 'put',
    message: `split-storage: put of ${JSON.stringify(objectId)} failed${where}: ${summary.message}; ${cleanup}`,
    cause: original,
  });
}

/**
 * Store one object: a fresh key and nonce prefix, the key split k-of-n, the body encrypted in
 * segments and each share written in parts; then each target's key share and, last, its manifest
 * (the commit). Any failure aborts the rest and deletes what was written.
 */
export async function putObject(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  body: ObjectBody | Uint8Array,
  options: PutOptions,
): Promise<SplitObjectInfo> {
  checkAborted(options.signal, 'put');
  await refuseExisting(context, objectId, options);
  const uploadId = newUploadId(context.clock.now());
  const key = new Uint8Array(randomBytes(KEY_BYTES));
  const noncePrefix = randomBytes(NONCE_PREFIX_BYTES);
  const keyShares = await splitKey(key, context.targets.length, context.threshold);
  const controller = new AbortController();
  const signal =
    options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal]);
  const writers = context.targets.map((target) =>
    createPartWriter({
      target,
      recordsPerPart: context.segmentsPerPart,
      concurrency: context.partConcurrency,
      partKey: (part) => itemKey(context.keyPrefix, objectId, uploadId, { kind: 'part', part }),
      signal,
    }),
  );
  const started = new Map<ObjectStoreTarget, string[]>();
  const noteStarted = (target: ObjectStoreTarget, itemKeyText: string) =>
    started.set(target, [...(started.get(target) ?? []), itemKeyText]);
  const onTarget = async (target: ObjectStoreTarget, run: () => Promise<void>): Promise<void> => {
    try {
      await run();
    } catch (error) {
      throw error instanceof TargetWriteError ? error : new TargetWriteError(target, error);
    }
  };

  try {
    const size = await writeShares({ context, objectId, body, key, noncePrefix, writers, signal });
    await settleAll(writers.map((writer) => writer.finish()));
    const placement: PlacementEntry[] = context.targets.map((target, index) => ({
      landlord: target.landlord,
      ...(target.organization === undefined ? {} : { organization: target.organization }),
      service: target.service,
      keyShareX: shareX(keyShares[index]!),
    }));
    const createdAt = context.clock.now().toISOString();
    const manifestOf = (shareIndex: number): Manifest =>
      ManifestSchema.parse({
        format: FORMAT_VERSION,
        objectId,
        uploadId,
        layout: context.layout,
        threshold: context.threshold,
        shareIndex,
        placement,
        size,
        segmentSize: context.segmentSize,
        segmentsPerPart: context.segmentsPerPart,
        noncePrefix: noncePrefix.toString('hex'),
        keyCommitment: keyCommitment(key, objectId, uploadId),
        createdAt,
        ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
      });
    await settleAll(
      context.targets.map((target, index) =>
        onTarget(target, async () => {
          const shareKey = itemKey(context.keyPrefix, objectId, uploadId, { kind: 'key-share' });
          noteStarted(target, shareKey);
          const file = encodeKeyShareFile(objectId, uploadId, index, keyShares[index]!);
          await target.put(shareKey, bodyOf(file), { size: file.byteLength, signal });
        }),
      ),
    );
    const manifests = context.targets.map((_, index) => manifestOf(index));
    await settleAll(
      context.targets.map((target, index) =>
        onTarget(target, async () => {
          const manifestKey = itemKey(context.keyPrefix, objectId, uploadId, { kind: 'manifest' });
          noteStarted(target, manifestKey);
          const text = Buffer.from(JSON.stringify(manifests[index]), 'utf8');
          await target.put(manifestKey, bodyOf(text), { size: text.byteLength, signal });
        }),
      ),
    );
    await removeOlderUploads(context, objectId, uploadId);
    const reference = manifests[0]!;
    return infoOf({
      objectId,
      uploadId,
      manifest: reference,
      shares: [],
      available: context.targets.length,
      listings: [],
    });
  } catch (error) {
    controller.abort();
    await Promise.all(writers.map((writer) => writer.settle()));
    for (const writer of writers) for (const partKey of writer.startedKeys) noteStarted(writer.target, partKey);
    const leftovers = await rollBack(context, objectId, uploadId, started);
    throw failureOf(error, objectId, leftovers);
  } finally {
    key.fill(0);
    for (const share of keyShares) share.fill(0);
  }
}
