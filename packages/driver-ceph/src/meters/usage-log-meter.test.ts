import {
  createExchange,
  createMemoryStore,
  Decimal,
  type Exchange,
  ManualClock,
  OcxError,
  type UsageRecord,
} from '@ocx/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CephDriver } from '../driver.js';
import { fakeDriver } from '../test-support/fake-driver.js';
import { createFakeRgw, type FakeRgw, type FakeUsageBucket } from '../test-support/fake-rgw.js';

const HOUR = 3_600_000;
const hour = Date.parse('2026-11-21T10:00:00Z');
const window = { start: new Date(hour).toISOString(), end: new Date(hour + HOUR).toISOString() };

let rgw: FakeRgw;
let clock: ManualClock;
let driver: CephDriver;
let exchange: Exchange;

async function setUp(graceMs: number) {
  clock = new ManualClock(new Date(hour + 10 * 60_000));
  driver = fakeDriver(rgw, { clock, graceMs, store: createMemoryStore() });
  exchange = createExchange({ clock });
  await exchange.landlords.register({
    id: 'ceph-lab',
    name: 'Ceph lab',
    organization: 'lab',
    services: [{ id: 'object-storage', kind: 'object-storage', driver }],
  });
  await driver.tenancy.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
}

const usageBucket = (ops: number, bytes: number, category = 'put_obj', user = 'ocx-genomics'): FakeUsageBucket => ({
  user,
  bucket: 'reads',
  epoch: hour / 1000,
  categories: [{ category, bytes_sent: 0, bytes_received: bytes, ops, successful_ops: ops }],
});

async function ledger(): Promise<UsageRecord[]> {
  const records: UsageRecord[] = [];
  for await (const record of exchange.usage.query({ metric: undefined })) records.push(record);
  return records;
}
const sum = (records: readonly UsageRecord[], metric: string) =>
  Decimal.sum(records.filter((record) => record.metric === metric).map((record) => record.quantity)).toString();
const collect = () => exchange.usage.collect({ window });

beforeEach(async () => {
  rgw = await createFakeRgw();
});
afterEach(async () => {
  await exchange.close();
  await rgw.close();
});

describe('usage-log meter', () => {
  it('reports an hour only once it has ended and the grace has passed, so late usage is not lost', async () => {
    await setUp(2000);
    rgw.usage.push(usageBucket(2, 3000));
    clock.set(new Date(hour + HOUR + 1000));
    expect((await collect()).inserted).toBe(0);
    expect(rgw.server.requests.filter((request) => request.path === '/admin/usage')).toHaveLength(0);
    // RGW writes the rest of the hour late, inside the grace.
    rgw.usage[0] = usageBucket(3, 4500);
    clock.set(new Date(hour + HOUR + 2000));
    const next = await collect();
    expect(next.inserted).toBe(2);
    const records = await ledger();
    expect(sum(records, 'object-requests')).toBe('3');
    expect(sum(records, 'object-bytes-in')).toBe('4500');
    expect(records.map((record) => record.id).sort()).toEqual([
      'ocx-genomics/reads/2026-11-21T10:00:00.000Z/put_obj/object-bytes-in',
      'ocx-genomics/reads/2026-11-21T10:00:00.000Z/put_obj/object-requests',
    ]);
    expect(records[0]).toMatchObject({
      subject: { organization: 'bu', project: 'genomics' },
      landlord: 'ceph-lab',
      service: 'object-storage',
      resource: { id: 'reads', type: 'bucket' },
      window,
      attributes: { category: 'put_obj', uid: 'ocx-genomics' },
    });
    // Collected again (a retried or overlapping run): the same ids, stored once.
    expect(await collect()).toMatchObject({ inserted: 0, duplicates: 2 });
  });

  it('with no grace, usage RGW writes after the hour is read is lost: why the grace exists', async () => {
    await setUp(0);
    rgw.usage.push(usageBucket(2, 3000));
    clock.set(new Date(hour + HOUR));
    await collect();
    rgw.usage[0] = usageBucket(3, 4500);
    expect((await collect()).inserted).toBe(0);
    expect(sum(await ledger(), 'object-requests')).toBe('2');
  });

  it('reports only exchange projects, and only whole hours inside the window', async () => {
    await setUp(2000);
    rgw.usage.push(usageBucket(1, 10, 'put_obj', 'someone-else'), usageBucket(1, 10), {
      ...usageBucket(5, 50),
      epoch: (hour + HOUR) / 1000,
    });
    clock.set(new Date(hour + 3 * HOUR));
    const records: unknown[] = [];
    const meter = driver.meters.find((candidate) => candidate.name === 'object-usage')!;
    for await (const record of meter.collect({
      start: new Date(hour - 60_000).toISOString(),
      end: new Date(hour + HOUR + 60_000).toISOString(),
    }))
      records.push(record);
    // [09:59, 11:01) holds the whole 10:00 hour, not the 11:00 one; someone-else is no project.
    expect(records.map((record) => (record as UsageRecord).id)).toEqual([
      'ocx-genomics/reads/2026-11-21T10:00:00.000Z/put_obj/object-requests',
      'ocx-genomics/reads/2026-11-21T10:00:00.000Z/put_obj/object-bytes-in',
    ]);
    records.length = 0;
    for await (const record of meter.collect({
      start: new Date(hour).toISOString(),
      end: new Date(hour + 2 * HOUR).toISOString(),
    }))
      records.push(record);
    expect(records.map((record) => (record as UsageRecord).subject.project)).toEqual([
      'genomics',
      'genomics',
      'genomics',
      'genomics',
    ]);
  });

  it('bills a deleted project to the organization the store remembers', async () => {
    await setUp(2000);
    await driver.tenancy.deleteProject('genomics');
    rgw.usage.push(usageBucket(1, 10));
    clock.set(new Date(hour + 2 * HOUR));
    await collect();
    expect((await ledger()).map((record) => record.subject)).toEqual([
      { organization: 'bu', project: 'genomics' },
      { organization: 'bu', project: 'genomics' },
    ]);
  });

  it('a failing usage log reports nothing partial, and the next run takes it all', async () => {
    await setUp(2000);
    rgw.usage.push(usageBucket(1, 10));
    clock.set(new Date(hour + 2 * HOUR));
    // Three 503s: the first try and both retries of the first run.
    rgw.server.inject({ kind: 'status', status: 503, body: 'boom', times: 3 }, { path: '/admin/usage' });
    const failed = await collect();
    expect(failed.meters.find((meter) => meter.meter === 'object-usage')?.error).toMatch(/HTTP 503/);
    expect(await ledger()).toEqual([]);
    const next = await collect();
    expect(next.meters.find((meter) => meter.meter === 'object-usage')).toMatchObject({ inserted: 2 });
  });

  it('refuses a bad window and an aborted collection before asking RGW', async () => {
    await setUp(2000);
    const meter = driver.meters.find((candidate) => candidate.name === 'object-usage')!;
    const drain = async (iterable: AsyncIterable<unknown>) => {
      for await (const _ of iterable) break;
    };
    const bad = await drain(meter.collect({ start: window.end, end: window.start })).catch((error: unknown) => error);
    expect(OcxError.is(bad) && bad.code).toBe('validation');
    const controller = new AbortController();
    controller.abort();
    const aborted = await drain(meter.collect(window, { signal: controller.signal })).catch((error: unknown) => error);
    expect(OcxError.is(aborted) && aborted.code).toBe('aborted');
    expect(rgw.server.requests.filter((request) => request.path === '/admin/usage')).toHaveLength(0);
  });
});
