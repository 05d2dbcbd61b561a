import { createMemoryStore, type Exchange, type SignUpInput, type Store } from '@ocx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalIdentityProvider } from './provider/index.js';
import { CrashSwitch, crashingDriver, crashingStore } from './test-support/crashing-store.js';
import {
  assembleExchange,
  createLandlords,
  identityStack,
  type Landlords,
  startUniversityIdp,
  unknownToExchange,
} from './test-support/identity-world.js';

// A crash in the middle of onboarding or offboarding, at every store write in turn: a restarted
// exchange resumes to completion and nothing is left provisioned that it does not know about.
let idp: LocalIdentityProvider;
let tokens: { alice: string; bob: string };

beforeAll(async () => {
  idp = await startUniversityIdp();
  tokens = { alice: (await idp.token('alice', 'portal')).idToken, bob: (await idp.token('bob', 'portal')).idToken };
});
afterAll(async () => {
  await idp.close();
});

const SIGN_UP: SignUpInput = {
  project: 'genomics',
  services: [
    { landlord: 'nerc', service: 'compute', quotas: { cores: '64', nodes: '2' } },
    { landlord: 'cephco', service: 'objects', quotas: { 'storage-gb': '500' } },
  ],
};

/** Sign in, create the project, add a member, sign up for both landlords: what a portal does, retried as a user would. */
async function onboard(exchange: Exchange): Promise<void> {
  const stack = await identityStack(exchange, idp);
  try {
    const alice = await stack.signIn.signIn(tokens.alice);
    const bob = await stack.signIn.signIn(tokens.bob);
    if ((await exchange.directory.project('genomics')) === undefined) {
      await exchange.directory.createProject(
        { id: 'genomics', name: 'Genomics Lab', organization: 'bu', lead: alice.user.id },
        { actor: alice.principal },
      );
    }
    await exchange.directory.addMember(
      { project: 'genomics', user: bob.user.id, role: 'member' },
      { actor: alice.principal },
    );
    await exchange.onboarding.signUp(SIGN_UP, { actor: alice.principal });
  } finally {
    await stack.verifier.close();
  }
}

/** Run `work` on an exchange whose process dies at store write `crashAt` (counted from the start of the work). */
async function crashDuring(
  landlords: Landlords,
  inner: Store,
  crashAt: number,
  work: (exchange: Exchange) => Promise<unknown>,
): Promise<{ crashed: boolean }> {
  const crash = new CrashSwitch();
  const doomed = await assembleExchange(landlords, crashingStore(inner, crash), (driver) =>
    crashingDriver(driver, crash),
  );
  crash.writes = 0;
  crash.tripAfterWrites = crashAt;
  try {
    await work(doomed);
  } catch (error) {
    if (!crash.tripped) throw error;
  }
  return { crashed: crash.tripped };
}

async function writesOf(
  work: (exchange: Exchange) => Promise<unknown>,
  prepare?: (exchange: Exchange) => Promise<void>,
): Promise<number> {
  const landlords = createLandlords();
  const inner = createMemoryStore();
  if (prepare !== undefined) await prepare(await assembleExchange(landlords, inner));
  const crash = new CrashSwitch();
  const exchange = await assembleExchange(landlords, crashingStore(inner, crash));
  crash.writes = 0;
  await work(exchange);
  return crash.writes;
}

describe('a crash during onboarding', () => {
  it('is resumed at every write: no half-made subscription stays, nothing unknown is provisioned, and a retry completes', async () => {
    const total = await writesOf(onboard);
    expect(total).toBeGreaterThan(20);
    for (let crashAt = 0; crashAt < total; crashAt += 1) {
      const landlords = createLandlords();
      const inner = createMemoryStore();
      const { crashed } = await crashDuring(landlords, inner, crashAt, onboard);
      expect(crashed, `crash at write ${crashAt}`).toBe(true);

      const restarted = await assembleExchange(landlords, inner);
      const stack = await identityStack(restarted, idp);
      await stack.deprovisioning.resume();
      await stack.verifier.close();
      const context = `crash at write ${crashAt}`;
      expect(
        (await restarted.onboarding.subscriptions()).filter(
          (subscription) => subscription.status === 'provisioning' || subscription.cleanupPending === true,
        ),
        context,
      ).toEqual([]);
      expect(await unknownToExchange(restarted, landlords), context).toEqual([]);

      await onboard(restarted);
      expect(
        (await restarted.onboarding.subscriptions({ project: 'genomics' })).map((subscription) => subscription.status),
        context,
      ).toEqual(['active', 'active']);
      for (const driver of [landlords.compute, landlords.storage])
        expect(driver.ext!.state.projects.get('genomics')?.members.size, context).toBe(2);
      expect(landlords.compute.ext!.state.quotas.get('genomics')?.get('cores'), context).toBe('64');
      expect(await unknownToExchange(restarted, landlords), context).toEqual([]);
    }
  });
});

describe('a crash during offboarding', () => {
  /** Onboard, allocate a node, then return what a departure needs. */
  const prepare = async (exchange: Exchange) => {
    await onboard(exchange);
    await exchange.landlords
      .service('nerc', 'compute')
      .driver.hardware!.allocate({ project: 'genomics', node: 'node-002' });
  };
  const leave = async (exchange: Exchange) => {
    const stack = await identityStack(exchange, idp);
    await stack.deprovisioning.userLeft({ issuer: idp.issuer, subject: 'alice' });
    await stack.verifier.close();
  };

  it('is resumed at every write until everything the user held is released', async () => {
    const total = await writesOf(leave, prepare);
    expect(total).toBeGreaterThan(10);
    for (let crashAt = 0; crashAt < total; crashAt += 1) {
      const landlords = createLandlords();
      const inner = createMemoryStore();
      await prepare(await assembleExchange(landlords, inner));
      const { crashed } = await crashDuring(landlords, inner, crashAt, leave);
      expect(crashed, `crash at write ${crashAt}`).toBe(true);

      const restarted = await assembleExchange(landlords, inner);
      const context = `crash at write ${crashAt}`;
      const departureRecorded = (await restarted.directory.users()).some(
        (user) => user.identity?.subject === 'alice' && user.status === 'left',
      );
      const stack = await identityStack(restarted, idp);
      await stack.deprovisioning.resume();
      // A crash before the departure was recorded loses nothing but the signal: the identity
      // provider's delivery failed, and it sends it again.
      if (!departureRecorded) await stack.deprovisioning.userLeft({ issuer: idp.issuer, subject: 'alice' });
      await stack.verifier.close();

      expect((await restarted.directory.project('genomics'))?.status, context).toBe('closed');
      expect(
        (await restarted.onboarding.subscriptions({ project: 'genomics' })).map((subscription) => subscription.status),
        context,
      ).toEqual(['released', 'released']);
      for (const driver of [landlords.compute, landlords.storage]) {
        const project = driver.ext!.state.projects.get('genomics');
        expect(project?.enabled, context).toBe(false);
        expect(
          [...(driver.ext!.state.quotas.get('genomics')?.values() ?? [])].every((limit) => limit === '0'),
          context,
        ).toBe(true);
      }
      expect(
        [...landlords.compute.ext!.state.nodes.values()].filter((node) => node.project !== null),
        context,
      ).toEqual([]);
      expect(await unknownToExchange(restarted, landlords), context).toEqual([]);
    }
  });
});
