import { describe, expect, it } from 'vitest';
import type { ObjectBody } from '../target/object-store-target.js';
import {
  collect,
  everythingHeldBy,
  expectNoPlaintextIn,
  expectOcx,
  faulty,
  generatedBody,
  landlords,
  rejectionOf,
  SMALL,
  secretText,
} from '../test-support/fixtures.js';
import { createSplitStore } from './create-split-store.js';

const SIZE = 40 * SMALL.segmentSize; // 10 parts per share
const plaintext = secretText(SIZE);

async function listed(store: ReturnType<typeof createSplitStore>): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of store.list()) ids.push(info.objectId);
  return ids;
}

describe.each([
  { layout: 'xor', count: 2, threshold: 2 },
  { layout: 'replicated', count: 3, threshold: 2 },
] as const)('a fault in one target mid-put ($layout) leaves nothing behind', ({ count, threshold }) => {
  const cases = [
    { name: 'throws on its fourth part', faults: { failPut: (key: string) => key.endsWith('part-00000003') } },
    {
      name: 'rejects mid-stream while reading a part',
      faults: { failPutMidStream: { match: (key: string) => key.endsWith('part-00000005'), afterChunks: 2 } },
    },
    { name: 'fails to write its key share', faults: { failPut: (key: string) => key.endsWith('key-share.json') } },
    {
      name: 'fails to write its manifest (the last step)',
      faults: { failPut: (key: string) => key.endsWith('manifest.json') },
    },
  ];

  it.each(cases)('the last target $name', async ({ faults }) => {
    const targets = landlords(count);
    const broken = faulty(targets[count - 1]!, faults);
    const store = createSplitStore({ targets: [...targets.slice(0, -1), broken], threshold, ...SMALL });
    const error = expectOcx(await rejectionOf(store.put('object', plaintext)), 'network');
    expect(error.message).toContain(`at ${broken.landlord}/object-store`);
    expect(error.message).toContain('every share written was removed');
    expect(await listed(store)).toEqual([]);
    expectOcx(await rejectionOf(store.get('object')), 'not-found');
    for (const target of targets) {
      expect([...target.objects.keys()]).toEqual([]);
      expectNoPlaintextIn(everythingHeldBy(target), plaintext);
    }
    // The same id can be stored once the landlord is back.
    const healthy = createSplitStore({ targets, threshold, ...SMALL });
    await healthy.put('object', plaintext);
    expect((await collect((await healthy.get('object')).body)).equals(plaintext)).toBe(true);
  });
});

describe('other failures during put', () => {
  it('a body that fails mid-stream rolls back every share', async () => {
    const targets = landlords(2);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    async function* failing(): ObjectBody {
      yield* generatedBody(20 * SMALL.segmentSize, 'x');
      throw new Error('disk read error');
    }
    const error = expectOcx(await rejectionOf(store.put('object', failing())), 'internal');
    expect(error.message).toContain('disk read error');
    for (const target of targets) expect(target.objects.size).toBe(0);
  });

  it('an abort stops the put and rolls back', async () => {
    const targets = landlords(2);
    const store = createSplitStore({ targets, threshold: 2, ...SMALL });
    const controller = new AbortController();
    async function* slow(): ObjectBody {
      for await (const chunk of generatedBody(SIZE, 'slow', 1000)) {
        yield chunk;
        if (targets[0]!.objects.size > 2) controller.abort();
      }
    }
    const error = await rejectionOf(store.put('object', slow(), { signal: controller.signal }));
    expect(String((error as Error).message)).toMatch(/abort/i);
    for (const target of targets) expect(target.objects.size).toBe(0);
  });

  it('leftovers a failing landlord would not delete are reported, and stay invisible', async () => {
    const targets = landlords(2);
    const broken = faulty(targets[1]!, {
      failPut: (key) => key.endsWith('manifest.json'),
      failDelete: () => true,
    });
    const store = createSplitStore({ targets: [targets[0]!, broken], threshold: 2, ...SMALL });
    const error = expectOcx(await rejectionOf(store.put('object', plaintext)), 'network');
    expect(error.message).toMatch(/could not remove \d+ item\(s\), invisible to readers/);
    expect(targets[0]!.objects.size).toBe(0);
    expect(targets[1]!.objects.size).toBeGreaterThan(0);
    expect(await listed(store)).toEqual([]);
    expectOcx(await rejectionOf(store.get('object')), 'not-found');
  });
});
