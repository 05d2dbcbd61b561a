import type { CallOptions } from '@ocx/core';
import { checkAborted } from '../abort.js';
import { errorSummary } from '../errors.js';
import { parseKey } from '../format/object-keys.js';
import { listObjectKeys } from './locate-object.js';
import type { ResolvedSplitStoreOptions } from './split-store-options.js';
import type { DeleteReport, TargetFailure } from './split-store-types.js';

/**
 * Remove every stored item of an object (every upload, committed or not) from every target,
 * manifests first so that it stops being readable at once. Never throws for a target that fails:
 * the report lists what is left, and deleting again finishes the job.
 */
export async function deleteObject(
  context: ResolvedSplitStoreOptions,
  objectId: string,
  options: CallOptions,
): Promise<DeleteReport> {
  checkAborted(options.signal, 'delete');
  const listings = await listObjectKeys(context, objectId, options);
  const failed: TargetFailure[] = [];
  let deleted = 0;
  await Promise.all(
    listings.map(async ({ target, keys, error }) => {
      const ref = { landlord: target.landlord, service: target.service };
      if (error !== undefined) {
        failed.push({ ...ref, error: errorSummary(error) });
        return;
      }
      const ours = [...keys.keys()].filter((key) => parseKey(context.keyPrefix, key)?.objectId === objectId);
      const isManifest = (key: string) => parseKey(context.keyPrefix, key)?.item.kind === 'manifest';
      const ordered = [...ours.filter(isManifest), ...ours.filter((key) => !isManifest(key))];
      for (const key of ordered) {
        try {
          await target.delete(key, options);
          deleted += 1;
        } catch (deleteError) {
          failed.push({ ...ref, key, error: errorSummary(deleteError) });
        }
      }
    }),
  );
  return { objectId, deleted, failed, complete: failed.length === 0 };
}
