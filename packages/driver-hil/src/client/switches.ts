import { type CallOptions, isSecretKey, registerSecret } from '@ocx/core';
import { z } from 'zod';
import { checkHilName, encodePortPath, encodeSegment, HilNameSchema, HilPortNameSchema } from '../names.js';
import { waitForNetworkingAction } from './action-waiter.js';
import {
  type HilPort,
  HilPortSchema,
  type HilSwitch,
  HilSwitchSchema,
  NameListSchema,
  StatusIdSchema,
} from './hil-schemas.js';
import type { HilTransport } from './hil-transport.js';
import type { NetworkingActionHandle } from './networking.js';

/** A switch registration: its driver type and that driver's fields (e.g. hostname, username, password). */
export interface RegisterSwitchInput {
  type: string;
  [field: string]: unknown;
}

/** HIL's switch and port calls (all admin only). */
export interface HilSwitches {
  /** `GET /switches`, sorted. */
  list(options?: CallOptions): Promise<string[]>;
  /** `GET /switch/{s}`: its ports and capabilities. */
  show(switchName: string, options?: CallOptions): Promise<HilSwitch>;
  /** `PUT /switch/{s}`: the whole driver dict. Password-like fields are registered as secrets first. */
  register(switchName: string, input: RegisterSwitchInput, options?: CallOptions): Promise<void>;
  /** `DELETE /switch/{s}`; 409 while it has ports. */
  delete(switchName: string, options?: CallOptions): Promise<void>;
  /** `PUT /switch/{s}/port/{port}`; port names may hold `/` (`gi1/0/11`). */
  registerPort(switchName: string, port: string, options?: CallOptions): Promise<void>;
  /** `DELETE /switch/{s}/port/{port}`; 409 while a NIC is cabled to it. */
  deletePort(switchName: string, port: string, options?: CallOptions): Promise<void>;
  /** `GET /switch/{s}/port/{port}`: the NIC cabled to it and its networks, or `{}`. */
  showPort(switchName: string, port: string, options?: CallOptions): Promise<HilPort>;
  /** `POST …/port/{port}/connect_nic {node, nic}`: record the cabling. */
  connectNic(
    switchName: string,
    port: string,
    input: { node: string; nic: string },
    options?: CallOptions,
  ): Promise<void>;
  /** `POST …/port/{port}/detach_nic`; 409 unless the node is free. */
  detachNic(switchName: string, port: string, options?: CallOptions): Promise<void>;
  /** `POST …/port/{port}/revert` (answers 200, not 202): detach every network; waits until DONE unless `wait: false`. */
  revertPort(
    switchName: string,
    port: string,
    options?: CallOptions & { wait?: boolean },
  ): Promise<NetworkingActionHandle>;
}

const RegisterInputSchema = z.object({ type: z.string().min(1) }).catchall(z.unknown());
const NicInputSchema = z.object({ node: HilNameSchema, nic: HilNameSchema }).strict();

/** Build the switch calls over a transport. */
export function createHilSwitches(transport: HilTransport): HilSwitches {
  const switchPath = (name: string, operation: string): string =>
    `switch/${encodeSegment(checkHilName(HilNameSchema, name, 'switch', operation))}`;
  const portPath = (name: string, port: string, operation: string): string =>
    `${switchPath(name, operation)}/port/${encodePortPath(checkHilName(HilPortNameSchema, port, 'port', operation))}`;
  return {
    list: async (options) => transport.json('list_switches', 'GET', 'switches', NameListSchema, options),
    show: async (name, options) =>
      transport.json('show_switch', 'GET', switchPath(name, 'show_switch'), HilSwitchSchema, options),
    async register(name, input, options) {
      const path = switchPath(name, 'switch_register');
      const fields = checkHilName(RegisterInputSchema, input, '', 'switch_register');
      // A switch driver's password must never reach an error or a log line.
      for (const [key, value] of Object.entries(fields))
        if (isSecretKey(key) && typeof value === 'string') registerSecret(value);
      await transport.send('switch_register', 'PUT', path, { ...options, json: fields });
    },
    delete: async (name, options) =>
      transport.send('switch_delete', 'DELETE', switchPath(name, 'switch_delete'), options),
    registerPort: async (name, port, options) =>
      transport.send('switch_register_port', 'PUT', portPath(name, port, 'switch_register_port'), options),
    deletePort: async (name, port, options) =>
      transport.send('switch_delete_port', 'DELETE', portPath(name, port, 'switch_delete_port'), options),
    showPort: async (name, port, options) =>
      transport.json('show_port', 'GET', portPath(name, port, 'show_port'), HilPortSchema, options),
    async connectNic(name, port, input, options) {
      const path = `${portPath(name, port, 'port_connect_nic')}/connect_nic`;
      const json = checkHilName(NicInputSchema, input, '', 'port_connect_nic');
      await transport.send('port_connect_nic', 'POST', path, { ...options, json });
    },
    detachNic: async (name, port, options) =>
      transport.send('port_detach_nic', 'POST', `${portPath(name, port, 'port_detach_nic')}/detach_nic`, options),
    async revertPort(name, port, options) {
      const path = `${portPath(name, port, 'port_revert')}/revert`;
      const { status_id: statusId } = await transport.json('port_revert', 'POST', path, StatusIdSchema, options);
      if (options?.wait === false) return { statusId, status: 'PENDING' };
      const action = await waitForNetworkingAction(transport, statusId, {
        signal: options?.signal,
        what: `reverting port ${port} of ${name}`,
      });
      return { statusId, status: action.status };
    },
  };
}
