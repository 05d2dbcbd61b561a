import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maxPartBytes } from '../format/object-geometry.js';
import { fileTarget } from '../target/file-target.js';
import type { ObjectBody, ObjectStoreTarget } from '../target/object-store-target.js';
import { generatedBody } from '../test-support/fixtures.js';
import { createSplitStore } from './create-split-store.js';
import { DEFAULT_SEGMENT_SIZE, DEFAULT_SEGMENTS_PER_PART } from './split-store-options.js';

const MiB = 1 << 20;
const SIZE = 256 * MiB;

/** Memory that holds bytes: the JS heap and ArrayBuffers (where every Buffer lives). */
const held = (): number => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

/**
 * Wraps a target and counts the bytes handed to `put` whose call has not yet returned: what the
 * store keeps in flight towards that landlord.
 */
function counting(inner: ObjectStoreTarget) {
  let inFlight = 0;
  let peak = 0;
  const target: ObjectStoreTarget = {
    ...inner,
    async put(key, body, options) {
      const size = options?.size ?? 0;
      inFlight += size;
      peak = Math.max(peak, inFlight);
      try {
        await inner.put(key, body, options);
      } finally {
        inFlight -= size;
      }
    },
    get: (key, options) => inner.get(key, options),
    delete: (key, options) => inner.delete(key, options),
    list: (prefix, options) => inner.list(prefix, options),
  };
  return { target, peak: () => peak };
}

describe('streaming: memory stays bounded whatever the object size', () => {
  it(`puts and gets ${SIZE / MiB} MiB generated lazily, holding a few parts at a time`, async () => {
    const targets = await Promise.all(
      ['bu', 'harvard'].map(async (landlord) => {
        const directory = await mkdtemp(join(tmpdir(), `ocx-split-${landlord}-`));
        directories.push(directory);
        return counting(fileTarget({ directory, landlord }));
      }),
    );
    const store = createSplitStore({ targets: targets.map(({ target }) => target), threshold: 2 });
    const baseline = held();
    let peak = 0;
    const sample = () => {
      peak = Math.max(peak, held() - baseline);
    };
    const expected = createHash('sha256');
    async function* source(): ObjectBody {
      for await (const chunk of generatedBody(SIZE, 'memory', MiB)) {
        expected.update(chunk);
        sample();
        yield chunk;
      }
    }
    await store.put('large', source());
    const actual = createHash('sha256');
    let size = 0;
    for await (const segment of (await store.get('large')).body) {
      actual.update(segment);
      size += segment.byteLength;
      sample();
    }
    expect(size).toBe(SIZE);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
    // Per share: at most `partConcurrency` (2) parts of 16 segments in flight.
    const part = maxPartBytes(DEFAULT_SEGMENT_SIZE, DEFAULT_SEGMENTS_PER_PART);
    for (const { peak: inFlight } of targets) expect(inFlight()).toBeLessThanOrEqual(2 * part);
    // The whole process, garbage not yet collected included, stays far below the object's size.
    expect(peak).toBeLessThan(SIZE / 2);
  }, 60_000);
});
