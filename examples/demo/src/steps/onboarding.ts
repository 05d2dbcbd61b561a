import type { Exchange, Principal } from '@ocx/core';
import { green, heading, red, table } from '../console.js';

/** Alice, as the audit log names her (her user id comes from her identity provider's subject). */
export const ALICE: Principal = { kind: 'user', id: 'alice', organization: 'bu' };

/** A signed-in user signs up: the project is created in two landlords' services with no human step. */
export async function onboard(exchange: Exchange): Promise<void> {
  heading("4. Alice signs her project up for two landlords' services");
  await exchange.directory.createProject(
    { id: 'genomics', name: 'Genomics Lab', organization: 'bu', lead: 'alice' },
    { actor: ALICE },
  );
  await exchange.directory.addMember({ project: 'genomics', user: 'bob', role: 'member' }, { actor: ALICE });
  const subscriptions = await exchange.onboarding.signUp(
    {
      project: 'genomics',
      services: [
        { landlord: 'nerc', service: 'cloud', quotas: { cores: '64', 'ram-gb': '256', 'floating-ips': '2' } },
        { landlord: 'mghpcc', service: 'objects', quotas: { 'storage-gb': '500' } },
      ],
    },
    { actor: ALICE },
  );
  table(
    ['service', 'status', 'steps done'],
    subscriptions.map((subscription) => [
      `${subscription.landlord}/${subscription.service}`,
      subscription.status === 'active' ? green(subscription.status) : red(subscription.status),
      subscription.done.join(', '),
    ]),
  );
}
