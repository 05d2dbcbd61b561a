import { Decimal, type UsageRecord } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenStackDriver } from '../index.js';
import { addServerUsage, fakeDriver } from '../test-support/fake-driver.js';
import type { FakeOpenStack } from '../test-support/fake-openstack.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const hour = Math.floor(Date.now() / HOUR) * HOUR;
const windowStart = hour - 2 * HOUR;
const window = { start: new Date(windowStart).toISOString(), end: new Date(hour).toISOString() };
const nova = (ms: number) => new Date(ms).toISOString().slice(0, -1);

let fake: FakeOpenStack;
let driver: OpenStackDriver;
afterEach(async () => {
  await driver?.dispose();
  await fake?.close();
});

async function totals(): Promise<Record<string, string>> {
  const sums: Record<string, Decimal> = {};
  for await (const record of driver.meters![0]!.collect(window)) {
    const { resource, metric, quantity } = record as UsageRecord;
    const key = `${resource.id} ${metric}`;
    sums[key] = (sums[key] ?? Decimal.ZERO).add(quantity);
  }
  return Object.fromEntries(Object.entries(sums).map(([key, value]) => [key, value.toString()]));
}

describe('compute meter', () => {
  it('bills vCPU-hours and RAM GB-hours exactly from started_at/ended_at, per whole bucket', async () => {
    ({ fake, driver } = await fakeDriver());
    const { externalId } = await driver.tenancy.ensureProject({ id: 'exact', name: 'E', organization: 'bu' });
    addServerUsage(fake, {
      project: externalId,
      id: 'a',
      startedAt: windowStart + 20 * MINUTE,
      vcpus: 3,
      memoryMb: 1536,
    });
    addServerUsage(fake, {
      project: externalId,
      id: 'b',
      startedAt: windowStart - HOUR,
      endedAt: windowStart + HOUR + 6 * MINUTE,
      vcpus: 1,
      memoryMb: 512,
    });
    const records: UsageRecord[] = [];
    for await (const record of driver.meters![0]!.collect(window)) records.push(record as UsageRecord);
    expect(await totals()).toEqual({
      'a vcpu-hours': '5', // 3 vCPU × 100 min
      'a ram-gb-hours': '2.5', // 1.5 GiB × 100 min
      'b vcpu-hours': '1.1', // 66 min
      'b ram-gb-hours': '0.55',
    });
    const first = records.find((record) => record.resource.id === 'a')!;
    expect(first).toMatchObject({
      id: `server/a/vcpu-hours/${new Date(windowStart).toISOString()}`,
      source: 'ocx://landlord-a/openstack',
      subject: { organization: 'bu', project: 'exact' },
      window: {
        start: new Date(windowStart + 20 * MINUTE).toISOString(),
        end: new Date(windowStart + HOUR).toISOString(),
      },
      quantity: '2',
    });
  });

  it('with policy free, leaves out the time a server was stopped (from its instance actions)', async () => {
    ({ fake, driver } = await fakeDriver({ stoppedServerPolicy: 'free' }));
    const { externalId } = await driver.tenancy.ensureProject({ id: 'stops', name: 'S', organization: 'bu' });
    addServerUsage(fake, { project: externalId, id: 'cycled', startedAt: windowStart - HOUR, vcpus: 2 });
    fake.state.instanceActions.set('cycled', [
      { action: 'start', start_time: nova(windowStart + 90 * MINUTE), request_id: 'req-2' },
      { action: 'stop', start_time: nova(windowStart + 30 * MINUTE), request_id: 'req-1' },
      { action: 'create', start_time: nova(windowStart - HOUR), request_id: 'req-0' },
    ]);
    // Stopped before the window and still stopped: no actions inside the window, state 'stopped'.
    addServerUsage(fake, { project: externalId, id: 'idle', startedAt: windowStart - HOUR, state: 'stopped' });
    // Started inside the window after a stop before it: stopped from the window start.
    addServerUsage(fake, { project: externalId, id: 'woken', startedAt: windowStart - HOUR, vcpus: 1 });
    fake.state.instanceActions.set('woken', [
      { action: 'start', start_time: nova(windowStart + 45 * MINUTE), request_id: 'req-3' },
    ]);
    const sums = await totals();
    expect(sums['cycled vcpu-hours']).toBe('2'); // 2 vCPU × (120 − 60) min
    expect(sums['idle vcpu-hours']).toBeUndefined();
    expect(sums['woken vcpu-hours']).toBe('1.25'); // 75 min
    // Instance actions are asked only from the window start (2.58 changes-since).
    const asked = fake.server.requests.filter((request) => request.path.endsWith('/os-instance-actions'));
    expect(asked).toHaveLength(3);
    expect(asked.every((request) => request.query['changes-since'] === new Date(windowStart).toISOString())).toBe(true);
  });

  it('with policy charge, bills stopped time as Nova does and asks for no instance actions', async () => {
    ({ fake, driver } = await fakeDriver());
    const { externalId } = await driver.tenancy.ensureProject({ id: 'charged', name: 'C', organization: 'bu' });
    addServerUsage(fake, {
      project: externalId,
      id: 'idle',
      startedAt: windowStart - HOUR,
      state: 'stopped',
      vcpus: 1,
    });
    expect((await totals())['idle vcpu-hours']).toBe('2');
    expect(fake.server.requests.some((request) => request.path.endsWith('/os-instance-actions'))).toBe(false);
  });

  it('reports only ended buckets wholly inside the window, and servers of exchange projects only', async () => {
    ({ fake, driver } = await fakeDriver());
    const { externalId } = await driver.tenancy.ensureProject({ id: 'edges', name: 'E', organization: 'bu' });
    addServerUsage(fake, { project: externalId, id: 'x', startedAt: windowStart - HOUR });
    addServerUsage(fake, { project: 'not-an-exchange-project', id: 'y', startedAt: windowStart - HOUR });
    const records: UsageRecord[] = [];
    const ragged = {
      start: new Date(windowStart + 10 * MINUTE).toISOString(),
      end: new Date(Date.now() + HOUR).toISOString(),
    };
    for await (const record of driver.meters![0]!.collect(ragged)) records.push(record as UsageRecord);
    // The partial first hour is skipped, the current (unfinished) hour too: one whole hour remains.
    expect(records.map((record) => `${record.resource.id} ${record.window.start}`)).toEqual([
      `x ${new Date(windowStart + HOUR).toISOString()}`,
      `x ${new Date(windowStart + HOUR).toISOString()}`,
    ]);
  });
});

describe('nova usage summary', () => {
  it('adds up the per-page totals of 2.40 paging exactly', async () => {
    ({ fake, driver } = await fakeDriver());
    for (let index = 0; index < 5; index += 1)
      addServerUsage(fake, {
        project: 'p1',
        id: `s${index}`,
        startedAt: windowStart - HOUR,
        vcpus: index + 1,
        memoryMb: 1024,
      });
    const paged = await driver.ext.nova!.usageSummary({ start: window.start, end: window.end, pageSize: 2 });
    const whole = await driver.ext.nova!.usageSummary({ start: window.start, end: window.end, pageSize: 1000 });
    expect(paged.pages).toBe(3);
    expect(whole.pages).toBe(1);
    expect(paged.projects).toEqual(whole.projects);
    expect(paged.projects[0]).toEqual({
      projectId: 'p1',
      servers: 5,
      totals: { hours: '10', vcpuHours: '30', memoryMbHours: '10240', localGbHours: '10' },
    });
  });
});
