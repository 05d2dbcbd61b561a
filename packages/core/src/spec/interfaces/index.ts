export * from './attestor.js';
export * from './hardware-pool.js';
export * from './meter.js';
export * from './provisioner.js';
export * from './quota-provider.js';
export * from './tenancy.js';
