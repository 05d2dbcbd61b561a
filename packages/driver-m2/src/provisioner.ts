import { type CallOptions, OcxError, type Provisioner, type ProvisionResult, parseWith } from '@ocx/core';
import { z } from 'zod';
import type { M2Client } from './client.js';
import { M2NameSchema } from './m2-name.js';
import { isNotFoundOf, mayHaveTakenEffect, provisionFailure, rollBackProvision } from './roll-back-provision.js';

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
 * then `delete_disk`, and treats M2's 404s as already done, so it is idempotent.
 *
 * A 409 from `create_disk` on the default disk name (`<project>-<node>`) means the disk for this
 * node already exists — typically from an earlier attempt — and is used as it is; with a disk
 * name the caller chose, a 409 is reported as a conflict, because M2 cannot say whose disk it is.
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
      let diskCreatedHere = true;
      try {
        target = await client.createDisk({ project, disk, image }, options);
      } catch (error) {
        const sameNodeDisk = request.disk === undefined && OcxError.is(error) && error.code === 'conflict';
        if (!sameNodeDisk) {
          const leftBehind: string[] = [];
          if (mayHaveTakenEffect(error))
            leftBehind.push(`disk ${disk} may have been created before the answer was lost`);
          // A 409 on a retry: the disk may be this call's own, made by an attempt whose answer was lost.
          else if (OcxError.is(error) && error.code === 'conflict' && (error.attempts ?? 1) > 1) {
            leftBehind.push(
              `disk ${disk} may have been created by an earlier attempt of this call whose answer was lost`,
            );
          }
          throw provisionFailure(error, 'create_disk', { done: [], leftBehind });
        }
        diskCreatedHere = false;
      }

      try {
        await client.provision({ project, node, disk, nic }, options);
      } catch (error) {
        const report = await rollBackProvision(
          client,
          { project, node, nic, disk },
          {
            bootFilesMayExist: mayHaveTakenEffect(error),
            diskCreatedHere,
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
        if (!isNotFoundOf(error, project, node)) throw error;
      }
      try {
        await client.deleteDisk({ project, disk }, options);
      } catch (error) {
        if (!isNotFoundOf(error, project, disk)) throw error;
      }
    },
  };
}
