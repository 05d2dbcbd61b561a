import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { createReferenceDriver } from '../testing/reference-driver/index.js';
import { type Driver, driverCapabilityNames, validateDriver } from './driver.js';
import { MoneySchema, TimeWindowSchema } from './primitives.js';
import { UsageRecordSchema, usageRecordKey } from './usage-record.js';

function issuePath(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (OcxError.is(error)) return error.issues[0]?.path;
    throw error;
  }
  return undefined;
}

describe('validateDriver', () => {
  const good = () => createReferenceDriver({ landlord: 'l', service: 's' });

  it('accepts the reference driver and lists its capabilities', () => {
    expect(driverCapabilityNames(validateDriver(good()))).toEqual([
      'hardware',
      'provisioner',
      'attestor',
      'tenancy',
      'quotas',
      'meters',
    ]);
  });

  it('names what is wrong', () => {
    const base = good();
    const cases: Array<[unknown, string]> = [
      [{ ...base, specificationVersion: 'v2' }, 'specificationVersion'],
      [{ ...base, name: '' }, 'name'],
      [{ ...base, hardware: undefined }, 'hardware'],
      [{ ...base, capabilities: { ...base.capabilities, provisioner: undefined } }, 'provisioner'],
      [{ ...base, tenancy: { ...base.tenancy, deleteProject: undefined } }, 'tenancy.deleteProject'],
      [{ ...base, meters: [] }, 'meters'],
      [
        {
          ...base,
          meters: [
            { name: 'a', metrics: [], collect: () => undefined },
            { name: 'a', metrics: [], collect: () => undefined },
          ],
        },
        'meters.1.name',
      ],
      [{ ...base, capabilities: { ...base.capabilities, teleport: {} } }, 'capabilities'],
      [{ ...base, dispose: undefined }, 'dispose'],
    ];
    for (const [driver, path] of cases)
      expect(
        issuePath(() => validateDriver(driver as Driver)),
        path,
      ).toBe(path);
  });
});

describe('schemas', () => {
  const record = {
    id: 'r1',
    source: 'ocx://bu/cloud',
    time: '2026-11-01T01:00:00Z',
    subject: { organization: 'bu', project: 'p' },
    landlord: 'bu',
    service: 'cloud',
    resource: { id: 'srv', type: 'server' },
    metric: 'vcpu-hours',
    unit: 'vCPU·h',
    quantity: '2.5',
    window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' },
  };

  it('a usage record is a CloudEvent-shaped object with defaults', () => {
    const parsed = UsageRecordSchema.parse(record);
    expect(parsed).toMatchObject({ specversion: '1.0', type: 'ocx.usage.v1' });
    expect(usageRecordKey(parsed)).toBe('ocx://bu/cloud\u0000r1');
  });

  it('quantities and money are exact decimal strings, never floats', () => {
    expect(UsageRecordSchema.safeParse({ ...record, quantity: 2.5 }).success).toBe(false);
    expect(UsageRecordSchema.safeParse({ ...record, quantity: '1e3' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amount: '10.00', currency: 'USD' }).success).toBe(true);
    expect(MoneySchema.safeParse({ amount: 10, currency: 'USD' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amount: '10', currency: 'usd' }).success).toBe(false);
  });

  it('windows are half-open: end must be after start', () => {
    expect(TimeWindowSchema.safeParse({ start: '2026-11-01T00:00:00Z', end: '2026-11-01T00:00:00Z' }).success).toBe(
      false,
    );
    expect(TimeWindowSchema.safeParse({ start: '2026-11-01T00:00:00Z', end: '2026-11-01T00:00:01Z' }).success).toBe(
      true,
    );
  });
});
