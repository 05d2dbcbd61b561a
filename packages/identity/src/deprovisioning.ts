import {
  type ActionOptions,
  type Exchange,
  type Principal,
  type RetentionPolicy,
  SYSTEM_PRINCIPAL,
  type User,
} from '@ocx/core';

/** Who left: an exchange user id, or an identity provider's issuer and subject. */
export type DepartingUser = { user: string } | { issuer: string; subject: string };

/** What one departure did. */
export interface DepartureReport {
  /** Undefined when the exchange never knew the user. */
  user: string | undefined;
  /** Projects closed (their resources released) because the user led them alone. */
  closedProjects: string[];
}

/** Options of {@link createDeprovisioning}. */
export interface DeprovisioningOptions {
  exchange: Exchange;
  /** How long released projects are kept before deletion. Default: the exchange's (30 days). */
  retention?: RetentionPolicy;
}

/** Departures of users, from their identity provider or an admin, carried to completion. */
export interface Deprovisioning {
  /** A user left: remove them from every project in every service and close the projects they led alone. Idempotent. */
  userLeft(who: DepartingUser, options?: ActionOptions): Promise<DepartureReport>;
  /** Find the user of an identity. */
  userFor(identity: { issuer: string; subject: string }): Promise<User | undefined>;
  /**
   * After a crash: finish sign-ups and releases that were under way, every departure that did not
   * complete (users marked `left` who still belong to projects or still lead open ones), and every
   * closed project that still holds an open subscription.
   */
  resume(options?: ActionOptions): Promise<{ departures: DepartureReport[] }>;
}

/**
 * Departures on top of `exchange.offboarding`, made resumable. Core's `userLeft` removes the
 * user's memberships before closing the projects they led, so a crash between the two would leave
 * a project open with nobody able to close it through `userLeft` again; this closes such projects
 * too, and `resume()` finds unfinished departures from the directory alone.
 *
 * @example
 * ```ts
 * const deprovisioning = createDeprovisioning({ exchange, retention: { days: 30 } });
 * await deprovisioning.userLeft({ issuer: 'https://idp.bu.edu', subject: 'alice' }, { actor: { kind: 'admin', id: 'ops' } });
 * ```
 */
export function createDeprovisioning(options: DeprovisioningOptions): Deprovisioning {
  const { exchange } = options;
  const retention = options.retention === undefined ? {} : { retention: options.retention };

  const userFor = async (identity: { issuer: string; subject: string }) =>
    (await exchange.directory.users()).find(
      (user) => user.identity?.issuer === identity.issuer && user.identity.subject === identity.subject,
    );

  /** Projects a departed user led that are still open and have no other admin: they must close. */
  const orphanedProjects = async (user: string): Promise<string[]> => {
    const orphaned: string[] = [];
    for (const project of await exchange.directory.projects()) {
      if (project.lead !== user || project.status !== 'active') continue;
      const admins = (await exchange.directory.members(project.id)).filter(
        (member) => member.user !== user && member.role === 'admin',
      );
      if (admins.length === 0) orphaned.push(project.id);
    }
    return orphaned;
  };

  const depart = async (user: User, actor: Principal): Promise<DepartureReport> => {
    const result = await exchange.offboarding.userLeft(user.id, { actor, ...retention });
    const closedProjects = [...result.closedProjects];
    for (const project of await orphanedProjects(user.id)) {
      await exchange.offboarding.closeProject(project, { actor, ...retention });
      closedProjects.push(project);
    }
    return { user: user.id, closedProjects };
  };

  return {
    userFor,
    async userLeft(who, actionOptions = {}) {
      const actor = actionOptions.actor ?? SYSTEM_PRINCIPAL;
      const user = 'user' in who ? await exchange.directory.user(who.user) : await userFor(who);
      if (user === undefined) return { user: undefined, closedProjects: [] };
      return depart(user, actor);
    },
    async resume(actionOptions = {}) {
      const actor = actionOptions.actor ?? SYSTEM_PRINCIPAL;
      await exchange.onboarding.resume({ actor });
      await exchange.offboarding.resume({ actor });
      const departures: DepartureReport[] = [];
      for (const user of await exchange.directory.users()) {
        if (user.status !== 'left') continue;
        const unfinished =
          (await exchange.directory.membershipsOf(user.id)).length > 0 || (await orphanedProjects(user.id)).length > 0;
        if (unfinished) departures.push(await depart(user, actor));
      }
      // A crash between marking a project closed and starting its releases leaves subscriptions
      // `active` under a closed project, which offboarding.resume() does not look at: close again.
      for (const project of await exchange.directory.projects()) {
        if (project.status !== 'closed') continue;
        const open = (await exchange.onboarding.subscriptions({ project: project.id })).some((subscription) =>
          ['active', 'awaiting-approval', 'releasing'].includes(subscription.status),
        );
        if (open) await exchange.offboarding.closeProject(project.id, { actor, ...retention });
      }
      return { departures };
    },
  };
}
