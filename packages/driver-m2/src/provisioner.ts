import { type CallOptions, OcxError, type Provisioner, type ProvisionResult, parseWith } from '@ocx/core';
import { z } from 'zod';
import type { M2Client } from './client.js';
import { M2NameSchema } from './m2-name.js';
import {
  isBootFileGone,
  isNotFoundOf,
  mayHaveTakenEffect,
  provisionFailure,
  rollBackProvision,
} from './roll-back-provision.js';

// Not strict: callers hand the same object to provision and deprovision, so extra keys are ignored.
const ProvisionInputSchema = z.object({
  project: M2NameSchema,
  node: M2NameSchema,
  nic: M2NameSchema,
  image: M2NameSchema,
  disk: M2NameSchema.optional(),
});
const DeprovisionInputSchema = z.object({
  project: M2NameSchema,
  node: M2NameSchema,
  nic: M2NameSchema,
  disk: M2NameSchema,
});

/** The disk a node gets when the caller names none: one per project and node, so a retry finds it. */
export function defaultDiskName(project: string, node: string): string {
  return `${project}-${node}`;
}

function refuseIfAborted(options: CallOptions | undefined, operation: string): void {
  if (options?.signal?.aborted) {
    throw new OcxError({
      code: 'aborted',
      backend: 'm2',
      operation,
      message: `m2: ${operation} was aborted before it started`,
    });
  }
}

function checked<Schema extends z.ZodType>(schema: Schema, input: unknown, operation: string): z.output<Schema> {
  return parseWith(schema, input, { what: `input of m2 ${operation}`, operation });
}

/**
 * M2 as a {@link Provisioner}. `provision` is `create_disk` then `provision`; a failure of the
 * second step rolls the first back (or says exactly what it left). `deprovision` is `deprovision`
 * then `delete_disk`, and treats M2's 404s (and a boot file already removed, M2's 500
 * "[Errno 2] No such file or directory") as already done, so it is idempotent.
 *
 * `create_disk` is repeatable in M2: the same disk name and image answer the same target, so a
 * disk left by an earlier attempt (the default name is `<project>-<node>`) is used as it is. A
 * name taken by a row of another image is M2's `ImageExistsException` (500), reported as a
 * `conflict`; the existing disk is left alone.
 *
 * @example
 * ```ts
 * const provisioner = createM2Provisioner(createM2Client({ endpoint, username, password }));
 * const { disk } = await provisioner.provision({ project: 'genomics', node: 'node-01', nic: 'eth0', image: 'ubuntu-22.04' });
 * await provisioner.deprovision({ project: 'genomics', node: 'node-01', nic: 'eth0', disk });
 * ```
 */
export function createM2Provisioner(client: M2Client): Provisioner {
  return {
    async listImages(project, options) {
      const name = checked(M2NameSchema, project, 'list_images');
      refuseIfAborted(options, 'list_images');
      return client.listImages({ project: name }, options);
    },

    async provision(input, options): Promise<ProvisionResult> {
      const request = checked(ProvisionInputSchema, input, 'provision');
      const { project, node, nic, image } = request;
      const disk = request.disk ?? checked(M2NameSchema, defaultDiskName(project, node), 'provision');
      refuseIfAborted(options, 'provision');

      let target: string | undefined;
      try {
        // M2's create_disk may be repeated: the same disk name and image again answer the same
        // target (ImageRepository.insert, RBD.clone and TGT.add_target pass what exists with the same
        // parent), so a retry after a lost answer finds its own disk. A name taken by a row of
        // another image is ImageExistsException (a conflict), for the default name too: that disk
        // was not made from this image and must not be booted in its place.
        target = await client.createDisk({ project, disk, image }, options);
      } catch (error) {
        const leftBehind: string[] = [];
        if (mayHaveTakenEffect(error)) leftBehind.push(`disk ${disk} may have been created before the answer was lost`);
        throw provisionFailure(error, 'create_disk', { done: [], leftBehind });
      }

      try {
        await client.provision({ project, node, disk, nic }, options);
      } catch (error) {
        const report = await rollBackProvision(
          client,
          { project, node, nic, disk },
          {
            bootFilesMayExist: mayHaveTakenEffect(error),
            // M2 answers a repeated create_disk as it answers the first, so the disk is taken as
            // this call's: a failed provision of a node that was provisioned already deletes it.
            diskCreatedHere: true,
          },
        );
        throw provisionFailure(error, 'provision', report);
      }
      return target === undefined ? { disk } : { disk, target };
    },

    async deprovision(input, options) {
      const { project, node, nic, disk } = checked(DeprovisionInputSchema, input, 'deprovision');
      refuseIfAborted(options, 'deprovision');
      // Stop the node booting the disk before deleting it; if that fails the disk stays for a retry.
      try {
        await client.deprovision({ project, node, nic }, options);
      } catch (error) {
        if (!isNotFoundOf(error, project, node) && !isBootFileGone(error)) throw error;
      }
      try {
        await client.deleteDisk({ project, disk }, options);
      } catch (error) {
        if (!isNotFoundOf(error, project, disk)) throw error;
      }
    },
  };
}
