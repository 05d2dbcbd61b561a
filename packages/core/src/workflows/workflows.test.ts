import { describe, expect, it } from 'vitest';
import { CrashSwitch, crashingStore } from '../enclave/__tests__/harness.js';
import { OcxError } from '../errors/ocx-error.js';
import { ManualClock } from '../runtime/clock.js';
import { createExchange } from '../runtime/exchange.js';
import type { Driver } from '../spec/driver.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import { createReferenceDriver, type ReferenceExtension } from '../testing/reference-driver/index.js';

function backends(clock: ManualClock) {
  return {
    cloud: createReferenceDriver({
      landlord: 'nerc',
      service: 'cloud',
      clock,
      nodes: 4,
      quotaResources: ['cores', 'ram-gb'],
    }),
    storage: createReferenceDriver({
      landlord: 'acme',
      service: 'objects',
      clock,
      nodes: 0,
      quotaResources: ['storage-gb'],
    }),
  };
}

async function setup(
  options: {
    store?: Store;
    drivers?: ReturnType<typeof backends>;
    clock?: ManualClock;
    wrap?: (driver: Driver) => Driver;
  } = {},
) {
  const clock = options.clock ?? new ManualClock('2026-11-01T00:00:00Z');
  const drivers = options.drivers ?? backends(clock);
  const wrap = options.wrap ?? ((driver: Driver) => driver);
  const exchange = createExchange({ store: options.store ?? createMemoryStore(), clock });
  await exchange.landlords.register({
    id: 'nerc',
    name: 'NERC',
    organization: 'Harvard',
    services: [{ id: 'cloud', kind: 'compute', driver: wrap(drivers.cloud) }],
  });
  await exchange.landlords.register({
    id: 'acme',
    name: 'Acme',
    organization: 'Acme',
    services: [{ id: 'objects', kind: 'object-storage', driver: wrap(drivers.storage) }],
  });
  return { clock, drivers, exchange };
}

async function seedDirectory(exchange: Awaited<ReturnType<typeof setup>>['exchange']) {
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });
  await exchange.directory.upsertUser({ id: 'alice', organization: 'bu', name: 'Alice Smith', email: 'alice@bu.edu' });
  await exchange.directory.upsertUser({ id: 'bob', organization: 'bu', name: 'Bob Jones', email: 'bob@bu.edu' });
  await exchange.directory.createProject({ id: 'genomics', name: 'Genomics Lab', organization: 'bu', lead: 'alice' });
  await exchange.directory.addMember({ project: 'genomics', user: 'bob', role: 'member' });
}

const SIGN_UP: {
  project: string;
  services: Array<{ landlord: string; service: string; quotas: Record<string, string> }>;
} = {
  project: 'genomics',
  services: [
    { landlord: 'nerc', service: 'cloud', quotas: { cores: '64', 'ram-gb': '256' } },
    { landlord: 'acme', service: 'objects', quotas: { 'storage-gb': '500' } },
  ],
};

describe('onboarding', () => {
  it('signs a project up for two landlords with no human step, idempotently', async () => {
    const { exchange, drivers } = await setup();
    await seedDirectory(exchange);
    const statuses: string[] = [];
    exchange.events.on('subscription.changed', (event) => statuses.push(`${event.landlord}:${event.status}`));
    const subscriptions = await exchange.onboarding.signUp(SIGN_UP, { actor: { kind: 'user', id: 'alice' } });
    expect(subscriptions.map((subscription) => subscription.status)).toEqual(['active', 'active']);
    const project = await drivers.cloud.tenancy!.getProject('genomics');
    expect(project?.members).toEqual([
      { user: 'alice', role: 'admin' },
      { user: 'bob', role: 'member' },
    ]);
    expect((await drivers.cloud.quotas!.getQuotas('genomics')).find((quota) => quota.resource === 'cores')?.limit).toBe(
      '64',
    );
    expect(statuses).toEqual(['nerc:provisioning', 'nerc:active', 'acme:provisioning', 'acme:active']);
    const again = await exchange.onboarding.signUp(SIGN_UP);
    expect(again.map((subscription) => subscription.status)).toEqual(['active', 'active']);
    expect((await exchange.quotas.history({ resource: 'cores' })).length).toBe(1);
  });

  it('honours a landlord approval policy: manual waits, organizations allow-list denies', async () => {
    const { exchange } = await setup();
    await seedDirectory(exchange);
    await exchange.onboarding.setApprovalPolicy({ landlord: 'nerc', service: 'cloud', policy: { mode: 'manual' } });
    await exchange.onboarding.setApprovalPolicy({
      landlord: 'acme',
      service: 'objects',
      policy: { mode: 'organizations', allow: ['mit'] },
    });
    const [cloud, storage] = await exchange.onboarding.signUp(SIGN_UP);
    expect(cloud?.status).toBe('awaiting-approval');
    expect(storage?.status).toBe('denied');
    const approved = await exchange.onboarding.approve('genomics/nerc/cloud', {
      actor: { kind: 'landlord', id: 'nerc' },
    });
    expect(approved.status).toBe('active');
    await expect(exchange.onboarding.approve('genomics/nerc/cloud')).rejects.toMatchObject({ code: 'state' });
  });

  it('a failure mid-way rolls back what it made, and records it', async () => {
    const { exchange, drivers } = await setup({
      wrap: (driver) =>
        driver.name === 'reference' && driver.quotas?.resources.includes('storage-gb')
          ? {
              ...driver,
              tenancy: {
                ...driver.tenancy!,
                ensureMember: async () =>
                  Promise.reject(new OcxError({ code: 'http', status: 500, message: 'RGW down' })),
              },
            }
          : driver,
    });
    await seedDirectory(exchange);
    const [cloud, storage] = await exchange.onboarding.signUp(SIGN_UP);
    expect(cloud?.status).toBe('active');
    expect(storage).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('RGW down'),
      cleanupPending: false,
    });
    expect(await drivers.storage.tenancy!.getProject('genomics')).toBeUndefined();
    expect((await exchange.audit.query({ action: 'subscription.rollback' }))[0]?.outcome).toBe('failure');
  });

  it('a crash mid-way is resumed to completion', async () => {
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const drivers = backends(clock);
    const store = createMemoryStore();
    const crash = new CrashSwitch();
    const first = await setup({ store: crashingStore(store, crash), drivers, clock });
    await seedDirectory(first.exchange);
    crash.tripAfterWrites = crash.writes + 6;
    await first.exchange.onboarding.signUp(SIGN_UP).catch(() => undefined);
    expect(crash.tripped).toBe(true);
    const second = await setup({ store, drivers, clock });
    const resumed = await second.exchange.onboarding.resume();
    expect(resumed.length).toBeGreaterThan(0);
    const subscriptions = await second.exchange.onboarding.signUp(SIGN_UP);
    expect(subscriptions.map((subscription) => subscription.status)).toEqual(['active', 'active']);
    expect((await drivers.storage.tenancy!.getProject('genomics'))?.members.length).toBe(2);
  });

  it('refuses malformed sign-ups naming the field, changing nothing', async () => {
    const { exchange } = await setup();
    await seedDirectory(exchange);
    const error = await exchange.onboarding
      .signUp({
        project: 'genomics',
        services: [{ landlord: 'nerc', service: 'cloud', quotas: { cores: 64 as unknown as string } }],
      })
      .catch((caught: unknown) => caught);
    expect((error as OcxError).issues.map((issue) => issue.path)).toContain('services.0.quotas.cores');
    await expect(exchange.onboarding.signUp({ project: 'nope', services: SIGN_UP.services })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(exchange.onboarding.signUp({ project: 'genomics', services: [] })).rejects.toMatchObject({
      code: 'validation',
    });
    expect(await exchange.onboarding.subscriptions()).toEqual([]);
  });
});

describe('offboarding and support', () => {
  it('closing a project releases everything, closes quotas, disables, then purges after retention', async () => {
    const { exchange, drivers, clock } = await setup();
    await seedDirectory(exchange);
    await exchange.onboarding.signUp(SIGN_UP);
    await drivers.cloud.hardware!.allocate({ project: 'genomics', node: 'node-001' });
    const closed: unknown[] = [];
    exchange.events.on('project.closed', (event) => closed.push(event));
    const report = await exchange.offboarding.closeProject('genomics', {
      retention: { days: 7 },
      actor: { kind: 'admin', id: 'ops' },
    });
    expect(report.unfinished).toEqual([]);
    expect(report.subscriptions.find((subscription) => subscription.landlord === 'nerc')?.released).toEqual([
      { type: 'bare-metal-node', id: 'node-001' },
    ]);
    expect((drivers.cloud.ext as ReferenceExtension).state.nodes.get('node-001')?.project).toBeNull();
    expect((await drivers.cloud.tenancy!.getProject('genomics'))?.enabled).toBe(false);
    expect((await drivers.cloud.quotas!.getQuotas('genomics')).find((quota) => quota.resource === 'cores')?.limit).toBe(
      '0',
    );
    expect(closed).toHaveLength(1);
    expect(await exchange.offboarding.purgeDue()).toEqual([]);
    clock.advance(8 * 86_400_000);
    expect((await exchange.offboarding.purgeDue()).map((subscription) => subscription.status)).toEqual([
      'purged',
      'purged',
    ]);
    expect(await drivers.cloud.tenancy!.getProject('genomics')).toBeUndefined();
  });

  it('a user who leaves is removed everywhere; a project they led alone is closed', async () => {
    const { exchange, drivers } = await setup();
    await seedDirectory(exchange);
    await exchange.onboarding.signUp(SIGN_UP);
    const result = await exchange.offboarding.userLeft('bob');
    expect(result.closedProjects).toEqual([]);
    expect((await drivers.cloud.tenancy!.getProject('genomics'))?.members.map((member) => member.user)).toEqual([
      'alice',
    ]);
    const alice = await exchange.offboarding.userLeft('alice');
    expect(alice.closedProjects).toEqual(['genomics']);
    expect((await exchange.directory.project('genomics'))?.status).toBe('closed');
  });

  it('support sees what a user did, what they hold and where', async () => {
    const { exchange } = await setup();
    await seedDirectory(exchange);
    await exchange.onboarding.signUp(SIGN_UP, { actor: { kind: 'user', id: 'alice' } });
    const report = await exchange.support.user('alice');
    expect(report?.projects.map((project) => project.id)).toEqual(['genomics']);
    expect(
      report?.subscriptions.map(
        (subscription) => `${subscription.landlord}/${subscription.service}:${subscription.status}`,
      ),
    ).toEqual(
      ['genomics/acme/objects', 'genomics/nerc/cloud'].map((id) => `${id.split('/').slice(1).join('/')}:active`),
    );
    expect(report?.quotas.map((quota) => quota.resource).sort()).toEqual(['cores', 'ram-gb', 'storage-gb']);
    expect(report?.actions.some((entry) => entry.action === 'subscription.activate')).toBe(true);
    expect(await exchange.support.user('nobody')).toBeUndefined();
  });

  it('a crash at any write while a user leaves is resumed to completion, announced once', async () => {
    for (let crashAfter = 1; crashAfter <= 30; crashAfter += 1) {
      const clock = new ManualClock('2026-11-01T00:00:00Z');
      const drivers = backends(clock);
      const store = createMemoryStore();
      const crash = new CrashSwitch();
      const first = await setup({ store: crashingStore(store, crash), drivers, clock });
      await seedDirectory(first.exchange);
      await first.exchange.onboarding.signUp(SIGN_UP);
      await drivers.cloud.hardware!.allocate({ project: 'genomics', node: 'node-002' });
      const announcements: unknown[] = [];
      first.exchange.events.on('project.closed', (event) => announcements.push(event));
      crash.tripAfterWrites = crash.writes + crashAfter;
      const finished = await first.exchange.offboarding.userLeft('alice').then(
        () => true,
        () => false,
      );
      crash.tripped = true;
      const second = await setup({ store, drivers, clock });
      second.exchange.events.on('project.closed', (event) => announcements.push(event));
      await second.exchange.offboarding.resume();
      await second.exchange.offboarding.resume();
      expect((await second.exchange.directory.project('genomics'))?.status, `crash after ${crashAfter}`).toBe('closed');
      for (const subscription of await second.exchange.onboarding.subscriptions({ project: 'genomics' })) {
        expect(subscription.status, `crash after ${crashAfter}: ${subscription.id}`).toBe('released');
      }
      expect((drivers.cloud.ext as ReferenceExtension).state.nodes.get('node-002')?.project).toBeNull();
      expect((await drivers.storage.tenancy!.getProject('genomics'))?.enabled).toBe(false);
      expect(await second.exchange.directory.membershipsOf('alice')).toEqual([]);
      // Announced exactly once across the crash and the resumes.
      expect(announcements.length, `crash after ${crashAfter}`).toBe(1);
      if (finished) break;
    }
  });
});
