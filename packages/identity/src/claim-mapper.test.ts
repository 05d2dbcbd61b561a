import { createExchange, type Exchange, OcxError } from '@ocx/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimValues, createClaimMapper } from './claim-mapper.js';
import type { VerifiedToken } from './verified-token.js';

let exchange: Exchange;
beforeEach(async () => {
  exchange = createExchange();
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });
  await exchange.directory.upsertOrganization({ id: 'mit', name: 'MIT', domains: ['mit.edu'] });
  await exchange.directory.upsertOrganization({ id: 'acme', name: 'Acme Corp', domains: [] });
  await exchange.directory.upsertOrganization({ id: 'guests', name: 'Guests', domains: [] });
});

const token = (claims: Record<string, unknown>, issuer = 'https://idp.bu.edu'): VerifiedToken => ({
  kind: 'id-token',
  issuer,
  subject: 'subject-1',
  audience: ['portal'],
  claims: { iss: issuer, sub: 'subject-1', ...claims },
  issuedAt: undefined,
  expiresAt: new Date(Date.now() + 60_000),
});

describe('createClaimMapper', () => {
  it('maps eduPersonScopedAffiliation to the organization owning the scope, counting only chosen affiliations', async () => {
    const mapper = createClaimMapper({ rules: [{ kind: 'scoped-affiliation', affiliations: ['member', 'faculty'] }] });
    await expect(
      mapper.map(token({ eduPersonScopedAffiliation: ['affiliate@mit.edu', 'member@bu.edu'] }), exchange.directory),
    ).resolves.toMatchObject({ organization: { id: 'bu' }, rule: 'scoped-affiliation', matched: 'bu.edu' });
    await expect(
      mapper.map(token({ eduPersonScopedAffiliation: 'affiliate@bu.edu' }), exchange.directory),
    ).rejects.toMatchObject({ code: 'auth', backendErrorType: 'organization-unmapped' });
  });

  it('maps schacHomeOrganization and a verified e-mail domain, with subdomains only when asked', async () => {
    const home = createClaimMapper({ rules: [{ kind: 'home-organization' }] });
    await expect(home.map(token({ schacHomeOrganization: 'MIT.edu' }), exchange.directory)).resolves.toMatchObject({
      organization: { id: 'mit' },
    });
    const email = createClaimMapper({ rules: [{ kind: 'email-domain' }] });
    await expect(
      email.map(token({ email: 'alice@bu.edu', email_verified: true }), exchange.directory),
    ).resolves.toMatchObject({ organization: { id: 'bu' }, rule: 'email-domain' });
    await expect(
      email.map(token({ email: 'alice@bu.edu', email_verified: false }), exchange.directory),
    ).rejects.toMatchObject({ backendErrorType: 'organization-unmapped' });
    await expect(
      email.map(token({ email: 'alice@cs.bu.edu', email_verified: true }), exchange.directory),
    ).rejects.toMatchObject({ backendErrorType: 'organization-unmapped' });
    const subdomains = createClaimMapper({ rules: [{ kind: 'email-domain', includeSubdomains: true }] });
    await expect(
      subdomains.map(token({ email: 'alice@cs.bu.edu', email_verified: true }), exchange.directory),
    ).resolves.toMatchObject({ organization: { id: 'bu' }, matched: 'bu.edu' });
  });

  it('maps a whole issuer to one organization, and a claim to a fixed organization or a domain', async () => {
    const mapper = createClaimMapper({
      rules: [
        { kind: 'issuer', issuer: 'https://login.acme.example', organization: 'acme' },
        { kind: 'claim', claim: 'groups', equals: ['visiting-scholars'], organization: 'guests' },
        { kind: 'claim', claim: 'hd' },
      ],
    });
    await expect(mapper.map(token({}, 'https://login.acme.example'), exchange.directory)).resolves.toMatchObject({
      organization: { id: 'acme' },
      rule: 'issuer',
    });
    await expect(
      mapper.map(token({ groups: ['staff', 'visiting-scholars'] }), exchange.directory),
    ).resolves.toMatchObject({ organization: { id: 'guests' }, matched: 'visiting-scholars' });
    await expect(mapper.map(token({ hd: 'mit.edu' }), exchange.directory)).resolves.toMatchObject({
      organization: { id: 'mit' },
      rule: 'claim',
    });
  });

  it('takes the first rule that matches, and honours issuer limits', async () => {
    const claims = { eduPersonScopedAffiliation: ['member@mit.edu'], email: 'alice@bu.edu', email_verified: true };
    const affiliationFirst = createClaimMapper({ rules: [{ kind: 'scoped-affiliation' }, { kind: 'email-domain' }] });
    await expect(affiliationFirst.map(token(claims), exchange.directory)).resolves.toMatchObject({
      organization: { id: 'mit' },
    });
    const emailFirst = createClaimMapper({ rules: [{ kind: 'email-domain' }, { kind: 'scoped-affiliation' }] });
    await expect(emailFirst.map(token(claims), exchange.directory)).resolves.toMatchObject({
      organization: { id: 'bu' },
    });
    // MIT's scope is trusted only from MIT's identity provider.
    const limited = createClaimMapper({
      rules: [{ kind: 'scoped-affiliation', issuers: ['https://idp.mit.edu'] }, { kind: 'email-domain' }],
    });
    await expect(limited.map(token(claims), exchange.directory)).resolves.toMatchObject({ organization: { id: 'bu' } });
  });

  it('collects roles from claims and makes configured roles exchange admins', async () => {
    const mapper = createClaimMapper({
      rules: [{ kind: 'scoped-affiliation' }],
      roles: [
        { claim: 'eduPersonScopedAffiliation', pattern: 'faculty@.*', role: 'pi' },
        { claim: 'groups', equals: ['ocx-operators'], role: 'operator' },
      ],
      adminRoles: ['operator'],
    });
    await expect(
      mapper.map(token({ eduPersonScopedAffiliation: ['faculty@bu.edu'] }), exchange.directory),
    ).resolves.toMatchObject({ roles: ['pi'], kind: 'user' });
    await expect(
      mapper.map(
        token({ eduPersonScopedAffiliation: ['member@bu.edu'], groups: 'ocx-operators staff' }),
        exchange.directory,
      ),
    ).resolves.toMatchObject({ roles: ['operator'], kind: 'admin' });
  });

  it('refuses an unmapped identity clearly, or maps it to the configured default', async () => {
    const refusing = createClaimMapper({ rules: [{ kind: 'email-domain' }] });
    const error = await refusing
      .map(token({ email: 'eve@gmail.com', email_verified: true }), exchange.directory)
      .catch((caught: unknown) => caught);
    expect(OcxError.is(error) && error.message).toMatch(/No rule maps this identity/);
    const defaulting = createClaimMapper({ rules: [{ kind: 'email-domain' }], unmapped: { organization: 'guests' } });
    await expect(
      defaulting.map(token({ email: 'eve@gmail.com', email_verified: true }), exchange.directory),
    ).resolves.toMatchObject({ organization: { id: 'guests' }, rule: 'default' });
    const missing = createClaimMapper({ rules: [{ kind: 'email-domain' }], unmapped: { organization: 'nowhere' } });
    await expect(missing.map(token({}), exchange.directory)).rejects.toMatchObject({
      code: 'state',
      issues: [{ path: 'unmapped.organization' }],
    });
  });

  it('refuses bad rules naming the field', () => {
    const paths = (options: unknown) => {
      try {
        createClaimMapper(options as never);
        return [];
      } catch (error) {
        return (error as OcxError).issues.map((issue) => issue.path);
      }
    };
    expect(paths({ rules: [] })).toEqual(['rules']);
    expect(paths({ rules: [{ kind: 'astrology' }] })).toEqual(['rules.0.kind']);
    expect(paths({ rules: [{ kind: 'claim', claim: 'x', pattern: '(' }] })).toEqual(['rules.0.pattern']);
    expect(paths({ rules: [{ kind: 'email-domain' }], roles: [{ claim: 'x', role: 'r' }] })).toEqual([
      'roles.0.equals',
    ]);
    expect(paths({ rules: [{ kind: 'issuer', issuer: 'https://x', organization: 'has space' }] })).toEqual([
      'rules.0.organization',
    ]);
  });
});

describe('claimValues', () => {
  it('reads arrays as they are and splits strings the way providers join them', () => {
    expect(claimValues(['a', 2, 'b'])).toEqual(['a', 'b']);
    expect(claimValues('member@bu.edu;staff@bu.edu')).toEqual(['member@bu.edu', 'staff@bu.edu']);
    expect(claimValues(undefined)).toEqual([]);
  });
});
