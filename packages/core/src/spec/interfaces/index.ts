export * from './hardware-pool.js';
export * from './provisioner.js';
export * from './attestor.js';
export * from './tenancy.js';
export * from './quota-provider.js';
export * from './meter.js';
