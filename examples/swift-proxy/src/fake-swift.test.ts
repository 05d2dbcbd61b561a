import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeSwift, type FakeSwift } from './fake-swift.js';
import { ContainerEntrySchema, ObjectEntrySchema } from './swift-backend.js';

// The fake Swift of the unit tests, checked against responses recorded from a real Swift 2.30
// (__fixtures__/swift-2.30-responses.json): same statuses, usage headers, content types and listing shapes.

interface Recorded {
  name: string;
  request: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}
const recorded = (
  JSON.parse(readFileSync(new URL('./__fixtures__/swift-2.30-responses.json', import.meta.url), 'utf8')) as {
    responses: Recorded[];
  }
).responses;

let fake: FakeSwift;
let token: string;

beforeAll(async () => {
  // The content the recording was made with.
  fake = await createFakeSwift({
    account: { 'p-apple': { 'b.txt': { bytes: 2 }, 'dir/a.txt': { bytes: 5 } }, 'p-é': {} },
  });
  const auth = await fetch(fake.authUrl, { headers: { 'x-auth-user': fake.user, 'x-auth-key': fake.key } });
  token = auth.headers.get('x-auth-token')!;
});
afterAll(() => fake.close());

describe('the fake Swift against recorded Swift 2.30 responses', () => {
  it.each(recorded.map((response) => [response.name, response] as const))('%s', async (_name, real) => {
    const [method, target] = real.request.split(' ') as [string, string];
    const path = target.startsWith('?')
      ? target
      : `/${encodeURIComponent(decodeURIComponent(target.slice(1).split('?')[0]!))}${target.includes('?') ? `?${target.split('?')[1]}` : ''}`;
    const response = await fetch(`${fake.storageUrl}${path}`, { method, headers: { 'x-auth-token': token } });
    expect(response.status).toBe(real.status);
    for (const name of Object.keys(real.headers).filter((header) => header.startsWith('x-'))) {
      if (
        name === 'x-account-container-count' ||
        name === 'x-account-object-count' ||
        name === 'x-account-bytes-used'
      ) {
        // The real account held other tests' containers too; the fake only the recorded ones.
        expect(response.headers.get(name), name).toMatch(/^\d+$/);
      } else {
        expect(response.headers.get(name), name).toBe(real.headers[name]);
      }
    }
    const body = await response.text();
    if (real.headers['content-type']?.startsWith('application/json')) {
      const realBody = JSON.parse(real.body) as Array<Record<string, unknown>>;
      const fakeBody = JSON.parse(body) as Array<Record<string, unknown>>;
      expect(fakeBody.map((entry) => entry.name ?? entry.subdir)).toEqual(
        realBody.map((entry) => entry.name ?? entry.subdir),
      );
      expect(fakeBody.map((entry) => Object.keys(entry).sort())).toEqual(
        realBody.map((entry) => Object.keys(entry).sort()),
      );
    } else if (real.status === 200) {
      expect(body).toBe(real.body);
    }
  });

  it('parses every recorded listing with the proxy’s schemas', () => {
    for (const real of recorded.filter((response) =>
      response.headers['content-type']?.startsWith('application/json'),
    )) {
      const entries = JSON.parse(real.body) as unknown[];
      const schema = real.request.startsWith('GET ?') ? ContainerEntrySchema : ObjectEntrySchema;
      for (const entry of entries)
        expect(schema.safeParse(entry).success, `${real.name}: ${JSON.stringify(entry)}`).toBe(true);
    }
  });
});
