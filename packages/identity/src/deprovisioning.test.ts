import { createExchange, type Exchange } from '@ocx/core';
import { createReferenceDriver } from '@ocx/core/simulation';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDeprovisioning } from './deprovisioning.js';

let exchange: Exchange;
const driver = () => createReferenceDriver({ landlord: 'nerc', service: 'cloud', nodes: 0, capabilities: ['tenancy'] });

beforeEach(async () => {
  exchange = createExchange();
  await exchange.landlords.register({
    id: 'nerc',
    name: 'NERC',
    organization: 'Harvard',
    services: [{ id: 'cloud', kind: 'compute', driver: driver() }],
  });
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'BU', domains: ['bu.edu'] });
  await exchange.directory.upsertUser({
    id: 'alice',
    organization: 'bu',
    name: 'Alice',
    email: 'alice@bu.edu',
    identity: { issuer: 'https://idp.bu.edu', subject: 'a-1' },
  });
  await exchange.directory.upsertUser({ id: 'bob', organization: 'bu', name: 'Bob', email: 'bob@bu.edu' });
  await exchange.directory.createProject({ id: 'genomics', name: 'Genomics', organization: 'bu', lead: 'alice' });
  await exchange.directory.addMember({ project: 'genomics', user: 'bob', role: 'admin' });
  await exchange.directory.createProject({ id: 'solo', name: 'Solo', organization: 'bu', lead: 'alice' });
  await exchange.onboarding.signUp({ project: 'genomics', services: [{ landlord: 'nerc', service: 'cloud' }] });
  await exchange.onboarding.signUp({ project: 'solo', services: [{ landlord: 'nerc', service: 'cloud' }] });
});

describe('createDeprovisioning', () => {
  it('takes an admin’s word by user id: closes only the projects the user led alone, audited under the admin', async () => {
    const deprovisioning = createDeprovisioning({ exchange, retention: { days: 1 } });
    const report = await deprovisioning.userLeft({ user: 'alice' }, { actor: { kind: 'admin', id: 'ops' } });
    expect(report).toEqual({ user: 'alice', closedProjects: ['solo'] });
    expect((await exchange.directory.project('genomics'))?.status).toBe('active');
    expect((await exchange.directory.members('genomics')).map((member) => member.user)).toEqual(['bob']);
    expect((await exchange.audit.query({ action: 'user.left' }))[0]?.actor).toEqual({ kind: 'admin', id: 'ops' });
    // Idempotent: a second signal finds nothing left to do.
    expect(await deprovisioning.userLeft({ user: 'alice' })).toEqual({ user: 'alice', closedProjects: [] });
  });

  it('finds users by identity and ignores departures of users the exchange never knew', async () => {
    const deprovisioning = createDeprovisioning({ exchange });
    expect((await deprovisioning.userFor({ issuer: 'https://idp.bu.edu', subject: 'a-1' }))?.id).toBe('alice');
    expect(await deprovisioning.userLeft({ issuer: 'https://idp.bu.edu', subject: 'nobody' })).toEqual({
      user: undefined,
      closedProjects: [],
    });
    expect((await exchange.directory.users()).every((user) => user.status === 'active')).toBe(true);
  });
});
