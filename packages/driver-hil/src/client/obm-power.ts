import type { Readable } from 'node:stream';
import type { CallOptions } from '@ocx/core';
import { z } from 'zod';
import { checkHilName, encodeSegment, HilNameSchema } from '../names.js';
import { PowerStatusSchema } from './hil-schemas.js';
import type { HilTransport } from './hil-transport.js';

/**
 * HIL's OBM and power calls. Enabling OBM makes HIL hold an OBMd token for the node; every power
 * and console call is then answered with a 307 to OBMd (`{obmd_uri}/{op}?token=…`), which the
 * client follows with the same method and body when OBMd's origin is in `obmdOrigins` — without
 * HIL's credentials unless it is also in `allowedOrigins`. A power call while OBM is disabled is a 409.
 */
export interface HilObm {
  /** `PUT /node/{n}/obm {enabled: true}` (idempotent). */
  enable(node: string, options?: CallOptions): Promise<void>;
  /** `PUT /node/{n}/obm {enabled: false}` (idempotent); needed before the node can leave its project. */
  disable(node: string, options?: CallOptions): Promise<void>;
  /** `POST /node/{n}/power_cycle {force}`: force true cuts power, false asks the OS (ACPI) to shut down. */
  powerCycle(node: string, input?: { force?: boolean }, options?: CallOptions): Promise<void>;
  /** `POST /node/{n}/power_on`. */
  powerOn(node: string, options?: CallOptions): Promise<void>;
  /** `POST /node/{n}/power_off`. */
  powerOff(node: string, options?: CallOptions): Promise<void>;
  /** `PUT /node/{n}/boot_device {bootdev}` (`pxe`, `disk` or `none` with OBMd's IPMI driver). */
  setBootDevice(node: string, bootdev: string, options?: CallOptions): Promise<void>;
  /** `GET /node/{n}/power_status`, answered by OBMd. */
  powerStatus(node: string, options?: CallOptions): Promise<'on' | 'off'>;
  /** `GET /node/{n}/console`: OBMd streams the serial console until the connection closes. */
  console(node: string, options?: CallOptions): Promise<Readable>;
}

const ForceSchema = z.object({ force: z.boolean().optional() }).strict().optional();

/** Build the OBM and power calls over a transport. */
export function createHilObm(transport: HilTransport): HilObm {
  const nodePath = (node: string, operation: string): string =>
    `node/${encodeSegment(checkHilName(HilNameSchema, node, 'node', operation))}`;
  const setObm = async (node: string, enabled: boolean, options?: CallOptions): Promise<void> =>
    transport.send('node_enable_disable_obm', 'PUT', `${nodePath(node, 'node_enable_disable_obm')}/obm`, {
      ...options,
      json: { enabled },
    });
  return {
    enable: (node, options) => setObm(node, true, options),
    disable: (node, options) => setObm(node, false, options),
    async powerCycle(node, input, options) {
      const path = `${nodePath(node, 'node_power_cycle')}/power_cycle`;
      const force = checkHilName(ForceSchema, input, 'input', 'node_power_cycle')?.force ?? false;
      // HIL's client always sends force; OBMd reads it after the redirect.
      await transport.send('node_power_cycle', 'POST', path, { ...options, obmd: true, json: { force } });
    },
    powerOn: async (node, options) =>
      transport.send('node_power_on', 'POST', `${nodePath(node, 'node_power_on')}/power_on`, {
        ...options,
        obmd: true,
      }),
    powerOff: async (node, options) =>
      transport.send('node_power_off', 'POST', `${nodePath(node, 'node_power_off')}/power_off`, {
        ...options,
        obmd: true,
      }),
    async setBootDevice(node, bootdev, options) {
      const path = `${nodePath(node, 'node_set_bootdev')}/boot_device`;
      const json = { bootdev: checkHilName(HilNameSchema, bootdev, 'bootdev', 'node_set_bootdev') };
      await transport.send('node_set_bootdev', 'PUT', path, { ...options, obmd: true, json });
    },
    async powerStatus(node, options) {
      const path = `${nodePath(node, 'node_power_status')}/power_status`;
      return (await transport.json('node_power_status', 'GET', path, PowerStatusSchema, { ...options, obmd: true }))
        .power_status;
    },
    console: async (node, options) =>
      transport.stream('show_console', 'GET', `${nodePath(node, 'show_console')}/console`, { ...options, obmd: true }),
  };
}
