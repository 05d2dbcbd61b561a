import type { Exchange, Principal } from '@ocx/core';
import { green, heading, red, table } from '../console.js';

/** The demo's organization, users and project. */
export const ALICE: Principal = { kind: 'user', id: 'alice', organization: 'bu' };

/** A user signs up: the project is created in two landlords' services with no human step. */
export async function onboard(exchange: Exchange): Promise<void> {
  heading("3. Alice signs up her project for two landlords' services");
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });
  await exchange.directory.upsertUser({ id: 'alice', organization: 'bu', name: 'Alice Smith', email: 'alice@bu.edu' });
  await exchange.directory.upsertUser({ id: 'bob', organization: 'bu', name: 'Bob Jones', email: 'bob@bu.edu' });
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
