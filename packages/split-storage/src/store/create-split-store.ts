import { checkAborted } from '../abort.js';
import { deleteObject } from './delete-object.js';
import { getObject } from './get-object.js';
import { listObjects } from './list-objects.js';
import { infoOf, locateObject } from './locate-object.js';
import { checkObjectId } from './object-id.js';
import { putObject } from './put-object.js';
import { readKeyShares, releasedShares } from './read-key-shares.js';
import { repairObject } from './repair-object.js';
import { resolveSplitStoreOptions, type SplitStoreOptions } from './split-store-options.js';
import type { SplitStore } from './split-store-types.js';

/**
 * A store of objects that no single landlord can read. Each object is encrypted with AES-256-GCM
 * under a fresh random key, in authenticated segments; the key is split with Shamir's scheme (any
 * `threshold` shares rebuild it); and each target gets one key share and one data share:
 *
 * - `xor` (k = n, the default then): n − 1 targets get random pads, the last the ciphertext XOR
 *   the pads — each target alone holds uniformly random bytes;
 * - `replicated` (k < n): every target gets the ciphertext; one key share reveals nothing of the key.
 *
 * The placement is checked at once: two targets of one landlord or one organization, k < 2 or
 * k > n are refused with a `validation` error naming the field, and nothing is written.
 *
 * @example
 * ```ts
 * import { createSplitStore, memoryTarget } from '@ocx/split-storage';
 * import { createReadStream } from 'node:fs';
 *
 * const store = createSplitStore({
 *   targets: [
 *     memoryTarget({ landlord: 'bu', organization: 'Boston University' }),
 *     memoryTarget({ landlord: 'harvard', organization: 'Harvard University' }),
 *   ],
 *   threshold: 2,
 * });
 * await store.put('genomes/sample-1.bam', createReadStream('sample-1.bam'));
 * const { body } = await store.get('genomes/sample-1.bam');
 * for await (const segment of body) process.stdout.write(segment);
 * ```
 */
export function createSplitStore(options: SplitStoreOptions): SplitStore {
  const context = resolveSplitStoreOptions(options);
  return {
    targets: context.targets,
    threshold: context.threshold,
    layout: context.layout,
    // async: a bad id rejects like every other failure instead of throwing synchronously.
    put: async (objectId, body, putOptions = {}) =>
      putObject(context, checkObjectId(objectId, 'put'), body, putOptions),
    get: async (objectId, getOptions = {}) => getObject(context, checkObjectId(objectId, 'get'), getOptions),
    async head(objectId, callOptions = {}) {
      checkAborted(callOptions.signal, 'head');
      return infoOf(
        await locateObject(context, checkObjectId(objectId, 'head'), { ...callOptions, operation: 'head' }),
      );
    },
    list: (listOptions = {}) => listObjects(context, listOptions),
    delete: async (objectId, callOptions = {}) => deleteObject(context, checkObjectId(objectId, 'delete'), callOptions),
    repair: async (objectId, callOptions = {}) => repairObject(context, checkObjectId(objectId, 'repair'), callOptions),
    async keyShares(objectId, shareOptions = {}) {
      const id = checkObjectId(objectId, 'keyShares');
      const located = await locateObject(context, id, { ...shareOptions, operation: 'keyShares' });
      return releasedShares(located, await readKeyShares(context, located, shareOptions));
    },
  };
}
