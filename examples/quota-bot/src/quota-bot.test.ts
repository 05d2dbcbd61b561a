import { ManualClock, OcxError } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { QuotaBotNotice } from './notice.js';
import { createQuotaBot, type QuotaBot } from './quota-bot.js';
import { createSampleExchange, sampleEnclave } from './sample-exchange.js';

const HOUR = 3_600_000;
let bot: QuotaBot | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function setUp(policy: Parameters<typeof createQuotaBot>[0]['policy'] = { warnAtPercent: 80 }) {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const sample = await createSampleExchange({ clock });
  const notices: QuotaBotNotice[] = [];
  bot = createQuotaBot({ exchange: sample.exchange, policy, notify: (notice) => void notices.push(notice) });
  return { ...sample, clock, notices, bot };
}

describe('createQuotaBot options', () => {
  it('refuses a bad policy with the field path and starts nothing', async () => {
    const { exchange } = await createSampleExchange({ clock: new ManualClock() });
    const attempt = (policy: unknown) => {
      try {
        createQuotaBot({ exchange, policy: policy as never, notify: () => {} });
      } catch (error) {
        expect(OcxError.is(error)).toBe(true);
        return (error as OcxError).issues?.map((issue) => issue.path);
      }
      return 'accepted';
    };
    expect(attempt({ warnAtPercent: 150 })).toEqual(['policy.warnAtPercent']);
    expect(attempt({ spendLimits: { genomics: 12.5 } })).toEqual(['policy.spendLimits.genomics']);
    expect(attempt({ idle: { after: 24, action: 'delete' } })).toEqual(['policy.idle.action']);
    expect(attempt({ warnAtPercent: 80, surprise: true })).toEqual(['policy']);
    expect(attempt({ warnAtPercent: '80.5' })).toBe('accepted');
    expect(exchange.events.listenerCount('quota.changed')).toBe(0);
  });
});

describe('quota warnings from events', () => {
  it('warns once near the quota and once over it as an enclave grows', async () => {
    const { exchange, notices, bot } = await setUp();
    bot.start();
    const [subscription] = await exchange.onboarding.signUp({
      project: 'genomics',
      services: [{ landlord: 'hw', service: 'metal', quotas: { nodes: '5' } }],
    });
    expect(subscription?.status).toBe('active');
    await bot.settled();
    expect(notices).toEqual([]);

    await exchange.enclaves.create(sampleEnclave('genomics', 4));
    await bot.settled();
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'quota',
        level: 'near',
        project: 'genomics',
        landlord: 'hw',
        service: 'metal',
        resource: 'nodes',
        inUse: '4',
        limit: '5',
        percent: '80.0',
      }),
    ]);

    await exchange.enclaves.grow('genomics-enclave', 1);
    await bot.settled();
    // quota.check emits quota.breached too: still one notice for the rise to `over`.
    expect(notices.map((notice) => `${notice.kind}:${'level' in notice ? notice.level : ''}`)).toEqual([
      'quota:near',
      'quota:over',
    ]);
    expect(notices[1]).toMatchObject({ inUse: '5', limit: '5', percent: '100.0' });

    const audit = await exchange.audit.query({ actor: 'quota-bot', action: 'quota-bot.quota' });
    expect(audit).toHaveLength(2);
    expect(audit[0]?.actor).toEqual({ kind: 'system', id: 'quota-bot' });
    expect(audit[0]?.target).toEqual({ type: 'project', id: 'genomics' });
  });

  it('warns again after the limit was raised and the project climbed back', async () => {
    const { exchange, notices, bot } = await setUp();
    bot.start();
    await exchange.onboarding.signUp({
      project: 'genomics',
      services: [{ landlord: 'hw', service: 'metal', quotas: { nodes: '4' } }],
    });
    await exchange.enclaves.create(sampleEnclave('genomics', 4));
    await bot.settled();
    expect(notices.map((notice) => 'level' in notice && notice.level)).toEqual(['over']);

    await exchange.quotas.set({
      landlord: 'hw',
      service: 'metal',
      scope: { kind: 'project', id: 'genomics' },
      limits: { nodes: '10' },
    });
    await bot.settled();
    expect(notices).toHaveLength(1);
    await exchange.quotas.set({
      landlord: 'hw',
      service: 'metal',
      scope: { kind: 'project', id: 'genomics' },
      limits: { nodes: '5' },
    });
    await bot.settled();
    expect(notices.map((notice) => 'level' in notice && notice.level)).toEqual(['over', 'near']);
  });

  it('does nothing after stop()', async () => {
    const { exchange, notices, bot } = await setUp();
    bot.start();
    await exchange.onboarding.signUp({
      project: 'genomics',
      services: [{ landlord: 'hw', service: 'metal', quotas: { nodes: '4' } }],
    });
    await bot.stop();
    await exchange.enclaves.create(sampleEnclave('genomics', 4));
    await bot.settled();
    expect(notices).toEqual([]);
    expect(exchange.events.listenerCount('enclave.node')).toBe(0);
  });

  it('sweeps on its interval of the exchange clock', async () => {
    const { exchange, clock, notices, bot } = await setUp();
    await exchange.onboarding.signUp({
      project: 'genomics',
      services: [{ landlord: 'hw', service: 'metal', quotas: { nodes: '4' } }],
    });
    await exchange.enclaves.create(sampleEnclave('genomics', 4));
    bot.start({ intervalMs: HOUR });
    await bot.settled();
    expect(notices).toEqual([]);
    clock.advance(HOUR);
    await new Promise((resolve) => setImmediate(resolve));
    await bot.settled();
    expect(notices).toEqual([expect.objectContaining({ kind: 'quota', level: 'over' })]);
    expect(() => createQuotaBot({ exchange, policy: {}, notify: () => {} }).start({ intervalMs: -1 })).toThrow(
      /intervalMs/,
    );
  });
});

describe('faults', () => {
  it('a failing quota provider loses no warning and leaks no credential', async () => {
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    let failing = true;
    const logLines: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warn: (message: string, fields?: object) => void logLines.push(message + JSON.stringify(fields)),
      error() {},
    };
    const sample = await createSampleExchange({
      clock,
      logger,
      wrap: (driver) => {
        if (driver.quotas === undefined || driver.tenancy === undefined || driver.hardware === undefined) return driver;
        const quotas = driver.quotas;
        return {
          ...driver,
          quotas: {
            resources: quotas.resources,
            setQuotas: (project, limits, options) => quotas.setQuotas(project, limits, options),
            getQuotas: (project, options) =>
              failing
                ? Promise.reject(
                    new OcxError({
                      code: 'timeout',
                      message: 'HIL timed out; password hw-s3cret-hil-password',
                      retryable: true,
                    }),
                  )
                : quotas.getQuotas(project, options),
          },
        };
      },
    });
    const { exchange } = sample;
    const notices: QuotaBotNotice[] = [];
    bot = createQuotaBot({ exchange, policy: {}, notify: (notice) => void notices.push(notice) });
    await exchange.onboarding.signUp({
      project: 'genomics',
      services: [{ landlord: 'hw', service: 'metal', quotas: { nodes: '4' } }],
    });
    await exchange.enclaves.create(sampleEnclave('genomics', 4));

    const failed = await bot.checkQuotas();
    expect(failed.notices).toEqual([]);
    expect(failed.failures).toEqual([
      { what: 'quotas of genomics in hw/metal', error: expect.stringContaining('timeout') },
    ]);
    expect(JSON.stringify(failed)).not.toContain('hw-s3cret-hil-password');
    // Through events too: a fault during an event-driven check is logged, redacted.
    bot.start();
    await exchange.enclaves.grow('genomics-enclave', 1);
    await bot.settled();
    await bot.stop();
    expect(logLines.some((line) => line.includes('timeout'))).toBe(true);
    expect(logLines.join('\n')).not.toContain('hw-s3cret-hil-password');
    expect(JSON.stringify(await exchange.audit.query())).not.toContain('hw-s3cret-hil-password');
    expect(notices).toEqual([]);

    failing = false;
    const recovered = await bot.checkQuotas();
    expect(recovered.failures).toEqual([]);
    expect(recovered.notices).toEqual([expect.objectContaining({ kind: 'quota', level: 'over', resource: 'nodes' })]);
    expect(notices).toHaveLength(1);
  });

  it('a throwing notify callback is logged and does not stop the bot', async () => {
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const { exchange } = await createSampleExchange({ clock });
    let calls = 0;
    bot = createQuotaBot({
      exchange,
      policy: {},
      notify: () => {
        calls += 1;
        throw new Error('mail server down');
      },
    });
    await exchange.onboarding.signUp({
      project: 'genomics',
      services: [{ landlord: 'hw', service: 'metal', quotas: { nodes: '4' } }],
    });
    await exchange.enclaves.create(sampleEnclave('genomics', 4));
    const report = await bot.sweep();
    expect(calls).toBe(1);
    expect(report.notices).toHaveLength(1);
    expect(await exchange.audit.query({ action: 'quota-bot.quota' })).toHaveLength(1);
  });
});
