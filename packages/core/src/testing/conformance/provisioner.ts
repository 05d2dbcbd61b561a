import { expect } from 'vitest';
import type { Provisioner } from '../../spec/interfaces/provisioner.js';
import {
  abortedSignal,
  type ConformanceOptions,
  type ConformanceSubject,
  defineConformanceSuite,
  expectOcxError,
  missingCapability,
} from './harness.js';

/** Options of {@link runProvisionerConformance}. */
export interface ProvisionerConformanceOptions extends ConformanceOptions {
  /**
   * Prepare a node the provisioner may boot (e.g. allocate it to the project in the hardware
   * pool the provisioner asks); returns the project, node, NIC and image to use.
   */
  prepare: (subject: ConformanceSubject) => Promise<{ project: string; node: string; nic: string; image?: string }>;
}

interface Context {
  subject: ConformanceSubject;
  provisioner: Provisioner;
  target: { project: string; node: string; nic: string; image?: string };
  disk?: string;
}

/** The Provisioner conformance suite: images, provision, idempotent deprovision, refusals. */
export function runProvisionerConformance(options: ProvisionerConformanceOptions): void {
  defineConformanceSuite<Context>(
    `Provisioner conformance${options.name === undefined ? '' : ` — ${options.name}`}`,
    {
      timeoutMs: options.timeoutMs,
      setup: async () => {
        const subject = await options.setup();
        const target =
          subject.driver.provisioner === undefined
            ? { project: '', node: '', nic: '' }
            : await options.prepare(subject);
        return { subject, provisioner: subject.driver.provisioner as Provisioner, target };
      },
      teardown: async (context) => {
        if (context.disk !== undefined) {
          await context.provisioner.deprovision({ ...context.target, disk: context.disk }).catch(() => undefined);
        }
        await context.subject.teardown?.();
      },
      gate: (context) => missingCapability(context.subject.driver, 'provisioner'),
    },
    (add) => {
      add('lists images', async ({ provisioner, target }) => {
        const images = await provisioner.listImages(target.project);
        expect(images.length).toBeGreaterThan(0);
        target.image ??= images[0];
      });

      add('an unknown image is refused and provisions nothing', async ({ provisioner, target }) => {
        await expectOcxError(provisioner.provision({ ...target, image: 'no-such-image-xyz' }), [
          'not-found',
          'validation',
          'conflict',
        ]);
      });

      add('an aborted call is refused', async ({ provisioner, target }) => {
        await expectOcxError(
          provisioner.provision({ ...target, image: target.image as string }, { signal: abortedSignal() }),
          ['aborted'],
        );
      });

      add('provisions the node from the image', async (context) => {
        const result = await context.provisioner.provision({
          ...context.target,
          image: context.target.image as string,
        });
        expect(result.disk.length).toBeGreaterThan(0);
        context.disk = result.disk;
      });

      add('deprovisions, and again is fine', async (context) => {
        const disk = context.disk as string;
        await context.provisioner.deprovision({ ...context.target, disk });
        await context.provisioner.deprovision({ ...context.target, disk });
        context.disk = undefined;
      });

      add('malformed input is refused as validation', async ({ provisioner, target }) => {
        await expectOcxError(provisioner.provision({ ...target, node: '', image: target.image as string }), [
          'validation',
        ]);
      });
    },
  );
}
