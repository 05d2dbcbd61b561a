import type { CallOptions } from '@ocx/core';
import { OcxError } from '@ocx/core';
import { itemKey, parseKey } from '../format/object-keys.js';
import { ManifestSchema } from '../format/object-manifest.js';
import { quorumOf, readSmallJson } from './locate-object.js';
import type { ResolvedSplitStoreOptions } from './split-store-options.js';
import type { SplitObjectInfo } from './split-store-types.js';

/**
 * The readable objects whose id starts with `prefix`, in id order. Each target is listed once;
 * an object counts when its newest upload has manifests on as many targets as it needs to be read
 * (n for xor, k for replicated), so a put that failed or is still running is never listed. One
 * manifest per object is read for its size and dates. Targets that cannot be listed are skipped
 * while at least k answer.
 */
export async function* listObjects(
  context: ResolvedSplitStoreOptions,
  options: CallOptions & { prefix?: string },
): AsyncGenerator<SplitObjectInfo, void, undefined> {
  const prefix = `${context.keyPrefix}${encodeURIComponent(options.prefix ?? '')}`;
  const holders = new Map<string, Map<string, number[]>>();
  const outcomes = await Promise.allSettled(
    context.targets.map(async (target, targetIndex) => {
      for await (const entry of target.list(prefix, options)) {
        const parsed = parseKey(context.keyPrefix, entry.key);
        if (parsed === undefined || parsed.item.kind !== 'manifest') continue;
        const uploads = holders.get(parsed.objectId) ?? new Map<string, number[]>();
        uploads.set(parsed.uploadId, [...(uploads.get(parsed.uploadId) ?? []), targetIndex]);
        holders.set(parsed.objectId, uploads);
      }
    }),
  );
  const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  const aborted = failures.find(({ reason }) => OcxError.is(reason) && reason.code === 'aborted');
  if (aborted !== undefined || context.targets.length - failures.length < context.threshold) {
    throw (aborted ?? failures[0])?.reason;
  }
  for (const objectId of [...holders.keys()].sort()) {
    const uploads = holders.get(objectId)!;
    for (const uploadId of [...uploads.keys()].sort().reverse()) {
      const targetIndexes = uploads.get(uploadId)!;
      const target = context.targets[targetIndexes[0]!]!;
      const key = itemKey(context.keyPrefix, objectId, uploadId, { kind: 'manifest' });
      let raw: unknown;
      try {
        raw = await readSmallJson(target, key, options);
      } catch (error) {
        if (OcxError.is(error) && error.code === 'aborted') throw error;
        continue;
      }
      const parsed = ManifestSchema.safeParse(raw);
      if (!parsed.success || parsed.data.objectId !== objectId) continue;
      const manifest = parsed.data;
      if (targetIndexes.length < quorumOf(manifest)) continue;
      yield {
        objectId,
        uploadId,
        size: manifest.size,
        createdAt: manifest.createdAt,
        layout: manifest.layout,
        threshold: manifest.threshold,
        shares: manifest.placement.length,
        placement: manifest.placement.map(({ landlord, service }) => ({ landlord, service })),
        available: targetIndexes.length,
        ...(manifest.metadata === undefined ? {} : { metadata: manifest.metadata }),
      };
      break;
    }
  }
}
