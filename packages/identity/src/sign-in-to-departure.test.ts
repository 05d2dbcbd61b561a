import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Decimal, type Exchange, OcxError, type UsageRecord } from '@ocx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalIdentityProvider } from './provider/index.js';
import { createScimDeprovisioningHandler, type ScimDeprovisioningHandler } from './scim-deprovisioning.js';
import {
  assembleExchange,
  createLandlords,
  type IdentityStack,
  identityStack,
  type Landlords,
  startUniversityIdp,
  unknownToExchange,
} from './test-support/identity-world.js';

// The demo, end to end: a user signs in through the local identity provider, signs up
// for two landlords' services, uses them, leaves (the identity provider says so), and everything
// is released.
const SCIM_TOKEN = 'scim-token-for-the-exchange';
let landlords: Landlords;
let exchange: Exchange;
let idp: LocalIdentityProvider;
let stack: IdentityStack;
let scimServer: Server;
let scimUrl: string;
let scim: ScimDeprovisioningHandler | undefined;

beforeAll(async () => {
  scimServer = createServer((request, response) => {
    if (scim === undefined) response.writeHead(503).end();
    else void scim.listener(request, response);
  });
  await new Promise<void>((resolve) => scimServer.listen(0, '127.0.0.1', resolve));
  scimUrl = `http://127.0.0.1:${(scimServer.address() as AddressInfo).port}/scim/v2`;
  idp = await startUniversityIdp([{ url: scimUrl, token: SCIM_TOKEN }]);
  landlords = createLandlords();
  exchange = await assembleExchange(landlords);
  stack = await identityStack(exchange, idp);
  scim = createScimDeprovisioningHandler({
    deprovisioning: stack.deprovisioning,
    issuer: idp.issuer,
    token: SCIM_TOKEN,
  });
});
afterAll(async () => {
  await stack.verifier.close();
  await idp.close();
  await new Promise<void>((resolve) => scimServer.close(() => resolve()));
});

describe('sign in → sign up → use → leave → released', () => {
  it('runs the whole life of a user across two landlords', async () => {
    const events: string[] = [];
    exchange.events.on('user.created', (event) => events.push(`user.created ${event.organization}`));
    exchange.events.on('project.closed', (event) =>
      events.push(`project.closed ${event.project} ${event.organization}`),
    );
    exchange.events.on('user.left', (event) => events.push(`user.left ${event.closedProjects.join(',')}`));

    // 1. Sign in through the real provider: a first sign-in creates the user in the right organization.
    const { idToken } = await idp.token('alice', 'portal', { nonce: 'n-alice' });
    const alice = await stack.signIn.signIn(idToken, { nonce: 'n-alice' });
    expect(alice).toMatchObject({
      created: true,
      roles: ['pi'],
      organization: { id: 'bu' },
      principal: { kind: 'user', organization: 'bu' },
      user: { email: 'alice@bu.edu', status: 'active', identity: { issuer: idp.issuer, subject: 'alice' } },
    });
    const bob = await stack.signIn.signIn((await idp.token('bob', 'portal')).idToken);
    expect(bob).toMatchObject({ created: true, roles: [], token: { kind: 'id-token' } });
    expect((await stack.signIn.signIn((await idp.token('alice', 'portal')).idToken)).created).toBe(false);

    // 2. Sign up for two landlords' services, with no human step.
    await exchange.directory.createProject(
      { id: 'genomics', name: 'Genomics Lab', organization: 'bu', lead: alice.user.id },
      { actor: alice.principal },
    );
    await exchange.directory.addMember(
      { project: 'genomics', user: bob.user.id, role: 'member' },
      { actor: alice.principal },
    );
    const subscriptions = await exchange.onboarding.signUp(
      {
        project: 'genomics',
        services: [
          { landlord: 'nerc', service: 'compute', quotas: { cores: '64', nodes: '2' } },
          { landlord: 'cephco', service: 'objects', quotas: { 'storage-gb': '500' } },
        ],
      },
      { actor: alice.principal },
    );
    expect(subscriptions.map((subscription) => subscription.status)).toEqual(['active', 'active']);
    expect(landlords.compute.ext!.state.projects.get('genomics')?.members).toEqual(
      new Map([
        [alice.user.id, 'admin'],
        [bob.user.id, 'member'],
      ]),
    );

    // 3. Use them: a bare-metal node and metered usage, collected once.
    await exchange.landlords
      .service('nerc', 'compute')
      .driver.hardware!.allocate({ project: 'genomics', node: 'node-001' }, { actor: alice.principal });
    landlords.compute.ext!.recordUsage({
      project: 'genomics',
      user: alice.user.id,
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '12.5',
      resource: 'vm-1',
      start: '2026-11-02T09:00:00Z',
      end: '2026-11-02T10:00:00Z',
    });
    landlords.storage.ext!.recordUsage({
      project: 'genomics',
      user: bob.user.id,
      metric: 'storage-gb-hours',
      unit: 'GB·h',
      quantity: '100.25',
      resource: 'bucket-1',
      start: '2026-11-02T09:00:00Z',
      end: '2026-11-02T10:00:00Z',
    });
    landlords.clock.advance(2 * 3_600_000);
    const collected = await exchange.usage.collect({
      window: { start: '2026-11-02T09:00:00Z', end: '2026-11-02T11:00:00Z' },
    });
    expect(collected.meters.filter((meter) => meter.error !== undefined)).toEqual([]);
    const usage: UsageRecord[] = [];
    for await (const record of exchange.usage.query({ project: 'genomics' })) usage.push(record);
    const total = (metric: string) =>
      usage
        .filter((record) => record.metric === metric)
        .reduce((sum, record) => sum.add(Decimal.from(record.quantity)), Decimal.ZERO)
        .toString();
    expect([total('vcpu-hours'), total('storage-gb-hours'), total('node-hours')]).toEqual(['12.5', '100.25', '2']);

    // 4. The identity provider says alice left (SCIM DELETE to the exchange).
    const deliveries = await idp.removeUser('alice');
    expect(deliveries).toEqual([{ url: scimUrl, ok: true, status: 204 }]);

    // 5. Everything is released, in both landlords, and the final bill is triggered.
    expect((await exchange.directory.user(alice.user.id))?.status).toBe('left');
    expect((await exchange.directory.project('genomics'))?.status).toBe('closed');
    const after = await exchange.onboarding.subscriptions({ project: 'genomics' });
    expect(after.map((subscription) => [subscription.landlord, subscription.status])).toEqual([
      ['cephco', 'released'],
      ['nerc', 'released'],
    ]);
    expect(after.find((subscription) => subscription.landlord === 'nerc')?.released).toEqual([
      { type: 'bare-metal-node', id: 'node-001' },
    ]);
    for (const driver of [landlords.compute, landlords.storage]) {
      expect(driver.ext!.state.projects.get('genomics')).toMatchObject({ enabled: false });
      expect(driver.ext!.state.projects.get('genomics')?.members.has(alice.user.id)).toBe(false);
      expect([...(driver.ext!.state.quotas.get('genomics')?.values() ?? [])].every((limit) => limit === '0')).toBe(
        true,
      );
    }
    expect([...landlords.compute.ext!.state.nodes.values()].every((node) => node.project === null)).toBe(true);
    expect(events).toEqual(['user.created bu', 'user.created bu', 'project.closed genomics bu', 'user.left genomics']);
    expect(await unknownToExchange(exchange, landlords)).toEqual([]);

    // 6. Support sees what alice did, what she held and where; the departure is on record with its principal.
    const report = await exchange.support.user(alice.user.id);
    expect(report?.actions.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['user.sign-in', 'project.create', 'membership.add']),
    );
    expect(
      report?.subscriptions.map((subscription) => `${subscription.landlord}:${subscription.status}`).sort(),
    ).toEqual(['cephco:released', 'nerc:released']);
    const offboard = await exchange.audit.query({ action: 'project.offboard' });
    expect(offboard).toEqual([
      expect.objectContaining({ actor: { kind: 'system', id: `idp:${new URL(idp.issuer).host}` }, outcome: 'success' }),
    ]);

    // 7. A departed user cannot sign in with an old token; released projects are purged after retention.
    await expect(stack.signIn.signIn(idToken, { nonce: 'n-alice' })).rejects.toMatchObject({
      code: 'auth',
      backendErrorType: 'user-left',
    });
    landlords.clock.advance(8 * 86_400_000);
    expect((await exchange.offboarding.purgeDue()).map((subscription) => subscription.status)).toEqual([
      'purged',
      'purged',
    ]);
    expect(landlords.compute.ext!.state.projects.has('genomics')).toBe(false);
  });

  it('answers SCIM: 401 without the token, 404 for an unknown user, 400 for anything but deactivation', async () => {
    const send = (method: string, path: string, token: string | undefined, body?: unknown) =>
      fetch(`${scimUrl}${path}`, {
        method,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          'content-type': 'application/scim+json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await send('DELETE', '/Users/bob', undefined)).status).toBe(401);
    expect((await send('DELETE', '/Users/bob', 'wrong-token-wrong-token-wrong-to')).status).toBe(401);
    expect((await send('DELETE', '/Users/nobody', SCIM_TOKEN)).status).toBe(404);
    const rename = await send('PATCH', '/Users/bob', SCIM_TOKEN, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Robert' }],
    });
    expect(rename.status).toBe(400);
    expect(await rename.json()).toMatchObject({ scimType: 'mutability' });
    expect((await exchange.directory.users()).find((user) => user.identity?.subject === 'bob')?.status).toBe('active');
    const deactivate = await send('PATCH', '/Users/bob', SCIM_TOKEN, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(deactivate.status).toBe(204);
    expect((await exchange.directory.users()).find((user) => user.identity?.subject === 'bob')?.status).toBe('left');
  });

  it('refuses sign-in of a verified identity no rule maps, and audits the refusal without the token', async () => {
    idp.addUser({ sub: 'eve', email: 'eve@gmail.com', name: 'Eve' });
    const { idToken } = await idp.token('eve', 'portal');
    const error = await stack.signIn.signIn(idToken).catch((caught: unknown) => caught);
    expect(OcxError.is(error) && error.backendErrorType).toBe('organization-unmapped');
    const refusals = await exchange.audit.query({ action: 'user.sign-in', outcome: 'failure' });
    expect(refusals.at(-1)?.details).toMatchObject({ reason: 'organization-unmapped', subject: 'eve' });
    expect(JSON.stringify(refusals)).not.toContain(idToken.split('.')[1]);
    expect((await exchange.directory.users()).some((user) => user.identity?.subject === 'eve')).toBe(false);
  });
});
