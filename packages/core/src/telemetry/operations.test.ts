import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackends, enclaveRequest, exchangeOver } from '../enclave/__tests__/harness.js';
import { ManualClock } from '../runtime/clock.js';
import { createExchange } from '../runtime/exchange.js';
import { createMemoryStore } from '../store/memory-store.js';
import { createReferenceDriver, type ReferenceExtension } from '../testing/reference-driver/index.js';
import { installTestTelemetry } from './test-sdk.js';

// Enclave steps and metering runs, seen through the real OpenTelemetry SDK.
let telemetry: ReturnType<typeof installTestTelemetry>;
let spans: ReturnType<typeof installTestTelemetry>['spans'];
beforeAll(() => {
  telemetry = installTestTelemetry();
  spans = telemetry.spans;
});
afterAll(() => telemetry.uninstall());

describe('exchange operations through OpenTelemetry', () => {
  it('every enclave step of every node is a span, from requested to joined', async () => {
    const backends = createBackends();
    const exchange = await exchangeOver(backends);
    spans.reset();
    await exchange.enclaves.create(enclaveRequest('genomics', 2));
    const steps = spans.getFinishedSpans().filter((span) => span.name === 'ocx.enclave.step');
    const nodes = new Set(steps.map((span) => span.attributes['ocx.node']));
    expect(nodes.size).toBe(2);
    for (const node of nodes) {
      const from = steps
        .filter((span) => span.attributes['ocx.node'] === node)
        .map((span) => span.attributes['ocx.enclave.from']);
      // The walk of nodes-walker.ts: each state is left once, in order.
      expect(from[0]).toBe('requested');
      expect(new Set(from).size).toBe(from.length);
      expect(from.length).toBeGreaterThanOrEqual(4);
    }
    expect(steps.every((span) => span.attributes['ocx.enclave'] === 'genomics-enclave')).toBe(true);
    expect(steps.every((span) => span.status.code !== 2)).toBe(true);
  });

  it('a metering run is a span per meter, and the records it stored are counted', async () => {
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const exchange = createExchange({ store: createMemoryStore(), clock });
    const driver = createReferenceDriver({
      landlord: 'ref',
      service: 'cloud',
      clock,
      capabilities: ['tenancy', 'meters'],
    });
    await exchange.landlords.register({
      id: 'ref',
      name: 'Reference',
      organization: 'REF',
      services: [{ id: 'cloud', kind: 'compute', driver }],
    });
    await driver.tenancy?.ensureProject({ id: 'metered', name: 'Metered', organization: 'bu' });
    (driver.ext as ReferenceExtension).recordUsage({
      project: 'metered',
      user: 'alice',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '8',
      resource: 'server-1',
      start: '2026-11-01T01:00:00Z',
      end: '2026-11-01T03:00:00Z',
    });
    clock.set('2026-11-01T05:00:00Z');
    spans.reset();
    const result = await exchange.usage.collect({
      window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T04:00:00Z' },
    });
    const runs = spans.getFinishedSpans().filter((span) => span.name === 'ocx.meter.collect');
    expect(runs.length).toBe(result.meters.length);
    expect(runs.map((span) => span.attributes['ocx.meter']).sort()).toEqual(
      result.meters.map((meter) => meter.meter).sort(),
    );
    const counted = (await telemetry.points('ocx.usage.records.metered')).reduce(
      (sum, point) => sum + Number(point.value),
      0,
    );
    expect(result.inserted).toBeGreaterThan(0);
    expect(counted).toBe(result.inserted);
  });
});
