export { createMemoryStore } from './memory-store.js';
export type { ListOptions, LogEntry, Store, StoredItem, StoreOperation } from './store.js';
