import type { OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import type { MemoryTarget } from '../target/memory-target.js';
import {
  collect,
  collectUntilError,
  expectOcx,
  keysEnding,
  landlords,
  overwrite,
  rejectionOf,
  remove,
  SMALL,
  secretText,
} from '../test-support/fixtures.js';
import { createSplitStore } from './create-split-store.js';

const RECORD = SMALL.segmentSize + 16;
const SIZE = 10 * SMALL.segmentSize; // 10 segments, parts of 4, 4, 2
const plaintext = secretText(SIZE);

async function stored(count: number, threshold: number) {
  const targets = landlords(count);
  const store = createSplitStore({ targets, threshold, ...SMALL });
  await store.put('object', plaintext);
  return { targets, store };
}

const part = (target: MemoryTarget, index: number): string =>
  keysEnding(target, `part-${String(index).padStart(8, '0')}`)[0]!;

function flipBit(target: MemoryTarget, key: string, offset: number): void {
  const bytes = Buffer.from(target.objects.get(key)!);
  bytes[offset] = (bytes[offset] as number) ^ 0x01;
  overwrite(target, key, bytes);
}

function editRecords(target: MemoryTarget, key: string, edit: (records: Buffer[]) => Buffer[]): void {
  const bytes = Buffer.from(target.objects.get(key)!);
  const records: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += RECORD) records.push(bytes.subarray(at, at + RECORD));
  overwrite(target, key, Buffer.concat(edit(records)));
}

function expectIntegrity(error: unknown, mentions: string): OcxError {
  const ocx = expectOcx(error, 'protocol');
  expect(ocx.backendErrorType).toBe('integrity');
  expect(ocx.message).toContain(mentions);
  return ocx;
}

describe('a tampered xor share is detected, and nothing unauthenticated is returned', () => {
  it('a flipped bit in segment 2 of one share: segments 0–1 come out, then an integrity error', async () => {
    const { targets, store } = await stored(2, 2);
    flipBit(targets[1]!, part(targets[1]!, 0), 2 * RECORD + 5);
    const { bytes, error } = await collectUntilError((await store.get('object')).body);
    expect(bytes.equals(plaintext.subarray(0, 2 * SMALL.segmentSize))).toBe(true);
    const ocx = expectIntegrity(error, 'segment 2');
    expect(ocx.message).toContain('bu/object-store');
    expect(ocx.message).toContain('harvard/object-store');
  });

  it('a flipped bit in a tag fails at that segment', async () => {
    const { targets, store } = await stored(2, 2);
    flipBit(targets[0]!, part(targets[0]!, 0), RECORD - 1);
    const { bytes, error } = await collectUntilError((await store.get('object')).body);
    expect(bytes.length).toBe(0);
    expectIntegrity(error, 'segment 0');
  });

  it('a truncated share (last record cut) fails at the cut', async () => {
    const { targets, store } = await stored(2, 2);
    for (const target of targets) editRecords(target, part(target, 2), (records) => records.slice(0, 1));
    const { bytes, error } = await collectUntilError((await store.get('object')).body);
    expect(bytes.equals(plaintext.subarray(0, 9 * SMALL.segmentSize))).toBe(true);
    expectIntegrity(error, 'segment 9');
  });

  it('truncation with every manifest rewritten to the shorter size fails: the new last segment was not sealed final', async () => {
    const { targets, store } = await stored(2, 2);
    for (const target of targets) {
      editRecords(target, part(target, 2), (records) => records.slice(0, 1));
      const key = keysEnding(target, 'manifest.json')[0]!;
      const manifest = JSON.parse(Buffer.from(target.objects.get(key)!).toString());
      overwrite(target, key, Buffer.from(JSON.stringify({ ...manifest, size: 9 * SMALL.segmentSize })));
    }
    const { bytes, error } = await collectUntilError((await store.get('object')).body);
    expect(bytes.equals(plaintext.subarray(0, 8 * SMALL.segmentSize))).toBe(true);
    expectIntegrity(error, 'segment 8');
  });

  it('reordered segments (swapped in both shares) fail at the first moved one', async () => {
    const { targets, store } = await stored(2, 2);
    for (const target of targets) editRecords(target, part(target, 0), ([a, b, ...rest]) => [b!, a!, ...rest]);
    const { bytes, error } = await collectUntilError((await store.get('object')).body);
    expect(bytes.length).toBe(0);
    expectIntegrity(error, 'segment 0');
  });

  it('swapped parts fail at the first segment', async () => {
    const { targets, store } = await stored(2, 2);
    for (const target of targets) {
      const [first, second] = [part(target, 0), part(target, 1)];
      const [a, b] = [target.objects.get(first)!, target.objects.get(second)!];
      overwrite(target, first, b);
      overwrite(target, second, a);
    }
    const { bytes, error } = await collectUntilError((await store.get('object')).body);
    expect(bytes.length).toBe(0);
    expectIntegrity(error, 'segment 0');
  });

  it('data shares of another object of the same size do not open under this one', async () => {
    const { targets, store } = await stored(2, 2);
    await store.put('other', secretText(SIZE).reverse());
    for (const target of targets) {
      const keys = keysEnding(target, 'part-00000000');
      const mine = keys.find((key) => key.includes('/object/'))!;
      const theirs = keys.find((key) => key.includes('/other/'))!;
      overwrite(target, mine, target.objects.get(theirs)!);
    }
    const { bytes, error } = await collectUntilError((await store.get('object')).body);
    expect(bytes.length).toBe(0);
    expectIntegrity(error, 'segment 0');
  });

  it('a tampered key share is refused before any byte is read', async () => {
    const { targets, store } = await stored(2, 2);
    const key = keysEnding(targets[0]!, 'key-share.json')[0]!;
    const file = JSON.parse(Buffer.from(targets[0]!.objects.get(key)!).toString());
    const share = Buffer.from(file.share, 'base64');
    share[0] = (share[0] as number) ^ 0x80;
    overwrite(targets[0]!, key, Buffer.from(JSON.stringify({ ...file, share: share.toString('base64') })));
    expectIntegrity(await rejectionOf(store.get('object')), 'key shares');
  });

  it('a manifest of one xor share that disagrees makes the object unreadable, not wrong', async () => {
    const { targets, store } = await stored(2, 2);
    const key = keysEnding(targets[0]!, 'manifest.json')[0]!;
    const manifest = JSON.parse(Buffer.from(targets[0]!.objects.get(key)!).toString());
    overwrite(targets[0]!, key, Buffer.from(JSON.stringify({ ...manifest, size: 5 })));
    expectOcx(await rejectionOf(store.get('object')), 'not-found');
  });
});

describe('replicated shares: a tampered replica is read past', () => {
  it('a flipped bit in one replica: the object still comes out whole from another', async () => {
    const { targets, store } = await stored(3, 2);
    flipBit(targets[0]!, part(targets[0]!, 1), RECORD + 3);
    remove(targets[1]!, part(targets[1]!, 2));
    expect((await collect((await store.get('object')).body)).equals(plaintext)).toBe(true);
  });

  it('every replica tampered at the same segment: integrity error naming each, after the good segments', async () => {
    const { targets, store } = await stored(3, 2);
    for (const target of targets) flipBit(target, part(target, 1), RECORD + 3);
    const { bytes, error } = await collectUntilError((await store.get('object')).body);
    expect(bytes.equals(plaintext.subarray(0, 5 * SMALL.segmentSize))).toBe(true);
    const ocx = expectIntegrity(error, 'segment 5');
    for (const target of targets) expect(ocx.message).toContain(target.landlord);
  });

  it('a tampered key share and a tampered manifest on one landlord of three are outvoted', async () => {
    const { targets, store } = await stored(3, 2);
    const shareKey = keysEnding(targets[0]!, 'key-share.json')[0]!;
    const file = JSON.parse(Buffer.from(targets[0]!.objects.get(shareKey)!).toString());
    const share = Buffer.from(file.share, 'base64');
    share[3] = (share[3] as number) ^ 0x10;
    overwrite(targets[0]!, shareKey, Buffer.from(JSON.stringify({ ...file, share: share.toString('base64') })));
    const manifestKey = keysEnding(targets[1]!, 'manifest.json')[0]!;
    const manifest = JSON.parse(Buffer.from(targets[1]!.objects.get(manifestKey)!).toString());
    overwrite(targets[1]!, manifestKey, Buffer.from(JSON.stringify({ ...manifest, noncePrefix: '00'.repeat(7) })));
    expect((await collect((await store.get('object')).body)).equals(plaintext)).toBe(true);
  });
});
