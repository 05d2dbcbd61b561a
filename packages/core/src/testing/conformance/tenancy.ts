import { expect } from 'vitest';
import type { Tenancy } from '../../spec/interfaces/tenancy.js';
import {
  abortedSignal,
  type ConformanceOptions,
  type ConformanceSubject,
  defineConformanceSuite,
  expectOcxError,
  missingCapability,
  uniqueName,
} from './harness.js';

/** Options of {@link runTenancyConformance}. */
export interface TenancyConformanceOptions extends ConformanceOptions {
  /** A user the backend knows (or will create on `ensureMember`); a unique name by default. */
  user?: string;
  /** The organization the test project belongs to. */
  organization?: string;
}

interface Context {
  subject: ConformanceSubject;
  tenancy: Tenancy;
  project: string;
  user: string;
  role: string;
  externalId?: string;
}

/** The Tenancy conformance suite: idempotent projects and memberships, disable, delete. */
export function runTenancyConformance(options: TenancyConformanceOptions): void {
  defineConformanceSuite<Context>(
    `Tenancy conformance${options.name === undefined ? '' : ` — ${options.name}`}`,
    {
      timeoutMs: options.timeoutMs,
      setup: async () => {
        const subject = await options.setup();
        return {
          subject,
          tenancy: subject.driver.tenancy as Tenancy,
          project: uniqueName('conf-project'),
          user: options.user ?? uniqueName('conf-user'),
          role: subject.driver.capabilities.tenancy?.roles?.[0] ?? 'member',
        };
      },
      teardown: async (context) => {
        await context.tenancy?.deleteProject(context.project).catch(() => undefined);
        await context.subject.teardown?.();
      },
      gate: (context) => missingCapability(context.subject.driver, 'tenancy'),
    },
    (add) => {
      const organization = options.organization ?? 'conformance';
      add('an unknown project reads as undefined', async ({ tenancy, project }) => {
        expect(await tenancy.getProject(project)).toBeUndefined();
      });

      add('malformed input is refused as validation and creates nothing', async ({ tenancy, project }) => {
        await expectOcxError(tenancy.ensureProject({ id: project, name: '', organization }), ['validation']);
        expect(await tenancy.getProject(project)).toBeUndefined();
      });

      add('an aborted call creates nothing', async ({ tenancy, project }) => {
        await expectOcxError(
          tenancy.ensureProject({ id: project, name: project, organization }, { signal: abortedSignal() }),
          ['aborted'],
        );
        expect(await tenancy.getProject(project)).toBeUndefined();
      });

      add('ensureProject creates once and is idempotent', async (context) => {
        const first = await context.tenancy.ensureProject({ id: context.project, name: context.project, organization });
        const second = await context.tenancy.ensureProject({
          id: context.project,
          name: context.project,
          organization,
        });
        expect(first.enabled).toBe(true);
        expect(second.externalId).toBe(first.externalId);
        context.externalId = first.externalId;
        expect((await context.tenancy.getProject(context.project))?.externalId).toBe(first.externalId);
      });

      add('ensureMember adds a member once', async ({ tenancy, project, user, role }) => {
        await tenancy.ensureMember({ project, user, role });
        await tenancy.ensureMember({ project, user, role });
        const members = (await tenancy.getProject(project))?.members ?? [];
        expect(members.filter((member) => member.user === user)).toEqual([{ user, role }]);
      });

      add('removeMember removes it, and again is fine', async ({ tenancy, project, user }) => {
        await tenancy.removeMember({ project, user });
        await tenancy.removeMember({ project, user });
        const members = (await tenancy.getProject(project))?.members ?? [];
        expect(members.some((member) => member.user === user)).toBe(false);
      });

      add(
        'releaseResources releases what the project holds, and again releases nothing',
        async ({ tenancy, project }) => {
          const release = tenancy.releaseResources?.bind(tenancy);
          await release?.(project);
          expect(await release?.(project)).toEqual([]);
        },
        {
          skipUnless: ({ subject }) =>
            subject.driver.capabilities.tenancy?.releasesResources === true
              ? undefined
              : 'the driver does not declare tenancy.releasesResources',
        },
      );

      add('disableProject disables it', async ({ tenancy, project }) => {
        await tenancy.disableProject(project);
        expect((await tenancy.getProject(project))?.enabled).toBe(false);
      });

      add('deleteProject deletes it, and again is fine', async ({ tenancy, project }) => {
        await tenancy.deleteProject(project);
        expect(await tenancy.getProject(project)).toBeUndefined();
        await tenancy.deleteProject(project);
      });
    },
  );
}
