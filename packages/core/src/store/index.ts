export { decodeKey, encodeKey, prefixRange } from './key-codec.js';
export { createMemoryStore } from './memory-store.js';
export type { ListOptions, LogEntry, Store, StoredItem, StoreOperation } from './store.js';
export type { PreparedOperation } from './store-input.js';
export {
  checkArray,
  checkExpectedVersion,
  checkKey,
  checkListOptions,
  checkLogOptions,
  checkName,
  checkObject,
  prepareOperations,
  toJson,
  versionConflict,
} from './store-input.js';
