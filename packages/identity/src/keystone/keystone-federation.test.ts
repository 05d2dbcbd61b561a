import { createExchange, createMemoryStore, type Exchange } from '@ocx/core';
import { createReferenceDriver } from '@ocx/core/simulation';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createKeystoneFederation,
  type KeystoneFederationApi,
  type KeystoneIdentityProvider,
  type KeystoneMapping,
  type KeystoneProtocol,
} from './keystone-federation.js';
import { exchangeMappingRules, NO_MEMBERS_ATTRIBUTE } from './keystone-mapping-rules.js';

/** Keystone's OS-FEDERATION objects in memory, with its rule that a protocol needs its mapping. */
function memoryFederation(): KeystoneFederationApi & { calls: string[] } {
  const providers = new Map<string, KeystoneIdentityProvider>();
  const mappings = new Map<string, KeystoneMapping>();
  const protocols = new Map<string, KeystoneProtocol>();
  const calls: string[] = [];
  return {
    calls,
    async ensureIdentityProvider(id, input) {
      calls.push(`idp ${id}`);
      const provider = {
        id,
        remote_ids: input.remoteIds,
        domain_id: input.domainId ?? null,
        enabled: input.enabled ?? true,
      };
      providers.set(id, provider);
      return provider;
    },
    getIdentityProvider: async (id) => providers.get(id),
    async deleteIdentityProvider(id) {
      providers.delete(id);
      for (const key of protocols.keys()) if (key.startsWith(`${id}/`)) protocols.delete(key);
    },
    async ensureMapping(id, rules) {
      calls.push(`mapping ${id}`);
      const mapping = { id, rules: structuredClone(rules) };
      mappings.set(id, mapping);
      return mapping;
    },
    getMapping: async (id) => mappings.get(id),
    async deleteMapping(id) {
      mappings.delete(id);
    },
    async ensureProtocol(idp, protocol, mappingId) {
      calls.push(`protocol ${idp}/${protocol}`);
      if (!providers.has(idp) || !mappings.has(mappingId))
        throw new Error('Keystone would refuse: unknown idp or mapping');
      const object = { id: protocol, mapping_id: mappingId };
      protocols.set(`${idp}/${protocol}`, object);
      return object;
    },
    listProtocols: async (idp) => [...protocols].filter(([key]) => key.startsWith(`${idp}/`)).map(([, value]) => value),
    async deleteProtocol(idp, protocol) {
      protocols.delete(`${idp}/${protocol}`);
    },
  };
}

const ISSUER = 'https://idp.bu.edu';
let exchange: Exchange;

beforeEach(async () => {
  exchange = createExchange({ store: createMemoryStore() });
  await exchange.landlords.register({
    id: 'nerc',
    name: 'NERC',
    organization: 'Harvard',
    services: [
      {
        id: 'openstack',
        kind: 'compute',
        driver: createReferenceDriver({ landlord: 'nerc', service: 'openstack', nodes: 0, capabilities: ['tenancy'] }),
      },
      {
        id: 'other',
        kind: 'compute',
        driver: createReferenceDriver({ landlord: 'nerc', service: 'other', nodes: 0, capabilities: ['tenancy'] }),
      },
    ],
  });
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'BU', domains: ['bu.edu'] });
  await exchange.directory.upsertUser({
    id: 'alice-1',
    organization: 'bu',
    name: 'Alice',
    email: 'alice@bu.edu',
    identity: { issuer: ISSUER, subject: 'alice' },
  });
  await exchange.directory.upsertUser({
    id: 'bob-1',
    organization: 'bu',
    name: 'Bob',
    email: 'bob@bu.edu',
    identity: { issuer: ISSUER, subject: 'bob' },
  });
  await exchange.directory.upsertUser({
    id: 'carol-1',
    organization: 'bu',
    name: 'Carol',
    email: 'carol@bu.edu',
    identity: { issuer: 'https://elsewhere.example', subject: 'carol' },
  });
  await exchange.directory.createProject({ id: 'genomics', name: 'Genomics', organization: 'bu', lead: 'alice-1' });
  await exchange.directory.addMember({ project: 'genomics', user: 'bob-1', role: 'reader' });
  await exchange.directory.addMember({ project: 'genomics', user: 'carol-1', role: 'member' });
  await exchange.directory.createProject({ id: 'physics', name: 'Physics', organization: 'bu', lead: 'bob-1' });
  await exchange.onboarding.signUp({ project: 'genomics', services: [{ landlord: 'nerc', service: 'openstack' }] });
  await exchange.onboarding.signUp({ project: 'physics', services: [{ landlord: 'nerc', service: 'other' }] });
});

describe('createKeystoneFederation', () => {
  it('maps each active member of the issuer to their projects at this landlord service, leads as member not admin', async () => {
    const federation = createKeystoneFederation({
      federation: memoryFederation(),
      issuer: ISSUER,
      landlord: 'nerc',
      service: 'openstack',
    });
    // carol is from another issuer; physics is signed up at another service.
    expect(await federation.federatedUsers(exchange)).toEqual([
      { subject: 'alice', projects: [{ name: 'genomics', roles: ['member'] }] },
      { subject: 'bob', projects: [{ name: 'genomics', roles: ['reader'] }] },
    ]);
  });

  it('creates the mapping, identity provider and protocol, reads them back, and follows departures', async () => {
    const api = memoryFederation();
    const federation = createKeystoneFederation({
      federation: api,
      issuer: ISSUER,
      landlord: 'nerc',
      service: 'openstack',
    });
    const state = await federation.sync(exchange);
    expect(api.calls).toEqual(['mapping ocx-nerc-mapping', 'idp ocx-nerc', 'protocol ocx-nerc/openid']);
    expect(state.identityProvider).toMatchObject({
      id: 'ocx-nerc',
      remote_ids: [ISSUER],
      domain_id: 'default',
      enabled: true,
    });
    expect(state.protocol).toEqual({ id: 'openid', mapping_id: 'ocx-nerc-mapping' });
    expect(await federation.read()).toEqual(state);
    expect(state.mapping.rules.map((rule) => rule.remote)).toEqual([
      [{ type: 'OIDC-email' }, { type: 'OIDC-sub', any_one_of: ['alice'] }],
      [{ type: 'OIDC-email' }, { type: 'OIDC-sub', any_one_of: ['bob'] }],
    ]);

    // alice led genomics alone: her departure closes it, so bob loses it too and the mapping maps nobody.
    await exchange.offboarding.userLeft('alice-1');
    const after = await federation.sync(exchange);
    expect(after.mapping.rules.map((rule) => rule.remote)).toEqual([[{ type: NO_MEMBERS_ATTRIBUTE }]]);
    expect(JSON.stringify(after.mapping.rules)).not.toContain('alice');
    await federation.remove();
    expect(await federation.read()).toEqual({});
  });

  it('refuses bad options naming the field', () => {
    expect(() =>
      createKeystoneFederation({ federation: {} as never, issuer: ISSUER, landlord: 'nerc', service: 'openstack' }),
    ).toThrow(
      expect.objectContaining({ code: 'validation', issues: [expect.objectContaining({ path: 'federation' })] }),
    );
    expect(() =>
      createKeystoneFederation({
        federation: memoryFederation(),
        issuer: 'not a url',
        landlord: 'nerc',
        service: 'openstack',
      }),
    ).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'issuer' })] }));
  });
});

describe('exchangeMappingRules', () => {
  it('writes one rule per user (Keystone keeps only the last matching rule) with sorted projects and roles', () => {
    expect(
      exchangeMappingRules({
        claimPrefix: 'OIDC_CLAIM_',
        userNameClaim: 'preferred_username',
        users: [
          {
            subject: 'alice',
            projects: [
              { name: 'b', roles: ['member', 'member'] },
              { name: 'a', roles: ['reader'] },
            ],
          },
        ],
      }),
    ).toEqual([
      {
        local: [
          { user: { name: '{0}', type: 'ephemeral' } },
          {
            projects: [
              { name: 'a', roles: [{ name: 'reader' }] },
              { name: 'b', roles: [{ name: 'member' }] },
            ],
          },
        ],
        remote: [{ type: 'OIDC_CLAIM_preferred_username' }, { type: 'OIDC_CLAIM_sub', any_one_of: ['alice'] }],
      },
    ]);
  });

  it('maps nobody when there are no members (Keystone needs at least one rule)', () => {
    expect(exchangeMappingRules({ users: [{ subject: 'x', projects: [] }] })).toEqual([
      { local: [{ user: { name: 'nobody', type: 'ephemeral' } }], remote: [{ type: NO_MEMBERS_ATTRIBUTE }] },
    ]);
  });
});
