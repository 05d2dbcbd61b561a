import { inspect } from 'node:util';
import { OcxError } from '@ocx/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CephDriver } from './driver.js';
import { FAKE_ADMIN_ACCESS, FAKE_ADMIN_SECRET, fakeDriver } from './test-support/fake-driver.js';
import { createFakeRgw, type FakeRgw } from './test-support/fake-rgw.js';

let rgw: FakeRgw;
let driver: CephDriver;
beforeEach(async () => {
  rgw = await createFakeRgw();
  driver = fakeDriver(rgw);
});
afterEach(async () => {
  await driver.dispose();
  await rgw.close();
});

const failure = (promise: Promise<unknown>): Promise<OcxError> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => {
      expect(OcxError.is(error)).toBe(true);
      return error as OcxError;
    },
  );

describe('Ceph tenancy', () => {
  it('makes one RGW user per project, uid ocx-<project>, carrying its name and organization', async () => {
    const state = await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics Lab', organization: 'bu' });
    expect(state).toEqual({ id: 'genomics', externalId: 'ocx-genomics', enabled: true, members: [] });
    expect(rgw.users.get('ocx-genomics')?.display_name).toBe('Genomics Lab (org bu)');
    expect(rgw.users.get('ocx-genomics')?.keys).toHaveLength(1);
  });

  it('refuses ids RGW would misread (":" makes a subuser) before sending anything', async () => {
    const error = await failure(driver.tenancy.ensureProject({ id: 'a:b', name: 'A', organization: 'bu' }));
    expect(error).toMatchObject({ code: 'validation', issues: [{ path: 'id' }] });
    const member = await failure(driver.tenancy.ensureMember({ project: 'genomics', user: 'alice:x', role: 'member' }));
    expect(member.issues.map((issue) => issue.path)).toEqual(['user']);
    const role = await failure(driver.tenancy.ensureMember({ project: 'genomics', user: 'alice', role: 'owner' }));
    expect(role.issues.map((issue) => issue.path)).toEqual(['role']);
    expect(rgw.server.requests).toHaveLength(0);
  });

  it('a create applied by RGW whose answer was lost is retried into one user with one key', async () => {
    rgw.loseNextResponse('PUT');
    const state = await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    expect(state.externalId).toBe('ocx-genomics');
    expect(rgw.users.size).toBe(1);
    expect(rgw.users.get('ocx-genomics')?.keys).toHaveLength(1);
    // The resend met UserAlreadyExists, and the driver read the user instead.
    expect(rgw.server.requests.map((request) => request.method)).toEqual(['GET', 'PUT', 'PUT', 'GET']);
  });

  it('rides out a 503 on reads', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    rgw.server.inject({ kind: 'status', status: 503, body: 'slow down' }, { method: 'GET' });
    expect((await driver.tenancy.getProject('genomics'))?.enabled).toBe(true);
  });

  it('members are keyless subusers: the key Pacific gives a new subuser is removed', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    await driver.tenancy.ensureMember({ project: 'genomics', user: 'alice@bu.edu', role: 'member' });
    await driver.tenancy.ensureMember({ project: 'genomics', user: 'bob', role: 'reader' });
    const user = rgw.users.get('ocx-genomics')!;
    expect(user.subusers).toEqual([
      { id: 'ocx-genomics:alice@bu.edu', permissions: 'read-write' },
      { id: 'ocx-genomics:bob', permissions: 'read' },
    ]);
    expect(user.keys.map((key) => key.user)).toEqual(['ocx-genomics']);
    expect((await driver.tenancy.getProject('genomics'))?.members).toEqual([
      { user: 'alice@bu.edu', role: 'member' },
      { user: 'bob', role: 'reader' },
    ]);
    await driver.tenancy.ensureMember({ project: 'genomics', user: 'bob', role: 'member' });
    expect(user.subusers[1]).toEqual({ id: 'ocx-genomics:bob', permissions: 'read-write' });
  });

  it('ensureMember of an unknown project is not-found and creates nothing', async () => {
    const error = await failure(driver.tenancy.ensureMember({ project: 'nobody', user: 'alice', role: 'member' }));
    expect(error.code).toBe('not-found');
    expect(rgw.users.size).toBe(0);
  });

  it('disable suspends the user; disabling an unknown project is not-found', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    await driver.tenancy.disableProject('genomics');
    expect(rgw.users.get('ocx-genomics')?.suspended).toBe(1);
    expect((await failure(driver.tenancy.disableProject('nobody'))).code).toBe('not-found');
  });

  it('releaseResources rides out a lost answer, and again releases nothing', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    const accessKey = rgw.users.get('ocx-genomics')!.keys[0]!.access_key;
    rgw.buckets.set('reads', { owner: 'ocx-genomics' });
    rgw.buckets.set('other', { owner: 'someone-else' });
    // The key removal is applied but its answer lost: the resend finds the key gone (InvalidAccessKeyId), which counts as released.
    rgw.loseNextResponse('DELETE', 'key');
    const released = await driver.tenancy.releaseResources('genomics');
    expect(released.map((resource) => resource.type)).toEqual(['bucket', 's3-key']);
    expect(rgw.server.requests.filter((request) => request.method === 'DELETE' && 'key' in request.query)).toHaveLength(
      2,
    );
    expect([...rgw.buckets.keys()]).toEqual(['other']);
    expect(rgw.users.get('ocx-genomics')?.keys).toEqual([]);
    expect(JSON.stringify(released)).not.toContain(accessKey);
    expect(await driver.tenancy.releaseResources('genomics')).toEqual([]);
  });

  it('releaseResources reports what it released', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    const accessKey = rgw.users.get('ocx-genomics')!.keys[0]!.access_key;
    rgw.buckets.set('reads', { owner: 'ocx-genomics' });
    const released = await driver.tenancy.releaseResources('genomics');
    expect(released).toEqual([
      { type: 'bucket', id: 'reads' },
      { type: 's3-key', id: expect.stringMatching(/^sha256:[0-9a-f]{16}$/), name: 'S3 key of ocx-genomics' },
    ]);
    expect(JSON.stringify(released)).not.toContain(accessKey);
    expect(await driver.tenancy.releaseResources('genomics')).toEqual([]);
  });

  it('hands a project its own keys as Secrets, making a new pair after a release', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    const credentials = await driver.ext.projectCredentials('genomics');
    const stored = rgw.users.get('ocx-genomics')!.keys[0]!;
    expect(credentials.accessKey.reveal()).toBe(stored.access_key);
    expect(credentials.secretKey.reveal()).toBe(stored.secret_key);
    expect(inspect(credentials)).not.toContain(stored.secret_key);
    expect(JSON.stringify(credentials)).not.toContain(stored.secret_key);
    await driver.tenancy.releaseResources('genomics');
    const renewed = await driver.ext.projectCredentials('genomics');
    expect(renewed.secretKey.reveal()).not.toBe(stored.secret_key);
    expect((await failure(driver.ext.projectCredentials('nobody'))).code).toBe('not-found');
  });

  it('no admin key, and no project key, appears in any error, inspected driver or log line', async () => {
    const lines: string[] = [];
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    const projectSecret = rgw.users.get('ocx-genomics')!.keys[0]!.secret_key;
    rgw.server.inject({
      kind: 'status',
      status: 403,
      body: { Code: 'SignatureDoesNotMatch', Message: `echo ${FAKE_ADMIN_SECRET} ${projectSecret}` },
    });
    const error = await failure(driver.tenancy.getProject('genomics'));
    lines.push(
      error.message,
      String(error.backendMessage),
      inspect(error, { depth: 8 }),
      JSON.stringify(error),
      inspect(driver, { depth: 4 }),
    );
    for (const line of lines) {
      expect(line).not.toContain(FAKE_ADMIN_SECRET);
      expect(line).not.toContain(projectSecret);
    }
    expect(error.message).not.toContain(FAKE_ADMIN_ACCESS);
  });

  it('deleteProject removes the user and its data; again is fine', async () => {
    await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
    rgw.buckets.set('reads', { owner: 'ocx-genomics' });
    await driver.tenancy.deleteProject('genomics');
    await driver.tenancy.deleteProject('genomics');
    expect(rgw.users.size).toBe(0);
    expect(rgw.buckets.size).toBe(0);
  });
});
