import { createMemoryStore, Decimal, OcxError, type UsageRecordInput } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import { createSampledGbHoursMeter } from './sampled-gb-hours-meter.js';
import { createSampleStore, type StorageSample } from './storage-samples.js';

const context = { landlord: 'ceph-lab', service: 'object-storage', now: () => new Date('2026-11-21T13:00:00Z') };
const sample = (time: string, bytes: string, resource = 'ocx-genomics'): StorageSample => ({
  kind: 'rgw-user',
  resource,
  project: 'genomics',
  organization: 'bu',
  time,
  bytes,
  basis: 'stored',
});

async function meterWith(samples: StorageSample[]) {
  const store = createSampleStore(createMemoryStore());
  await store.add(samples);
  return createSampledGbHoursMeter(store, context, {
    name: 'object-storage',
    metric: 'object-storage-gb-hours',
    kind: 'rgw-user',
    resourceType: 'rgw-user',
  });
}

async function collect(
  meter: Awaited<ReturnType<typeof meterWith>>,
  start: string,
  end: string,
): Promise<UsageRecordInput[]> {
  const records: UsageRecordInput[] = [];
  for await (const record of meter.collect({ start, end })) records.push(record);
  return records;
}

describe('sampled GB-hours meter', () => {
  it('bills each sample for the interval since the one before, cut at whole hours, exactly', async () => {
    const meter = await meterWith([
      sample('2026-11-21T10:05:00.000Z', '0'),
      sample('2026-11-21T11:35:00.000Z', '2000000000'),
      sample('2026-11-21T11:50:00.000Z', '1000000000'),
    ]);
    const records = await collect(meter, '2026-11-21T10:00:00Z', '2026-11-21T12:00:00Z');
    expect(records.map((record) => [record.window.start, record.window.end, record.quantity])).toEqual([
      ['2026-11-21T10:05:00.000Z', '2026-11-21T11:00:00.000Z', '1.833333333333'],
      ['2026-11-21T11:00:00.000Z', '2026-11-21T11:35:00.000Z', '1.166666666667'],
      ['2026-11-21T11:35:00.000Z', '2026-11-21T11:50:00.000Z', '0.25'],
    ]);
    expect(records[0]).toMatchObject({
      id: 'ocx-genomics/2026-11-21T11:35:00.000Z/2026-11-21T10:05:00.000Z',
      subject: { organization: 'bu', project: 'genomics' },
      resource: { id: 'ocx-genomics', type: 'rgw-user' },
      unit: 'GB·h',
      attributes: { bytes: '2000000000', basis: 'stored' },
    });
    expect(Decimal.sum(records.map((record) => record.quantity)).toString()).toBe('3.25');
  });

  it('adjoining hour windows split the usage with nothing twice and nothing lost', async () => {
    const meter = await meterWith([
      sample('2026-11-21T10:05:00.000Z', '5'),
      sample('2026-11-21T11:35:00.000Z', '7000000000'),
    ]);
    const whole = await collect(meter, '2026-11-21T10:00:00Z', '2026-11-21T12:00:00Z');
    const first = await collect(meter, '2026-11-21T10:00:00Z', '2026-11-21T11:00:00Z');
    const second = await collect(meter, '2026-11-21T11:00:00Z', '2026-11-21T12:00:00Z');
    expect([...first, ...second]).toEqual(whole);
  });

  it('a first sample only starts the clock, and a piece partly outside the window waits for a window holding it', async () => {
    expect(
      await collect(
        await meterWith([sample('2026-11-21T10:05:00.000Z', '5')]),
        '2026-11-21T00:00:00Z',
        '2026-11-22T00:00:00Z',
      ),
    ).toEqual([]);
    const meter = await meterWith([
      sample('2026-11-21T10:05:00.000Z', '0'),
      sample('2026-11-21T10:35:00.000Z', '3600000000'),
    ]);
    expect(await collect(meter, '2026-11-21T10:10:00Z', '2026-11-21T11:00:00Z')).toEqual([]);
    expect(
      (await collect(meter, '2026-11-21T10:00:00Z', '2026-11-21T11:00:00Z')).map((record) => record.quantity),
    ).toEqual(['1.8']);
  });

  it('keeps resources apart and the same sample twice changes nothing', async () => {
    const store = createSampleStore(createMemoryStore());
    expect(
      await store.add([sample('2026-11-21T10:00:00.000Z', '0'), sample('2026-11-21T10:00:00.000Z', '0', 'ocx-other')]),
    ).toBe(2);
    expect(await store.add([sample('2026-11-21T10:00:00.000Z', '999')])).toBe(0);
    const groups = await store.byResource('rgw-user');
    expect([...groups.keys()].sort()).toEqual(['ocx-genomics', 'ocx-other']);
    expect(groups.get('ocx-genomics')?.[0]?.bytes).toBe('0');
  });

  it('refuses a window whose end is not after its start', async () => {
    const meter = await meterWith([]);
    const error = await collect(meter, '2026-11-21T11:00:00Z', '2026-11-21T10:00:00Z').catch(
      (caught: unknown) => caught,
    );
    expect(OcxError.is(error) && error.code).toBe('validation');
  });
});
