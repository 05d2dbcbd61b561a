import { expect } from 'vitest';
import { Decimal } from '../../money/decimal.js';
import type { QuotaProvider } from '../../spec/interfaces/quota-provider.js';
import { QuotaUsageSchema } from '../../spec/quota.js';
import {
  type ConformanceOptions,
  type ConformanceSubject,
  defineConformanceSuite,
  expectOcxError,
  missingCapability,
  uniqueName,
} from './harness.js';

/** Options of {@link runQuotaProviderConformance}. */
export interface QuotaProviderConformanceOptions extends ConformanceOptions {
  /**
   * A project the backend has (quotas are per project); created through the driver's
   * Tenancy when it has one and this is not given.
   */
  project?: string;
  /** A resource and value to set; the first declared resource and `"7"` by default. */
  sample?: { resource: string; limit: string };
}

interface Context {
  subject: ConformanceSubject;
  quotas: QuotaProvider;
  project: string;
  createdProject: boolean;
  resource: string;
  limit: string;
}

/** The QuotaProvider conformance suite: read, set, unlimited, refusal of bad values. */
export function runQuotaProviderConformance(options: QuotaProviderConformanceOptions): void {
  defineConformanceSuite<Context>(
    `QuotaProvider conformance${options.name === undefined ? '' : ` — ${options.name}`}`,
    {
      timeoutMs: options.timeoutMs,
      setup: async () => {
        const subject = await options.setup();
        const quotas = subject.driver.quotas as QuotaProvider;
        let project = options.project;
        let createdProject = false;
        if (project === undefined && quotas !== undefined) {
          project = uniqueName('conf-quota');
          if (subject.driver.tenancy !== undefined) {
            await subject.driver.tenancy.ensureProject({ id: project, name: project, organization: 'conformance' });
            createdProject = true;
          }
        }
        return {
          subject,
          quotas,
          project: project ?? 'none',
          createdProject,
          resource: options.sample?.resource ?? quotas?.resources[0] ?? 'none',
          limit: options.sample?.limit ?? '7',
        };
      },
      teardown: async (context) => {
        if (context.createdProject)
          await context.subject.driver.tenancy?.deleteProject(context.project).catch(() => undefined);
        await context.subject.teardown?.();
      },
      gate: (context) => missingCapability(context.subject.driver, 'quotas'),
    },
    (add) => {
      add('declares its resources, matching capabilities', ({ subject, quotas }) => {
        expect(quotas.resources.length).toBeGreaterThan(0);
        expect([...quotas.resources].sort()).toEqual([...(subject.driver.capabilities.quotas?.resources ?? [])].sort());
      });

      add('reads quotas as exact decimals', async ({ quotas, project }) => {
        const usage = await quotas.getQuotas(project);
        for (const item of usage) QuotaUsageSchema.parse(item);
      });

      add('sets a limit and reads it back', async ({ quotas, project, resource, limit }) => {
        const returned = await quotas.setQuotas(project, { [resource]: limit });
        expect(Decimal.from(returned.find((item) => item.resource === resource)?.limit ?? '-1').equals(limit)).toBe(
          true,
        );
        const read = await quotas.getQuotas(project);
        expect(Decimal.from(read.find((item) => item.resource === resource)?.limit ?? '-1').equals(limit)).toBe(true);
      });

      add(
        'refuses a negative limit, naming the resource, and keeps the old one',
        async ({ quotas, project, resource, limit }) => {
          const error = await expectOcxError(quotas.setQuotas(project, { [resource]: '-5' }), ['validation']);
          expect(JSON.stringify(error.issues) + error.message).toContain(resource);
          const read = await quotas.getQuotas(project);
          expect(Decimal.from(read.find((item) => item.resource === resource)?.limit ?? '-1').equals(limit)).toBe(true);
        },
      );

      add('refuses an unknown resource', async ({ quotas, project }) => {
        await expectOcxError(quotas.setQuotas(project, { 'no-such-resource-xyz': '1' }), ['validation']);
      });

      add('null removes the limit', async ({ quotas, project, resource }) => {
        await quotas.setQuotas(project, { [resource]: null });
        const read = await quotas.getQuotas(project);
        expect(read.find((item) => item.resource === resource)?.limit).toBeNull();
      });
    },
  );
}
