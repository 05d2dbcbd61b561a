import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import { SPECIFICATION_VERSION } from '../spec/driver.js';
import { runMeterConformance } from '../testing/conformance/meter.js';
import { createBackends, enclaveRequest, exchangeOver } from './__tests__/harness.js';

async function meteredExchange() {
  const backends = createBackends();
  const exchange = await exchangeOver(backends);
  await exchange.enclaves.create(enclaveRequest('genomics', 3));
  backends.clock.set('2026-11-01T01:30:00Z');
  await exchange.enclaves.shrink('genomics-enclave', 1);
  backends.clock.set('2026-11-01T05:00:00Z');
  return { backends, exchange };
}

runMeterConformance({
  name: 'enclave node-hours',
  window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T04:00:00Z' },
  setup: async () => {
    const { exchange } = await meteredExchange();
    const meter = exchange.enclaves.meter();
    return {
      driver: {
        specificationVersion: SPECIFICATION_VERSION,
        name: 'exchange-enclaves',
        capabilities: { meters: { metrics: [...meter.metrics] } },
        meters: [meter],
        health: async () => ({ ok: true, checks: {} }),
        dispose: async () => undefined,
      },
    };
  },
});

describe('enclave node-hours', () => {
  it('bills each node to the project and the landlord that lent it', async () => {
    const { exchange } = await meteredExchange();
    const records = [];
    for await (const record of exchange.enclaves
      .meter()
      .collect({ start: '2026-11-01T00:00:00Z', end: '2026-11-01T04:00:00Z' }))
      records.push(record);
    const total = Decimal.sum(records.map((record) => record.quantity));
    // Two nodes for four hours and one for an hour and a half.
    expect(total.toString()).toBe('9.5');
    expect(new Set(records.map((record) => `${record.landlord}/${record.subject.project}`))).toEqual(
      new Set(['hw/genomics']),
    );
    const ingested = await exchange.usage.ingest(records);
    expect(ingested.inserted).toBe(records.length);
    expect((await exchange.usage.ingest(records)).inserted).toBe(0);
  });
});
