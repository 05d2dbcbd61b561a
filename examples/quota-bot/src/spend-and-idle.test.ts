import { ManualClock } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { IdleNotice, QuotaBotNotice } from './notice.js';
import { createQuotaBot, type QuotaBot } from './quota-bot.js';
import type { QuotaBotPolicy } from './quota-bot-options.js';
import { createSampleExchange, sampleEnclave } from './sample-exchange.js';

const HOUR = 3_600_000;
let bot: QuotaBot | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function setUp(policy: QuotaBotPolicy) {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const sample = await createSampleExchange({ clock });
  const notices: QuotaBotNotice[] = [];
  bot = createQuotaBot({ exchange: sample.exchange, policy, notify: (notice) => void notices.push(notice) });
  return { ...sample, clock, notices, bot };
}

const at = (hours: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + hours * HOUR).toISOString();

describe('spend limits', () => {
  it('warns near and over the monthly limit as usage is ingested, priced exactly from the catalog', async () => {
    const { exchange, drivers, clock, notices, bot } = await setUp({
      warnAtPercent: 80,
      spendLimits: { genomics: '100' },
    });
    bot.start();
    const cloud = drivers.cloud.ext!;
    // 5000 vCPU·h × 0.013 = 65.000 → 65 %.
    cloud.recordUsage({
      project: 'genomics',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '5000',
      resource: 'vm-1',
      start: at(0),
      end: at(24),
    });
    clock.set(at(24));
    await exchange.usage.collect({ window: { start: at(0), end: at(24) } });
    await bot.settled();
    expect(notices).toEqual([]);

    // +1200 vCPU·h (15.6) + 0.1 GB·h at 0.0021 (0.00021) = 80.60021 → 80.6 %.
    cloud.recordUsage({
      project: 'genomics',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '1200',
      resource: 'vm-1',
      start: at(24),
      end: at(48),
    });
    cloud.recordUsage({
      project: 'genomics',
      metric: 'ram-gb-hours',
      unit: 'GB·h',
      quantity: '0.1',
      resource: 'vm-1',
      start: at(24),
      end: at(25),
    });
    clock.set(at(48));
    await exchange.usage.collect({ window: { start: at(24), end: at(48) } });
    await bot.settled();
    expect(notices).toEqual([
      {
        kind: 'spend',
        level: 'near',
        project: 'genomics',
        spent: '80.60021',
        limit: '100',
        currency: 'USD',
        percent: '80.6',
        period: { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
        unpriced: [],
        time: at(48),
      },
    ]);

    // Collecting the same window again ingests duplicates only: no new notice.
    await exchange.usage.collect({ window: { start: at(24), end: at(48) } });
    await bot.settled();
    expect(notices).toHaveLength(1);

    cloud.recordUsage({
      project: 'genomics',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '1492.3077',
      resource: 'vm-2',
      start: at(48),
      end: at(49),
    });
    clock.set(at(49));
    await exchange.usage.collect({ window: { start: at(48), end: at(49) } });
    await bot.settled();
    // 80.60021 + 19.4000001 = 100.0002101 → over.
    expect(notices[1]).toMatchObject({ kind: 'spend', level: 'over', spent: '100.0002101', percent: '100.0' });
  });

  it('counts only this month and names usage it cannot price', async () => {
    const { exchange, drivers, clock, bot } = await setUp({
      spendLimits: { genomics: '10' },
      prices: [{ landlord: 'nerc', service: 'cloud', metric: 'vcpu-hours', unitPrice: '0.01' }],
    });
    const cloud = drivers.cloud.ext!;
    cloud.recordUsage({
      project: 'genomics',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '900',
      resource: 'vm-1',
      start: '2026-10-31T23:00:00Z',
      end: '2026-11-01T00:00:00Z',
    });
    cloud.recordUsage({
      project: 'genomics',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '850',
      resource: 'vm-1',
      start: at(0),
      end: at(1),
    });
    cloud.recordUsage({
      project: 'genomics',
      metric: 'ram-gb-hours',
      unit: 'GB·h',
      quantity: '3',
      resource: 'vm-1',
      start: at(0),
      end: at(1),
    });
    clock.set(at(2));
    await exchange.usage.collect({ window: { start: '2026-10-31T00:00:00Z', end: at(2) } });
    const report = await bot.checkSpend();
    // October's 900 is not November's; the override price (0.01) replaces the catalog's 0.013.
    expect(report.notices).toEqual([
      expect.objectContaining({ level: 'near', spent: '8.5063', percent: '85.1', unpriced: [] }),
    ]);
  });

  it('reports usage without a price in the policy currency as unpriced', async () => {
    const { exchange, drivers, clock, bot } = await setUp({
      spendLimits: { genomics: '1' },
      currency: 'EUR',
      prices: [{ landlord: 'nerc', service: 'cloud', metric: 'vcpu-hours', unitPrice: '0.01', currency: 'EUR' }],
    });
    drivers.cloud.ext!.recordUsage({
      project: 'genomics',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '100',
      resource: 'vm-1',
      start: at(0),
      end: at(1),
    });
    drivers.cloud.ext!.recordUsage({
      project: 'genomics',
      metric: 'ram-gb-hours',
      unit: 'GB·h',
      quantity: '100',
      resource: 'vm-1',
      start: at(0),
      end: at(1),
    });
    clock.set(at(1));
    await exchange.usage.collect({ window: { start: at(0), end: at(1) } });
    const report = await bot.checkSpend();
    expect(report.notices).toEqual([
      expect.objectContaining({ level: 'over', spent: '1', currency: 'EUR', unpriced: ['nerc/cloud/ram-gb-hours'] }),
    ]);
  });
});

describe('idle enclaves', () => {
  it('destroys an enclave whose project had no activity for the idle period (node-hours do not count)', async () => {
    const { exchange, drivers, clock, notices, bot } = await setUp({ idle: { after: 24, action: 'release' } });
    await exchange.enclaves.create(sampleEnclave('genomics', 3));
    clock.set(at(23));
    await exchange.usage.collect({ window: { start: at(0), end: at(23) } });
    expect((await bot.reclaimIdle()).notices).toEqual([]);

    clock.set(at(24));
    const report = await bot.reclaimIdle();
    expect(report.notices).toEqual([
      {
        kind: 'idle',
        project: 'genomics',
        enclave: 'genomics-enclave',
        scope: 'enclave',
        action: 'destroyed',
        nodes: ['node-003', 'node-002', 'node-001'],
        lastActivity: at(0),
        time: at(24),
      },
    ]);
    expect(notices).toEqual(report.notices);
    expect((await exchange.enclaves.get('genomics-enclave')).status).toBe('released');
    expect([...drivers.metal.ext!.state.nodes.values()].filter((node) => node.project !== null)).toEqual([]);
    const destroy = await exchange.audit.query({ action: 'enclave.destroy' });
    expect(destroy.map((entry) => entry.actor)).toEqual([{ kind: 'system', id: 'quota-bot' }]);
    expect(await exchange.audit.query({ action: 'quota-bot.idle', actor: 'quota-bot' })).toHaveLength(1);
  });

  it('with action warn, warns once per idle spell and reclaims nothing', async () => {
    const { exchange, drivers, clock, bot } = await setUp({ idle: { after: 24, action: 'warn' } });
    await exchange.enclaves.create(sampleEnclave('genomics', 2));
    clock.set(at(30));
    expect((await bot.reclaimIdle()).notices).toEqual([
      expect.objectContaining({ scope: 'enclave', action: 'warned', nodes: ['node-002', 'node-001'] }),
    ]);
    expect((await bot.reclaimIdle()).notices).toEqual([]);
    expect((await exchange.enclaves.get('genomics-enclave')).status).toBe('ready');

    // Activity on one node: the enclave is busy again, the other node is idle on its own.
    drivers.metal.ext!.recordUsage({
      project: 'genomics',
      metric: 'node-cpu-hours',
      unit: 'core·h',
      quantity: '4',
      resource: 'node-001',
      start: at(29),
      end: at(30),
    });
    await exchange.usage.collect({ window: { start: at(29), end: at(30) } });
    expect((await bot.reclaimIdle()).notices).toEqual([
      expect.objectContaining({ scope: 'nodes', action: 'warned', nodes: ['node-002'] }),
    ]);
    clock.set(at(60));
    expect((await bot.reclaimIdle()).notices).toEqual([
      expect.objectContaining({ scope: 'enclave', action: 'warned', lastActivity: at(30) }),
    ]);
  });

  it('shrinks only idle nodes that shrink would pick, keeping minNodes', async () => {
    const { exchange, drivers, clock, bot } = await setUp({ idle: { after: 24, action: 'release', minNodes: 1 } });
    await exchange.enclaves.create(sampleEnclave('genomics', 4));
    const metal = drivers.metal.ext!;
    // Shrink releases the latest-joined first; all joined together, so by name descending: 004, 003, 002, 001.
    // node-002 is busy: 004 and 003 may go; 001 is idle too but behind the busy node, so only warned.
    metal.recordUsage({
      project: 'genomics',
      metric: 'node-cpu-hours',
      unit: 'core·h',
      quantity: '8',
      resource: 'node-002',
      start: at(47),
      end: at(48),
    });
    clock.set(at(48));
    await exchange.usage.collect({ window: { start: at(0), end: at(48) } });
    const report = await bot.reclaimIdle();
    expect(report.notices).toEqual([
      expect.objectContaining({ scope: 'nodes', action: 'shrunk', nodes: ['node-004', 'node-003'] }),
      expect.objectContaining({ scope: 'nodes', action: 'warned', nodes: ['node-001'] }),
    ]);
    const enclave = await exchange.enclaves.get('genomics-enclave');
    expect(enclave.nodes.filter((node) => node.state === 'joined').map((node) => node.node)).toEqual([
      'node-001',
      'node-002',
    ]);
    expect(metal.state.nodes.get('node-002')?.project).toBe('genomics');
    expect(metal.state.nodes.get('node-004')?.project).toBeNull();
    expect((await exchange.audit.query({ action: 'enclave.shrink' })).map((entry) => entry.actor.id)).toEqual([
      'quota-bot',
    ]);
  });

  it('never shrinks below minNodes', async () => {
    const { exchange, drivers, clock, bot } = await setUp({ idle: { after: 24, action: 'release', minNodes: 2 } });
    await exchange.enclaves.create(sampleEnclave('genomics', 2));
    // Busy on a cloud VM, so the project is active; both nodes are idle.
    drivers.cloud.ext!.recordUsage({
      project: 'genomics',
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: '2',
      resource: 'vm-1',
      start: at(47),
      end: at(48),
    });
    clock.set(at(48));
    await exchange.usage.collect({ window: { start: at(47), end: at(48) } });
    const report = await bot.reclaimIdle();
    expect(report.notices).toEqual([
      expect.objectContaining({ scope: 'nodes', action: 'warned', nodes: ['node-002', 'node-001'] }),
    ]);
    expect(
      (await exchange.enclaves.get('genomics-enclave')).nodes.filter((node) => node.state === 'joined'),
    ).toHaveLength(2);
  });

  it('reports a destroy the hardware refused as failed, audited as a failure', async () => {
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    let refuse = true;
    const { exchange, drivers } = await createSampleExchange({
      clock,
      wrap: (driver) => {
        const hardware = driver.hardware;
        if (hardware === undefined) return driver;
        return {
          ...driver,
          hardware: {
            ...hardware,
            release: (input, options) =>
              refuse ? Promise.reject(new Error('HIL is down')) : hardware.release(input, options),
          },
        };
      },
    });
    const notices: QuotaBotNotice[] = [];
    bot = createQuotaBot({
      exchange,
      policy: { idle: { after: 1, action: 'release' } },
      notify: (notice) => void notices.push(notice),
    });
    await exchange.enclaves.create(sampleEnclave('genomics', 2));
    clock.set(at(2));
    const report = await bot.reclaimIdle();
    const notice = report.notices[0] as IdleNotice;
    expect(notice).toMatchObject({ action: 'failed', scope: 'enclave' });
    expect(notice.error).toMatch(/releasing/);
    expect((await exchange.audit.query({ action: 'quota-bot.idle' }))[0]?.outcome).toBe('failure');
    // Nothing leaked: once HIL is back, the exchange's own resume finishes the release.
    refuse = false;
    await exchange.enclaves.resume();
    expect([...drivers.metal.ext!.state.nodes.values()].filter((node) => node.project !== null)).toEqual([]);
  });
});
