/**
 * The quota bot at work on a sample exchange, in simulated time: run `pnpm --filter
 * @ocx/example-quota-bot start`. A project fills its node quota, spends towards its monthly
 * limit, and leaves its enclave idle; the bot warns, then reclaims.
 */
import { ManualClock } from '@ocx/core';
import type { QuotaBotNotice } from './notice.js';
import { createQuotaBot } from './quota-bot.js';
import { createSampleExchange, sampleEnclave } from './sample-exchange.js';

const HOUR = 3_600_000;

function describeNotice(notice: QuotaBotNotice): string {
  switch (notice.kind) {
    case 'quota':
      return `${notice.level.toUpperCase()} quota: ${notice.project} uses ${notice.inUse} of ${notice.limit} ${notice.resource} in ${notice.landlord}/${notice.service} (${notice.percent} %)`;
    case 'spend':
      return `${notice.level.toUpperCase()} spend: ${notice.project} spent ${notice.spent} of ${notice.limit} ${notice.currency} this month (${notice.percent} %)`;
    case 'idle':
      return `IDLE ${notice.scope}: ${notice.enclave} (${notice.nodes.join(', ')}) idle since ${notice.lastActivity} → ${notice.action}`;
  }
}

async function main(): Promise<void> {
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const { exchange, drivers } = await createSampleExchange({ clock });
  const bot = createQuotaBot({
    exchange,
    policy: { warnAtPercent: 80, spendLimits: { genomics: '150' }, idle: { after: 24, action: 'release' } },
    notify: (notice) => console.log(`  [${clock.now().toISOString()}] ${describeNotice(notice)}`),
  });
  bot.start({ intervalMs: HOUR });
  const step = async (title: string, action: () => Promise<unknown>): Promise<void> => {
    console.log(title);
    await action();
    await bot.settled();
  };
  const advance = async (hours: number): Promise<void> => {
    for (let hour = 0; hour < hours; hour += 1) {
      const start = clock.now().toISOString();
      clock.advance(HOUR);
      await exchange.usage.collect({ window: { start, end: clock.now().toISOString() } });
      await new Promise((resolve) => setImmediate(resolve));
      await bot.settled();
    }
  };

  await step('genomics signs up for 5 nodes of bare metal and a cloud', () =>
    exchange.onboarding.signUp({
      project: 'genomics',
      services: [
        { landlord: 'hw', service: 'metal', quotas: { nodes: '5' } },
        { landlord: 'nerc', service: 'cloud' },
      ],
    }),
  );
  await step('an enclave of 4 nodes is built', () => exchange.enclaves.create(sampleEnclave('genomics', 4)));
  await step('it grows by one node', () => exchange.enclaves.grow('genomics-enclave', 1));
  console.log('a day of cloud work (vCPU-hours at 0.013 USD), then nothing for two days');
  drivers.cloud.ext!.recordUsage({
    project: 'genomics',
    metric: 'vcpu-hours',
    unit: 'vCPU·h',
    quantity: '6000',
    resource: 'vm-1',
    start: '2026-11-01T00:00:00Z',
    end: '2026-11-02T00:00:00Z',
  });
  await advance(72);
  const enclave = await exchange.enclaves.get('genomics-enclave');
  console.log(
    `enclave ${enclave.id} is ${enclave.status}; free nodes: ${(await drivers.metal.hardware!.listFreeNodes()).length} of 6`,
  );
  console.log(
    `audit entries by quota-bot: ${(await exchange.audit.query({ actor: 'quota-bot' })).map((entry) => entry.action).join(', ')}`,
  );
  await bot.stop();
  await exchange.close();
}

await main();
