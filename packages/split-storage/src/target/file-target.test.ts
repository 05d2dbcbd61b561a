import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSplitStore } from '../store/create-split-store.js';
import { collect, expectOcx, rejectionOf, SMALL, secretText } from '../test-support/fixtures.js';
import { bodyOf } from './body.js';
import { fileTarget } from './file-target.js';

const made: string[] = [];
const directory = async () => {
  const path = await mkdtemp(join(tmpdir(), 'ocx-file-target-'));
  made.push(path);
  return path;
};
afterEach(async () => {
  await Promise.all(made.splice(0).map((path) => rm(path, { recursive: true, force: true })));
});

describe('fileTarget', () => {
  it('stores, lists, reads and deletes keys as files', async () => {
    const target = fileTarget({ directory: await directory(), landlord: 'bu' });
    await target.put('a/b/c', bodyOf(Buffer.from('hello'), Buffer.from(' world')));
    await target.put('a/d', bodyOf());
    const listed = [];
    for await (const entry of target.list('a/')) listed.push(entry);
    expect(listed.sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: 'a/b/c', size: 11 },
      { key: 'a/d', size: 0 },
    ]);
    expect((await collect(await target.get('a/b/c'))).toString()).toBe('hello world');
    expect(await target.head?.('a/b/c')).toEqual({ size: 11 });
    await target.delete('a/b/c');
    await target.delete('a/b/c');
    expectOcx(await rejectionOf(target.get('a/b/c')), 'not-found');
    expect(await target.head?.('a/b/c')).toBeUndefined();
  });

  it('refuses keys that would leave its directory', async () => {
    const target = fileTarget({ directory: await directory(), landlord: 'bu' });
    for (const key of ['../escape', 'a//b', '.ocx-staging/x', './a']) {
      expectOcx(await rejectionOf(target.put(key, bodyOf(Buffer.from('x')))), 'validation');
    }
  });

  it('a put whose body fails leaves no file, not even in staging', async () => {
    const root = await directory();
    const target = fileTarget({ directory: root, landlord: 'bu' });
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('source broke');
    }
    await expect(target.put('k', failing())).rejects.toThrow('source broke');
    expect(await readdir(join(root, '.ocx-staging'))).toEqual([]);
    expect(await target.head?.('k')).toBeUndefined();
  });

  it('streams bodies of unknown or large size, and reads large files as a stream', async () => {
    const target = fileTarget({ directory: await directory(), landlord: 'bu' });
    const chunk = Buffer.alloc(1 << 20, 7);
    async function* large() {
      for (let index = 0; index < 17; index += 1) yield chunk;
    }
    await target.put('large', large());
    await target.put('sized', bodyOf(chunk, chunk), { size: 2 << 20 });
    const pieces: number[] = [];
    for await (const piece of await target.get('large')) pieces.push(piece.byteLength);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(17 << 20);
    expect((await collect(await target.get('sized'))).equals(Buffer.concat([chunk, chunk]))).toBe(true);
  });

  it('serves a split store', async () => {
    const store = createSplitStore({
      targets: [
        fileTarget({ directory: await directory(), landlord: 'bu' }),
        fileTarget({ directory: await directory(), landlord: 'harvard' }),
      ],
      threshold: 2,
      ...SMALL,
    });
    const plaintext = secretText(50_000);
    await store.put('x', plaintext);
    expect((await collect((await store.get('x')).body)).equals(plaintext)).toBe(true);
  });
});
