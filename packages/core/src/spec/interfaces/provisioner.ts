import type { CallOptions } from '../primitives.js';

/** Where a node boots from after provisioning. */
export interface ProvisionResult {
  /** The disk (clone of the image) the node boots from. */
  disk: string;
  /** The iSCSI target or boot URL the provisioner made, when it reports one. */
  target?: string;
}

/** Input of {@link Provisioner.provision}. */
export interface ProvisionInput {
  project: string;
  node: string;
  nic: string;
  image: string;
  /** Disk name; defaults to a name derived from project and node. */
  disk?: string;
}

/**
 * Network-boots nodes from images (M2/BMI): a disk cloned from an image, served over the
 * network to the node's NIC.
 */
export interface Provisioner {
  listImages(project: string, options?: CallOptions): Promise<string[]>;
  /** Clone the image to a disk and point the node's network boot at it. */
  provision(input: ProvisionInput, options?: CallOptions): Promise<ProvisionResult>;
  /** Undo {@link Provisioner.provision}: stop network-booting the node and delete its disk. Idempotent. */
  deprovision(
    input: { project: string; node: string; nic: string; disk: string },
    options?: CallOptions,
  ): Promise<void>;
}
