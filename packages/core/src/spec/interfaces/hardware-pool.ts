import { z } from 'zod';
import type { CallOptions } from '../primitives.js';

/** One network interface of a bare-metal node. */
export const HardwareNicSchema = z.object({
  label: z.string().min(1),
  macAddress: z.string().optional(),
  /** channel → network name, for the networks this NIC is attached to. */
  networks: z.record(z.string(), z.string()).default({}),
});
export type HardwareNic = z.infer<typeof HardwareNicSchema>;

/** A bare-metal node as a hardware pool reports it. `project` is null while the node is free. */
export const HardwareNodeSchema = z.object({
  name: z.string().min(1),
  project: z.string().nullable(),
  nics: z.array(HardwareNicSchema),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type HardwareNode = z.infer<typeof HardwareNodeSchema>;

export const PowerActionSchema = z.enum(['on', 'off', 'cycle']);
export type PowerAction = z.infer<typeof PowerActionSchema>;
export const BootDeviceSchema = z.enum(['pxe', 'disk', 'none']);
export type BootDevice = z.infer<typeof BootDeviceSchema>;

/** Where a released node went. */
export interface ReleaseResult {
  /** `free`: back in the free pool; `maintenance`: in the scrub pool, free once scrubbed. */
  pool: 'free' | 'maintenance';
}

/**
 * A pool of bare-metal nodes that can be lent to projects and isolated on networks (HIL).
 * Every method accepts an AbortSignal; asynchronous network changes are awaited before return.
 */
export interface HardwarePool {
  /** Nodes in the free pool, sorted by name. */
  listFreeNodes(options?: CallOptions): Promise<string[]>;
  /** The nodes a project holds, sorted by name. */
  listProjectNodes(project: string, options?: CallOptions): Promise<string[]>;
  getNode(node: string, options?: CallOptions): Promise<HardwareNode>;
  /** Make sure the project exists in the pool (idempotent). */
  ensureProject(project: string, options?: CallOptions): Promise<void>;
  /** Move a free node into a project. Fails with `conflict` if the node is not free. */
  allocate(input: { project: string; node: string }, options?: CallOptions): Promise<void>;
  /** Create a network owned by the project (idempotent for the same owner). */
  createNetwork(input: { project: string; network: string }, options?: CallOptions): Promise<void>;
  /** Delete a network; `ignoreMissing` makes a missing network a success. */
  deleteNetwork(input: { network: string; ignoreMissing?: boolean }, options?: CallOptions): Promise<void>;
  /** Attach a NIC to a network and wait until the switch has applied it. */
  attachNetwork(
    input: { node: string; nic: string; network: string; channel?: string },
    options?: CallOptions,
  ): Promise<void>;
  /** Detach a NIC from a network and wait until the switch has applied it. */
  detachNetwork(input: { node: string; nic: string; network: string }, options?: CallOptions): Promise<void>;
  power(input: { node: string; action: PowerAction }, options?: CallOptions): Promise<void>;
  powerStatus(node: string, options?: CallOptions): Promise<'on' | 'off'>;
  setBootDevice(input: { node: string; device: BootDevice }, options?: CallOptions): Promise<void>;
  /**
   * Return a node from the project: power off → detach every network → OBM off → detach from
   * the project. Safe to call again after a partial failure.
   */
  release(input: { project: string; node: string }, options?: CallOptions): Promise<ReleaseResult>;
}
