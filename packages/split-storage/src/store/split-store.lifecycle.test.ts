import { describe, expect, it } from 'vitest';
import type { MemoryTarget } from '../target/memory-target.js';
import {
  collect,
  expectOcx,
  faulty,
  landlords,
  rejectionOf,
  remove,
  SMALL,
  secretText,
} from '../test-support/fixtures.js';
import { createSplitStore } from './create-split-store.js';

const plaintext = secretText(11 * SMALL.segmentSize + 100);

function wipe(target: MemoryTarget, match: (key: string) => boolean = () => true): void {
  for (const key of [...target.objects.keys()]) if (match(key)) remove(target, key);
}

const snapshot = (target: MemoryTarget) =>
  new Map([...target.objects].map(([key, bytes]) => [key, Buffer.from(bytes)]));

describe('list', () => {
  it('lists readable objects in id order, by prefix, with their sizes', async () => {
    const store = createSplitStore({ targets: landlords(3), threshold: 2, ...SMALL });
    for (const id of ['runs/b', 'runs/a', 'genomes/x', 'runs/a/b']) await store.put(id, secretText(id.length * 10));
    const all: Array<[string, number]> = [];
    for await (const info of store.list()) all.push([info.objectId, info.size]);
    expect(all).toEqual([
      ['genomes/x', 90],
      ['runs/a', 60],
      ['runs/a/b', 80],
      ['runs/b', 60],
    ]);
    const runs: string[] = [];
    for await (const info of store.list({ prefix: 'runs/a' })) runs.push(info.objectId);
    expect(runs).toEqual(['runs/a', 'runs/a/b']);
  });

  it('still lists replicated objects while one landlord cannot be listed', async () => {
    const targets = landlords(3);
    await createSplitStore({ targets, threshold: 2, ...SMALL }).put('a', plaintext);
    const degraded = createSplitStore({
      targets: [targets[0]!, targets[1]!, faulty(targets[2]!, { failList: true })],
      threshold: 2,
      ...SMALL,
    });
    const ids: string[] = [];
    for await (const info of degraded.list()) ids.push(info.objectId);
    expect(ids).toEqual(['a']);
  });
});

describe('delete', () => {
  it('removes every share from every target', async () => {
    const targets = landlords(3);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    await store.put('a', plaintext);
    await store.put('b', plaintext);
    const report = await store.delete('a');
    expect(report).toMatchObject({ objectId: 'a', complete: true, failed: [] });
    expect(report.deleted).toBe(3 * (3 + 2)); // per target: 3 parts, key share, manifest
    for (const target of targets) expect([...target.objects.keys()].some((key) => key.includes('/a/'))).toBe(false);
    expectOcx(await rejectionOf(store.get('a')), 'not-found');
    expect((await collect((await store.get('b')).body)).equals(plaintext)).toBe(true);
    expect(await store.delete('a')).toMatchObject({ deleted: 0, complete: true });
  });

  it('reports what one landlord would not delete, and a later delete finishes', async () => {
    const targets = landlords(2);
    await createSplitStore({ targets, threshold: 2, ...SMALL }).put('a', plaintext);
    const failing = createSplitStore({
      targets: [targets[0]!, faulty(targets[1]!, { failDelete: (key) => key.endsWith('part-00000001') })],
      threshold: 2,
      ...SMALL,
    });
    const report = await failing.delete('a');
    expect(report.complete).toBe(false);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ landlord: 'harvard', service: 'object-store' });
    expect(report.failed[0]!.key).toMatch(/part-00000001$/);
    expect(report.failed[0]!.error.code).toBe('network');
    expectOcx(await rejectionOf(failing.get('a')), 'not-found');
    const again = await createSplitStore({ targets, threshold: 2, ...SMALL }).delete('a');
    expect(again).toMatchObject({ deleted: 1, complete: true });
    for (const target of targets) expect(target.objects.size).toBe(0);
  });
});

describe('repair', () => {
  it('replicated 2-of-3: rebuilds a lost landlord’s whole share, byte for byte', async () => {
    const targets = landlords(3);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    await store.put('a', plaintext);
    const before = snapshot(targets[2]!);
    wipe(targets[2]!);
    expect((await collect((await store.get('a')).body)).equals(plaintext)).toBe(true);

    const report = await store.repair('a');
    expect(report.complete).toBe(true);
    expect(report.healthy.map((ref) => ref.landlord)).toEqual(['bu', 'harvard']);
    expect(report.repaired).toEqual([
      { landlord: 'mit', service: 'object-store', items: ['data', 'key-share', 'manifest'] },
    ]);
    expect(snapshot(targets[2]!)).toEqual(before);

    // With the repaired share, the object survives the loss of another landlord.
    wipe(targets[0]!);
    expect((await collect((await store.get('a')).body)).equals(plaintext)).toBe(true);
  });

  it('rebuilds only a lost key share at its own x-coordinate; the other shares are untouched', async () => {
    const targets = landlords(3);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    await store.put('a', plaintext);
    const before = targets.map(snapshot);
    wipe(targets[0]!, (key) => key.endsWith('key-share.json'));
    const report = await store.repair('a');
    expect(report.repaired).toEqual([{ landlord: 'bu', service: 'object-store', items: ['key-share'] }]);
    expect(targets.map(snapshot)).toEqual(before);
  });

  it('replicated: a part missing on one replica is copied back from another', async () => {
    const targets = landlords(3);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    await store.put('a', plaintext);
    const before = snapshot(targets[1]!);
    wipe(targets[1]!, (key) => key.endsWith('part-00000001'));
    expect((await store.repair('a')).repaired).toEqual([
      { landlord: 'harvard', service: 'object-store', items: ['data'] },
    ]);
    expect(snapshot(targets[1]!)).toEqual(before);
  });

  it('xor: a lost manifest is rebuilt, a lost data share is reported unrecoverable', async () => {
    const targets = landlords(2);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    await store.put('a', plaintext);
    wipe(targets[1]!, (key) => key.endsWith('manifest.json'));
    expectOcx(await rejectionOf(store.get('a')), 'not-found');
    expect((await store.repair('a')).repaired).toEqual([
      { landlord: 'harvard', service: 'object-store', items: ['manifest'] },
    ]);
    expect((await collect((await store.get('a')).body)).equals(plaintext)).toBe(true);

    wipe(targets[1]!, (key) => key.endsWith('part-00000000'));
    const report = await store.repair('a');
    expect(report.complete).toBe(false);
    expect(report.unrecoverable).toEqual([
      { landlord: 'harvard', service: 'object-store', items: ['data'], reason: expect.stringContaining('xor') },
    ]);
  });

  it('a share that cannot be rebuilt for lack of key shares is reported, not guessed', async () => {
    const targets = landlords(3);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    await store.put('a', plaintext);
    wipe(targets[0]!);
    wipe(targets[1]!, (key) => key.endsWith('key-share.json'));
    const report = await store.repair('a');
    expect(report.complete).toBe(false);
    expect(report.unrecoverable.map((entry) => entry.landlord).sort()).toEqual(['bu', 'harvard']);
  });

  it('an object with no manifest anywhere is not found', async () => {
    const store = createSplitStore({ targets: landlords(2), threshold: 2, ...SMALL });
    expectOcx(await rejectionOf(store.repair('nothing')), 'not-found');
  });
});
