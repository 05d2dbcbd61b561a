/**
 * `@ocx/driver-m2`: the M2/BMI network-boot provisioning driver for the OCX SDK — a
 * `Provisioner` over M2's REST calls, with the typed M2 client under `ext`. A loopback M2
 * simulator is in `@ocx/driver-m2/simulator`.
 * @packageDocumentation
 */

export type { M2Client, M2ClientOptions, M2Snapshot } from './client.js';
export { createM2Client } from './client.js';
export type { M2DriverOptions } from './driver.js';
export { createM2Driver } from './driver.js';
export type { M2CallName } from './m2-calls.js';
export { M2_CALLS } from './m2-calls.js';
export { M2NameSchema } from './m2-name.js';
export { parseM2Error } from './parse-m2-error.js';
export { createM2Provisioner, defaultDiskName } from './provisioner.js';
