/**
 * `@ocx/driver-hil`: a typed client for HIL (the Hardware Isolation Layer) v0 and a
 * `HardwarePool` driver built on it. The loopback simulator is `@ocx/driver-hil/simulator`.
 * @packageDocumentation
 */

export { NETWORKING_ACTION_ERROR_TYPE } from './client/action-waiter.js';
export type {
  HilAuth,
  HilBasicAuth,
  HilClientOptions,
  HilKeystoneAuth,
  HilTokenAuth,
} from './client/client-options.js';
export { HilClientOptionsSchema } from './client/client-options.js';
export type { HilClient } from './client/hil-client.js';

// client
export { createHilClient } from './client/hil-client.js';
export { HIL_SERVER_ERROR_TYPE, parseHilError } from './client/hil-error-parser.js';
export type {
  HilNetwork,
  HilNetworkAttachments,
  HilNetworkList,
  HilNic,
  HilNode,
  HilPort,
  HilSwitch,
  HilUserList,
  NetworkingAction,
  NetworkingActionStatus,
} from './client/hil-schemas.js';
export { HIL_BACKEND } from './client/hil-transport.js';
export type { HilNetworking, NetworkingActionHandle, NetworkingCallOptions } from './client/networking.js';
export type { CreateNetworkInput, HilNetworks } from './client/networks.js';
export type { HilNodes, ObmdRegistration } from './client/nodes.js';
export { decodeMetadata } from './client/nodes.js';
export type { HilObm } from './client/obm-power.js';
export type { HilProjects } from './client/projects.js';
export type { HilSwitches, RegisterSwitchInput } from './client/switches.js';
export type { HilExtensions, HilUsers } from './client/users.js';
export type { HilDriverOptions } from './driver.js';
// driver
export { createHilDriver } from './driver.js';
export { createHilHardwarePool } from './hardware-pool.js';
// names
export { HilChannelSchema, HilNameSchema, HilNetIdSchema, HilPortNameSchema } from './names.js';
export type { HilProgressEvent, PoolContext } from './pool-support.js';
