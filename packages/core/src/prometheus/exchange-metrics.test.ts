import { describe, expect, it } from 'vitest';
import { createBackends, enclaveRequest, exchangeOver } from '../enclave/__tests__/harness.js';
import { exchangeMetrics } from './index.js';

/** The sample lines of one metric in the exposition text, as `labels value`. */
function samples(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => line.slice(name.length).trim());
}

describe('exchangeMetrics (Prometheus exposition)', () => {
  it('shows enclave nodes by state, quota limits, usage by metric and the last collection per meter', async () => {
    const backends = createBackends();
    const exchange = await exchangeOver(backends);
    const registry = exchangeMetrics(exchange, { usageCacheMs: 0 });
    await exchange.enclaves.create(enclaveRequest('genomics', 2));
    await exchange.quotas.set({
      landlord: 'hw',
      service: 'hil',
      scope: { kind: 'project', id: 'genomics' },
      limits: { nodes: '4', 'network-ports': null },
    });
    await exchange.usage.ingest([
      {
        id: 'r1',
        source: 'ocx://hw/hil',
        time: '2026-11-01T02:00:00Z',
        subject: { organization: 'bu', project: 'genomics', user: 'alice' },
        landlord: 'hw',
        service: 'hil',
        resource: { id: 'node-001', type: 'node' },
        metric: 'node-hours',
        unit: 'node·h',
        quantity: '1.5',
        window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' },
      },
    ]);
    const text = await registry.metrics();
    expect(samples(text, 'ocx_enclave_nodes')).toEqual([
      '{enclave="genomics-enclave",project="genomics",state="joined"} 2',
    ]);
    expect(samples(text, 'ocx_enclaves')).toEqual(['{status="ready"} 1']);
    expect(samples(text, 'ocx_quota_limit').sort()).toEqual([
      '{scope_kind="project",scope="genomics",landlord="hw",service="hil",resource="network-ports"} +Inf',
      '{scope_kind="project",scope="genomics",landlord="hw",service="hil",resource="nodes"} 4',
    ]);
    expect(samples(text, 'ocx_usage_quantity')).toEqual(['{landlord="hw",service="hil",metric="node-hours"} 1.5']);
    expect(samples(text, 'ocx_usage_records_ingested_total')).toEqual(['1']);
    expect(text).not.toContain('alice');
  });

  it('a usage scan is reused within usageCacheMs', async () => {
    const exchange = await exchangeOver(createBackends());
    const registry = exchangeMetrics(exchange, { usageCacheMs: 3_600_000 });
    expect(samples(await registry.metrics(), 'ocx_usage_quantity')).toEqual([]);
    await exchange.usage.ingest([
      {
        id: 'r2',
        source: 'ocx://hw/hil',
        time: '2026-11-01T02:00:00Z',
        subject: { organization: 'bu', project: 'genomics' },
        landlord: 'hw',
        service: 'hil',
        resource: { id: 'node-002', type: 'node' },
        metric: 'node-hours',
        unit: 'node·h',
        quantity: '2',
        window: { start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' },
      },
    ]);
    const text = await registry.metrics();
    expect(samples(text, 'ocx_usage_quantity')).toEqual([]);
    expect(samples(text, 'ocx_usage_records_ingested_total')).toEqual(['1']);
  });
});
