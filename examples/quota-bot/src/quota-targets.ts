import type { Exchange } from '@ocx/core';

/** One project's quotas in one landlord's service. */
export interface QuotaTarget {
  project: string;
  landlord: string;
  service: string;
}

/**
 * Where the bot checks quotas: every active subscription and every project quota the exchange's
 * ledger holds, in services that are still registered and have a `QuotaProvider`. Sorted, unique.
 */
export async function quotaTargets(exchange: Exchange, project?: string): Promise<QuotaTarget[]> {
  const found = new Map<string, QuotaTarget>();
  const add = (target: QuotaTarget): void => {
    if (project !== undefined && target.project !== project) return;
    if (!exchange.landlords.has(target.landlord)) return;
    const handle = exchange.landlords
      .services()
      .find((candidate) => candidate.landlord.id === target.landlord && candidate.service.id === target.service);
    if (handle?.driver.quotas === undefined) return;
    found.set(`${target.project}/${target.landlord}/${target.service}`, target);
  };
  for (const subscription of await exchange.onboarding.subscriptions(project === undefined ? {} : { project })) {
    if (subscription.status === 'active')
      add({ project: subscription.project, landlord: subscription.landlord, service: subscription.service });
  }
  for (const quota of await exchange.quotas.current()) {
    if (quota.scope.kind === 'project')
      add({ project: quota.scope.id, landlord: quota.landlord, service: quota.service });
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, target]) => target);
}
