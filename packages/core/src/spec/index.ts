export * from './primitives.js';
export * from './capabilities.js';
export * from './usage-record.js';
export * from './quota.js';
export * from './landlord.js';
export * from './enclave.js';
export * from './interfaces/index.js';
export * from './driver.js';
