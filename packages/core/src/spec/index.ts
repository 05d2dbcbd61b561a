export * from './capabilities.js';
export * from './driver.js';
export * from './enclave.js';
export * from './interfaces/index.js';
export * from './landlord.js';
export * from './primitives.js';
export * from './quota.js';
export * from './usage-record.js';
