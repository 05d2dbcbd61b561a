export type { ListOptions, LogEntry, Store, StoreOperation, StoredItem } from './store.js';
export { createMemoryStore } from './memory-store.js';
