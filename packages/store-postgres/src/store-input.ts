/** The input checks every durable store shares, from `@ocx/core`. */

export type { PreparedStoreOperation as PreparedOperation } from '@ocx/core';
export {
  checkStoreArray as checkArray,
  checkStoreExpectedVersion as checkExpectedVersion,
  checkStoreKey as checkKey,
  checkStoreListOptions as checkListOptions,
  checkStoreLogOptions as checkLogOptions,
  checkStoreName as checkName,
  checkStoreObject as checkObject,
  prepareStoreOperations as prepareOperations,
  storeValueToJson as toJson,
  storeVersionConflict as versionConflict,
} from '@ocx/core';
