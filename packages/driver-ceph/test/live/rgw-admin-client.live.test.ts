import { inspect } from 'node:util';
import { OcxError, Secret } from '@ocx/core';
import { uniqueName } from '@ocx/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRgwAdminClient, type RgwAdminClient } from '../../src/rgw/rgw-admin-client.js';
import { describeLive } from './ceph-env.js';

describeLive('RGW Admin Ops client against the live RGW', (env) => {
  let rgw: RgwAdminClient;
  const uid = uniqueName('ocx-live-client');
  beforeAll(() => {
    rgw = createRgwAdminClient({
      endpoint: env.rgwUrl,
      accessKey: env.accessKey,
      secretKey: Secret.from(env.secretKey),
      region: env.rgwRegion,
    });
  });
  afterAll(async () => {
    await rgw.removeUser(uid, { purgeData: true }).catch(() => undefined);
    await rgw.close();
  });

  it('creates, reads, lists and removes a user', async () => {
    const created = await rgw.createUser({ uid, displayName: 'Live client test' });
    expect(created.uid).toBe(uid);
    expect(created.keys).toHaveLength(1);
    expect(String(created.keys[0]!.secretKey)).toBe('[REDACTED]');
    const error = await rgw.createUser({ uid, displayName: 'again' }).catch((caught: unknown) => caught);
    expect(OcxError.is(error) && error.code).toBe('conflict');
    expect((error as OcxError).backendErrorType).toBe('UserAlreadyExists');
    const read = await rgw.getUser(uid, { stats: true, sync: true });
    expect(read.stats?.objects).toBe('0');
    const uids: string[] = [];
    for await (const listed of rgw.listUsers({ pageSize: 2 })) uids.push(listed);
    expect(uids).toContain(uid);
    expect(uids).toContain(env.adminUid);
  });

  it('adds and removes caps with wildcard values', async () => {
    const caps = await rgw.addCaps(uid, 'usage=*;buckets=read');
    expect(caps).toEqual(
      expect.arrayContaining([
        { type: 'usage', perm: '*' },
        { type: 'buckets', perm: 'read' },
      ]),
    );
    const after = await rgw.removeCaps(uid, 'usage=*');
    expect(after).toEqual([{ type: 'buckets', perm: 'read' }]);
  });

  it('sets and reads quotas', async () => {
    await rgw.setQuota(uid, 'user', { enabled: true, maxSizeBytes: '1048576', maxObjects: null });
    await rgw.setQuota(uid, 'bucket', { enabled: true, maxSizeBytes: null, maxObjects: '5' });
    const quotas = await rgw.getQuotas(uid);
    expect(quotas.user).toMatchObject({ enabled: true, maxSizeBytes: '1048576', maxObjects: null });
    expect(quotas.bucket).toMatchObject({ enabled: true, maxSizeBytes: null, maxObjects: '5' });
    expect(await rgw.getQuota(uid, 'bucket')).toEqual(quotas.bucket);
  });

  it('creates and removes keys, and manages subusers', async () => {
    const keys = await rgw.createKey(uid);
    expect(keys).toHaveLength(2);
    await rgw.removeKey(uid, keys[1]!.accessKey);
    await rgw.createSubuser(uid, 'alice', 'readwrite');
    const user = await rgw.getUser(uid);
    // Pacific gives every new subuser a key of its own, whatever generate-secret says.
    expect(user.keys.map((key) => key.user).sort()).toEqual([uid, `${uid}:alice`]);
    expect(user.subusers).toEqual([{ id: `${uid}:alice`, permissions: 'read-write' }]);
    await rgw.modifySubuser(uid, 'alice', 'read');
    expect((await rgw.getUser(uid)).subusers).toEqual([{ id: `${uid}:alice`, permissions: 'read' }]);
    await rgw.removeSubuser(uid, 'alice');
    expect((await rgw.getUser(uid)).subusers).toEqual([]);
  });

  it('refuses a wrong secret with a message that says the signature did not match, without the key', async () => {
    const wrongSecret = `wrong-${env.secretKey.slice(0, 8)}-secret-value`;
    const wrong = createRgwAdminClient({
      endpoint: env.rgwUrl,
      accessKey: env.accessKey,
      secretKey: wrongSecret,
      region: env.rgwRegion,
    });
    const error = (await wrong.getUser(uid).catch((caught: unknown) => caught)) as OcxError;
    await wrong.close();
    expect(error).toMatchObject({ code: 'auth', backendErrorType: 'SignatureDoesNotMatch', status: 403 });
    expect(error.message).toMatch(/signature did not match.*secret key is wrong.*clock/);
    const text = `${error.message} ${error.backendMessage} ${JSON.stringify(error)} ${inspect(error)}`;
    expect(text).not.toContain(wrongSecret);
    expect(text).not.toContain(env.secretKey);
    expect(text).not.toContain(env.accessKey);
  });

  it('maps NoSuchUser to not-found', async () => {
    const error = await rgw.getUser(`${uid}-missing`).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'not-found', backendErrorType: 'NoSuchUser', status: 404 });
  });
});
