import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import type { Driver } from '../spec/driver.js';
import type { UsageRecordInput } from '../spec/usage-record.js';
import { createMemoryStore } from '../store/memory-store.js';
import { createReferenceDriver, type ReferenceExtension } from '../testing/reference-driver/index.js';
import { ManualClock } from './clock.js';
import { createExchange } from './exchange.js';

async function setup() {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const exchange = createExchange({ store: createMemoryStore(), clock });
  const driver = createReferenceDriver({ landlord: 'bu', service: 'cloud', clock });
  await exchange.landlords.register({
    id: 'bu',
    name: 'BU',
    organization: 'BU',
    services: [{ id: 'cloud', kind: 'compute', driver }],
  });
  await driver.tenancy?.ensureProject({ id: 'genomics', name: 'Genomics', organization: 'bu' });
  const events: Array<[string, unknown]> = [];
  exchange.events.onAny((name, payload) => events.push([name, payload]));
  return { clock, exchange, driver, events };
}

const record = (id: string, quantity = '1'): UsageRecordInput => ({
  id,
  source: 'ocx://bu/cloud',
  time: '2026-11-01T01:00:00Z',
  subject: { organization: 'bu', project: 'genomics', user: 'alice' },
  landlord: 'bu',
  service: 'cloud',
  resource: { id: 'srv-1', type: 'server' },
  metric: 'vcpu-hours',
  unit: 'vCPU·h',
  quantity,
  window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' },
});

describe('quota ledger', () => {
  it('applies limits through the provider and keeps every version', async () => {
    const { exchange, clock, driver, events } = await setup();
    await exchange.quotas.set(
      { landlord: 'bu', service: 'cloud', scope: { kind: 'project', id: 'genomics' }, limits: { nodes: '4' } },
      { actor: { kind: 'user', id: 'alice' } },
    );
    clock.advance(86_400_000);
    await exchange.quotas.set({
      landlord: 'bu',
      service: 'cloud',
      scope: { kind: 'project', id: 'genomics' },
      limits: { nodes: '8', 'storage-gb': null },
    });
    expect((await driver.quotas?.getQuotas('genomics'))?.find((quota) => quota.resource === 'nodes')?.limit).toBe('8');
    const history = await exchange.quotas.history({ resource: 'nodes' });
    expect(history.map((quota) => [quota.limit, quota.effectiveFrom])).toEqual([
      ['4', '2026-11-01T00:00:00.000Z'],
      ['8', '2026-11-02T00:00:00.000Z'],
    ]);
    expect(
      (await exchange.quotas.current({ scope: { kind: 'project', id: 'genomics' } }))
        .map((quota) => quota.resource)
        .sort(),
    ).toEqual(['nodes', 'storage-gb']);
    expect(
      events
        .filter(([name]) => name === 'quota.changed')
        .map(([, payload]) => (payload as { previousLimit: unknown }).previousLimit),
    ).toEqual([undefined, '4', undefined]);
    expect((await exchange.audit.query({ action: 'quota.set', actor: 'alice' })).length).toBe(1);
  });

  it('refuses unknown resources and bad values before calling the provider', async () => {
    const { exchange, driver } = await setup();
    const bad = [
      [
        { landlord: 'bu', service: 'cloud', scope: { kind: 'project', id: 'genomics' }, limits: { gpus: '1' } },
        'limits.gpus',
      ],
      [
        { landlord: 'bu', service: 'cloud', scope: { kind: 'project', id: 'genomics' }, limits: { nodes: 4 } },
        'limits.nodes',
      ],
      [
        { landlord: 'bu', service: 'cloud', scope: { kind: 'team', id: 'genomics' }, limits: { nodes: '4' } },
        'scope.kind',
      ],
      [{ landlord: 'bu', service: 'cloud', scope: { kind: 'project', id: 'genomics' }, limits: {} }, 'limits'],
    ] as const;
    for (const [input, path] of bad) {
      const error = await exchange.quotas.set(input as never).catch((caught: unknown) => caught);
      expect(OcxError.is(error) && error.code).toBe('validation');
      expect((error as OcxError).issues.map((issue) => issue.path)).toContain(path);
    }
    expect(await exchange.quotas.history()).toEqual([]);
    expect((await driver.quotas?.getQuotas('genomics'))?.every((quota) => quota.limit === null)).toBe(true);
  });

  it('emits quota.breached when use reaches the limit', async () => {
    const { exchange, driver, events } = await setup();
    await exchange.quotas.set({
      landlord: 'bu',
      service: 'cloud',
      scope: { kind: 'project', id: 'genomics' },
      limits: { nodes: '1' },
    });
    await driver.hardware?.allocate({ project: 'genomics', node: 'node-001' });
    await exchange.quotas.check({ landlord: 'bu', service: 'cloud', project: 'genomics' });
    expect(events.filter(([name]) => name === 'quota.breached')).toHaveLength(1);
  });
});

describe('usage ledger', () => {
  it('ingests each (source, id) once', async () => {
    const { exchange, events } = await setup();
    expect(await exchange.usage.ingest([record('a'), record('b'), record('a')])).toEqual({
      inserted: 2,
      duplicates: 1,
    });
    expect(await exchange.usage.ingest([record('a', '99'), record('c')])).toEqual({ inserted: 1, duplicates: 1 });
    const stored = [];
    for await (const item of exchange.usage.query({ project: 'genomics' })) stored.push(item);
    expect(stored.map((item) => [item.id, item.quantity])).toEqual([
      ['a', '1'],
      ['b', '1'],
      ['c', '1'],
    ]);
    expect(events.filter(([name]) => name === 'usage.ingested')).toHaveLength(2);
  });

  it('refuses a batch with one malformed record, naming it, and stores nothing', async () => {
    const { exchange } = await setup();
    const error = await exchange.usage
      .ingest([record('ok'), { ...record('bad'), quantity: 1.5 as unknown as string }])
      .catch((caught: unknown) => caught);
    expect((error as OcxError).issues.map((issue) => issue.path)).toContain('records.1.quantity');
    const inverted = await exchange.usage
      .ingest([{ ...record('w'), window: { start: '2026-11-01T01:00:00Z', end: '2026-11-01T00:00:00Z' } }])
      .catch((caught: unknown) => caught);
    expect((inverted as OcxError).issues.map((issue) => issue.path)).toContain('records.0.window.end');
    const stored = [];
    for await (const item of exchange.usage.query()) stored.push(item);
    expect(stored).toEqual([]);
  });

  it('collects every meter, late records included, without double counting', async () => {
    const { exchange, driver, clock } = await setup();
    await driver.hardware?.allocate({ project: 'genomics', node: 'node-001' });
    clock.set('2026-11-01T02:30:00Z');
    const window = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
    const first = await exchange.usage.collect({ window });
    expect(first.inserted).toBe(2); // hours 0 and 1 are over; hour 2 is not yet
    (driver.ext as ReferenceExtension).recordUsage({
      project: 'genomics',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '4',
      resource: 'srv',
      start: '2026-11-01T00:00:00Z',
      end: '2026-11-01T01:00:00Z',
    });
    clock.set('2026-11-01T04:00:00Z');
    const second = await exchange.usage.collect({ window });
    expect(second).toMatchObject({ inserted: 3, duplicates: 2 });
  });

  it('a failing meter is reported and does not stop the others', async () => {
    const { exchange, events } = await setup();
    const broken: Driver = {
      ...createReferenceDriver({ landlord: 'mit', service: 'broken', capabilities: ['meters'] }),
      meters: [
        {
          name: 'explodes',
          metrics: ['node-hours', 'vcpu-hours', 'ram-gb-hours', 'storage-gb-hours', 'floating-ip-hours'],
          // biome-ignore lint/correctness/useYield: the meter fails before yielding anything
          async *collect() {
            throw new Error('backend down');
          },
        },
      ],
    };
    await exchange.landlords.register({
      id: 'mit',
      name: 'MIT',
      organization: 'MIT',
      services: [{ id: 'broken', kind: 'compute', driver: broken }],
    });
    const result = await exchange.usage.collect({
      window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' },
    });
    expect(result.meters.find((meter) => meter.meter === 'explodes')?.error).toMatch(/backend down/);
    expect(result.meters.filter((meter) => meter.error === undefined).length).toBe(2);
    expect(events.some(([name]) => name === 'usage.collection-failed')).toBe(true);
  });

  it('refuses records a meter reports for another landlord', async () => {
    const { exchange } = await setup();
    const liar: Driver = {
      ...createReferenceDriver({ landlord: 'mit', service: 'liar', capabilities: ['meters'] }),
      meters: [
        {
          name: 'liar',
          metrics: ['node-hours', 'vcpu-hours', 'ram-gb-hours', 'storage-gb-hours', 'floating-ip-hours'],
          async *collect() {
            yield record('stolen');
          },
        },
      ],
    };
    await exchange.landlords.register({
      id: 'mit',
      name: 'MIT',
      organization: 'MIT',
      services: [{ id: 'liar', kind: 'compute', driver: liar }],
    });
    const result = await exchange.usage.collect({
      window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' },
      landlord: 'mit',
    });
    expect(result.meters[0]?.error).toMatch(/only report its own landlord|produced a record for landlord bu/);
    expect(result.inserted).toBe(0);
  });
});

describe('audit log', () => {
  it('is queryable by actor, action, landlord, time and outcome', async () => {
    const { exchange, clock } = await setup();
    clock.set('2026-11-05T00:00:00Z');
    await exchange.quotas.set(
      { landlord: 'bu', service: 'cloud', scope: { kind: 'project', id: 'genomics' }, limits: { nodes: '2' } },
      { actor: { kind: 'user', id: 'bob' } },
    );
    expect(
      (await exchange.audit.query({ since: '2026-11-02T00:00:00Z' })).map((entry) => [entry.action, entry.actor.id]),
    ).toEqual([
      ['quotas.setQuotas', 'bob'],
      ['quota.set', 'bob'],
    ]);
    expect((await exchange.audit.query({ until: '2026-11-02T00:00:00Z' })).map((entry) => entry.action)).toEqual([
      'landlord.register',
    ]);
    expect((await exchange.audit.query({ landlord: 'bu', limit: 1 })).length).toBe(1);
    expect(await exchange.audit.query({ outcome: 'failure' })).toEqual([]);
    await expect(exchange.audit.query({ since: 'yesterday' })).rejects.toMatchObject({
      code: 'validation',
      issues: [{ path: 'since' }],
    });
    const sequences = (await exchange.audit.query()).map((entry) => entry.sequence);
    expect(sequences).toEqual([1, 2, 3]);
  });
});
