import { OcxError, type UsageRecord } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenStackDriver } from '../index.js';
import { addServerUsage, fakeDriver } from '../test-support/fake-driver.js';
import type { FakeOpenStack } from '../test-support/fake-openstack.js';

const HOUR = 3_600_000;
const hour = Math.floor(Date.now() / HOUR) * HOUR;
const window = { start: new Date(hour - 2 * HOUR).toISOString(), end: new Date(hour).toISOString() };

let fake: FakeOpenStack;
let driver: OpenStackDriver;

/** A project with `count` servers running the whole window, listed two per page. */
async function setUp(count: number): Promise<void> {
  ({ fake, driver } = await fakeDriver({ pageSize: 2 }));
  const { externalId } = await driver.tenancy.ensureProject({ id: 'faults', name: 'Faults', organization: 'bu' });
  for (let index = 0; index < count; index += 1)
    addServerUsage(fake, {
      project: externalId,
      id: `srv-${index}`,
      startedAt: hour - 3 * HOUR,
      vcpus: 1,
      memoryMb: 1024,
    });
}

afterEach(async () => {
  await driver?.dispose();
  await fake?.close();
});

/** Collect the compute meter, calling `between` after the first record (i.e. once page 1 has been read). */
async function collect(between?: () => void): Promise<UsageRecord[]> {
  const records: UsageRecord[] = [];
  for await (const record of driver.meters![0]!.collect(window)) {
    if (records.length === 0) between?.();
    records.push(record as UsageRecord);
  }
  return records;
}

const usageRequests = () => fake.state.log.filter((entry) => entry.path.includes('os-simple-tenant-usage'));

describe('compute meter under faults', () => {
  it('a token that expires in the middle of a listing is renewed and the listing continues', async () => {
    await setUp(5);
    const records = await collect(() => fake.expireTokens());
    // 5 servers × 2 whole hours × 2 metrics, nothing lost to the expiry.
    expect(records).toHaveLength(20);
    expect(new Set(records.map((record) => record.resource.id)).size).toBe(5);
    // One token for the first page, a second after the 401 — and page 2 was sent with each.
    expect(fake.state.issued).toHaveLength(2);
    const tokens = usageRequests().map((entry) => entry.token);
    expect(tokens[0]).toBe(fake.state.issued[0]);
    expect(tokens.at(-1)).toBe(fake.state.issued[1]);
    expect(usageRequests()).toHaveLength(4); // page 1, page 2 refused, page 2 again, page 3
  });

  it('a second 401 after renewing is a typed auth error saying how far the listing got', async () => {
    await setUp(5);
    const failure = collect(() =>
      fake.server.inject(
        { kind: 'status', status: 401, times: 2, body: { error: { code: 401, title: 'Unauthorized' } } },
        { path: /os-simple-tenant-usage/ },
      ),
    );
    const error = await failure.catch((caught: unknown) => caught);
    expect(OcxError.is(error)).toBe(true);
    expect((error as OcxError).code).toBe('auth');
    expect((error as OcxError).status).toBe(401);
    expect((error as OcxError).message).toMatch(
      /stopped after 8 records of 2 resources; the rest of the window is missing: Listing nova usage of all projects failed on page 2/,
    );
    expect(fake.state.issued).toHaveLength(2);
  });

  it('a 5xx in the middle of the pages is retried once and the listing completes', async () => {
    await setUp(5);
    const records = await collect(() =>
      fake.server.inject(
        { kind: 'status', status: 500, times: 1, body: { computeFault: { code: 500, message: 'deadlock' } } },
        { path: /os-simple-tenant-usage/ },
      ),
    );
    expect(records).toHaveLength(20);
  });

  it('a 5xx that persists is reported with how far the listing got, never a short listing', async () => {
    await setUp(5);
    const seen: UsageRecord[] = [];
    let caught: unknown;
    try {
      for await (const record of driver.meters![0]!.collect(window)) {
        if (seen.length === 0)
          fake.server.inject(
            {
              kind: 'status',
              status: 500,
              times: 2,
              body: { computeFault: { code: 500, message: 'Unexpected API Error.' } },
            },
            { path: /os-simple-tenant-usage/ },
          );
        seen.push(record as UsageRecord);
      }
    } catch (error) {
      caught = error;
    }
    expect(OcxError.is(caught)).toBe(true);
    const error = caught as OcxError;
    expect(error.code).toBe('http');
    expect(error.status).toBe(500);
    expect(error.attempts).toBe(2);
    expect(error.backendMessage).toBe('Unexpected API Error.');
    expect(error.message).toMatch(
      /stopped after 8 records of 2 resources; the rest of the window is missing: Listing nova usage of all projects failed on page 2/,
    );
    // The records of page 1 were delivered before the failure; nothing after it was invented.
    expect(seen).toHaveLength(8);
  });

  it('a connection reset mid-pagination is retried, losing nothing', async () => {
    await setUp(5);
    const records = await collect(() =>
      fake.server.inject({ kind: 'reset', times: 1 }, { path: /os-simple-tenant-usage/ }),
    );
    expect(records).toHaveLength(20);
  });
});
