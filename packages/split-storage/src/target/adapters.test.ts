import type { CallOptions } from '@ocx/core';
import type { SwiftClient } from '@ocx/driver-openstack';
import { describe, expect, it } from 'vitest';
import { createSplitStore } from '../store/create-split-store.js';
import { collect, expectOcx, rejectionOf, SMALL, secretText } from '../test-support/fixtures.js';
import { bodyOf, missingKey } from './body.js';
import { type S3ObjectClient, s3Target } from './s3-target.js';
import { type SwiftObjectClient, swiftTarget } from './swift-target.js';

// The Swift calls the adapter shares with @ocx/driver-openstack's SwiftClient keep its signatures.
const swiftClientFits: Pick<SwiftObjectClient, 'putObject' | 'listObjects' | 'deleteObject'> =
  null as unknown as SwiftClient;
void swiftClientFits;

/** A fake Swift account: containers of whole-buffer objects, as the OCX client sends them. */
function fakeSwift() {
  const objects = new Map<string, Buffer>();
  const bodies: string[] = [];
  const client: SwiftObjectClient = {
    async putObject(container, name, data, projectId) {
      bodies.push(Buffer.isBuffer(data) ? 'Buffer' : typeof data);
      objects.set(`${projectId}/${container}/${name}`, Buffer.from(data));
    },
    async getObject(container, name, projectId) {
      const found = objects.get(`${projectId}/${container}/${name}`);
      if (found === undefined) throw missingKey(name, 'swift', 'get_object');
      return found;
    },
    async *listObjects(container, projectId, filter) {
      const base = `${projectId}/${container}/`;
      for (const [key, bytes] of objects) {
        const name = key.slice(base.length);
        if (key.startsWith(base) && name.startsWith(filter?.prefix ?? '')) yield { name, bytes: bytes.length };
      }
    },
    async deleteObject(container, name, projectId) {
      if (!objects.delete(`${projectId}/${container}/${name}`)) throw missingKey(name, 'swift', 'delete_object');
    },
  };
  return { client, objects, bodies };
}

/** A fake S3 bucket whose getObject streams, as a fuller S3 client would. */
function fakeS3() {
  const objects = new Map<string, Buffer>();
  const client: S3ObjectClient = {
    async putObject(bucket, key, body, _options?: CallOptions) {
      objects.set(`${bucket}/${key}`, Buffer.from(body));
      return { etag: undefined };
    },
    async getObject(bucket, key) {
      const found = objects.get(`${bucket}/${key}`);
      if (found === undefined) throw missingKey(key, 's3', 's3_get_object');
      return bodyOf(found.subarray(0, 7), found.subarray(7));
    },
    async deleteObject(bucket, key) {
      objects.delete(`${bucket}/${key}`);
    },
    async *listObjects(bucket, filter) {
      for (const [key, bytes] of objects) {
        if (key.startsWith(`${bucket}/${filter.prefix}`))
          yield { key: key.slice(bucket.length + 1), size: bytes.length };
      }
    },
  };
  return { client, objects };
}

describe('swiftTarget and s3Target', () => {
  it('carry an object split between a Swift landlord and an S3 landlord', async () => {
    const swift = fakeSwift();
    const s3 = fakeS3();
    const store = createSplitStore({
      targets: [
        swiftTarget({
          landlord: 'bu',
          organization: 'Boston University',
          client: swift.client,
          container: 'shares',
          project: 'p1',
        }),
        s3Target({ landlord: 'harvard', organization: 'Harvard University', client: s3.client, bucket: 'shares' }),
      ],
      threshold: 2,
      ...SMALL,
    });
    const plaintext = secretText(9_000);
    await store.put('reads/sample-1', plaintext);
    expect(swift.bodies.every((kind) => kind === 'Buffer')).toBe(true);
    expect([...swift.objects.keys()].every((key) => key.startsWith('p1/shares/ocx-split/reads%2Fsample-1/'))).toBe(
      true,
    );
    expect(s3.objects.size).toBe(swift.objects.size);
    expect((await collect((await store.get('reads/sample-1')).body)).equals(plaintext)).toBe(true);
    expect((await store.delete('reads/sample-1')).complete).toBe(true);
    expect(swift.objects.size + s3.objects.size).toBe(0);
  });

  it('a deleted-twice object is fine on Swift (not-found on delete is success)', async () => {
    const swift = fakeSwift();
    const target = swiftTarget({ landlord: 'bu', client: swift.client, container: 'c' });
    await target.put('k', bodyOf(Buffer.from('x')));
    await target.delete('k');
    await target.delete('k');
    expectOcx(await rejectionOf(target.get('k')), 'not-found');
  });

  it('refuse to buffer more than maxPutBytes', async () => {
    const target = s3Target({ landlord: 'bu', client: fakeS3().client, bucket: 'b', maxPutBytes: 4 });
    const error = expectOcx(await rejectionOf(target.put('k', bodyOf(Buffer.from('12345')))), 'validation');
    expect(error.message).toContain('exceeds 4 bytes');
  });

  it('validate their options, naming the field', () => {
    const refused = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return expectOcx(error, 'validation');
      }
      return expect.fail('expected a validation error');
    };
    expect(
      refused(() => swiftTarget({ landlord: 'bu', client: fakeSwift().client, container: '' })).issues[0]?.path,
    ).toBe('container');
    expect(refused(() => s3Target({ landlord: 'b u', client: fakeS3().client, bucket: 'b' })).issues[0]?.path).toBe(
      'landlord',
    );
    expect(refused(() => s3Target({ landlord: 'bu', client: fakeS3().client, bucket: '' })).issues[0]?.path).toBe(
      'bucket',
    );
  });
});
