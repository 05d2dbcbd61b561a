import { z } from 'zod';
import type { Provisioner } from '../../spec/interfaces/provisioner.js';
import { checkInput, checkSignal, conflict, NameSchema, notFound } from './checks.js';
import type { ReferenceState } from './state.js';

const ProvisionInputSchema = z.object({
  project: NameSchema,
  node: NameSchema,
  nic: NameSchema,
  image: NameSchema,
  disk: NameSchema.optional(),
});
const DeprovisionInputSchema = z.object({ project: NameSchema, node: NameSchema, nic: NameSchema, disk: NameSchema });

/** The reference landlord's network-boot provisioner: disks cloned from images, in memory. */
export function createReferenceProvisioner(state: ReferenceState, pool: ReferenceState = state): Provisioner {
  return {
    async listImages(project, options) {
      checkSignal(options, 'listImages');
      checkInput(NameSchema, project, 'listImages');
      return [...state.images].sort();
    },
    async provision(input, options) {
      const request = checkInput(ProvisionInputSchema, input, 'provision');
      checkSignal(options, 'provision');
      if (!state.images.has(request.image)) throw notFound(`Image ${request.image}`, 'provision');
      const node = pool.nodes.get(request.node);
      if (node === undefined || node.project !== request.project)
        throw conflict(`Node ${request.node} is not in project ${request.project}`, 'provision');
      if (!node.nics.some((nic) => nic.label === request.nic))
        throw notFound(`NIC ${request.nic} of node ${request.node}`, 'provision');
      const disk = request.disk ?? `${request.project}-${request.node}`;
      const existing = state.disks.get(disk);
      if (existing !== undefined && (existing.node !== request.node || existing.image !== request.image)) {
        throw conflict(`Disk ${disk} already exists`, 'provision');
      }
      state.disks.set(disk, { project: request.project, node: request.node, image: request.image });
      return { disk, target: `iqn.2026-01.ocx.reference:${disk}` };
    },
    async deprovision(input, options) {
      const request = checkInput(DeprovisionInputSchema, input, 'deprovision');
      checkSignal(options, 'deprovision');
      const existing = state.disks.get(request.disk);
      if (existing !== undefined && existing.project !== request.project)
        throw conflict(`Disk ${request.disk} belongs to another project`, 'deprovision');
      state.disks.delete(request.disk);
    },
  };
}
