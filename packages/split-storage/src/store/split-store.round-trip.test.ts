import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collect, generatedBody, generatedBytes, landlords, SMALL } from '../test-support/fixtures.js';
import { createSplitStore } from './create-split-store.js';

const SEGMENT = SMALL.segmentSize;
const PART = SMALL.segmentSize * SMALL.segmentsPerPart;
const SIZES = [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, PART, PART + 1, 2 * PART - 1, 5 * PART + 17];

const placements = [
  { name: 'xor 2-of-2', targets: 2, threshold: 2, layout: 'xor' },
  { name: 'xor 3-of-3', targets: 3, threshold: 3, layout: 'xor' },
  { name: 'replicated 2-of-3', targets: 3, threshold: 2, layout: 'replicated' },
  { name: 'replicated 3-of-5', targets: 5, threshold: 3, layout: 'replicated' },
] as const;

describe.each(placements)('round trip, $name', ({ targets: count, threshold, layout }) => {
  it.each(SIZES)('returns %i bytes exactly as they were put', async (size) => {
    const store = createSplitStore({ targets: landlords(count), threshold, ...SMALL });
    expect(store.layout).toBe(layout);
    const plaintext = await generatedBytes(size, `rt-${size}`);
    const info = await store.put(`object-${size}`, generatedBody(size, `rt-${size}`, 777));
    expect(info).toMatchObject({
      objectId: `object-${size}`,
      size,
      layout,
      threshold,
      shares: count,
      available: count,
    });
    const { info: read, body } = await store.get(`object-${size}`);
    expect(read.uploadId).toBe(info.uploadId);
    const back = await collect(body);
    expect(back.length).toBe(size);
    expect(back.equals(plaintext)).toBe(true);
  });
});

describe('round trip inputs', () => {
  it('takes a Uint8Array, a Node Readable and a generator, and ids with any printable character', async () => {
    const store = createSplitStore({ targets: landlords(2), threshold: 2, ...SMALL });
    const bytes = await generatedBytes(5000, 'inputs');
    await store.put('plain bytes', new Uint8Array(bytes));
    await store.put('genomes/α/sample 1.bam', Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]));
    await store.put('100%?#&', generatedBody(5000, 'inputs', 3));
    for (const id of ['plain bytes', 'genomes/α/sample 1.bam', '100%?#&']) {
      expect((await collect((await store.get(id)).body)).equals(bytes)).toBe(true);
    }
  });

  it('uses the default 256 KiB segments for a multi-segment object, yielded in chunks of 64 KiB', async () => {
    const targets = landlords(2);
    const store = createSplitStore({ targets, threshold: 2 });
    const size = 3 * 256 * 1024 + 5;
    await store.put('big', generatedBody(size, 'big', 100_000));
    const part = [...targets[0]!.objects].find(([key]) => key.endsWith('part-00000000'))![1];
    expect(part.byteLength).toBe(size + 4 * 16);
    const chunks: number[] = [];
    for await (const chunk of (await store.get('big')).body) chunks.push(chunk.byteLength);
    expect(chunks).toEqual([...Array(12).fill(65536), 5]);
  });

  it('mixes whole-segment views and copies when chunks straddle segments', async () => {
    const store = createSplitStore({ targets: landlords(2), threshold: 2, ...SMALL });
    const size = 37 * SEGMENT + 300;
    await store.put('straddled', generatedBody(size, 'straddled', Math.floor(2.5 * SEGMENT)));
    expect((await collect((await store.get('straddled')).body)).equals(await generatedBytes(size, 'straddled'))).toBe(
      true,
    );
  });

  it('keeps metadata and reports it in head and list', async () => {
    const store = createSplitStore({ targets: landlords(3), threshold: 2, ...SMALL });
    await store.put('labelled', new Uint8Array(10), { metadata: { 'content-type': 'application/x-bam' } });
    expect((await store.head('labelled')).metadata).toEqual({ 'content-type': 'application/x-bam' });
  });

  it('refuses to overwrite an object (conflict) and keeps the first one', async () => {
    const store = createSplitStore({ targets: landlords(2), threshold: 2, ...SMALL });
    await store.put('once', Buffer.from('first'));
    await expect(store.put('once', Buffer.from('second'))).rejects.toMatchObject({ code: 'conflict' });
    expect((await collect((await store.get('once')).body)).toString()).toBe('first');
  });

  it('answers not-found for an object that was never stored', async () => {
    const store = createSplitStore({ targets: landlords(2), threshold: 2, ...SMALL });
    await expect(store.get('nothing')).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.head('nothing')).rejects.toMatchObject({ code: 'not-found' });
  });
});
