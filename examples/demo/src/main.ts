/**
 * The OCX demo: the whole exchange in one process, on embedded defaults — simulators for HIL,
 * M2 and Keylime, reference landlords for cloud and storage, an in-process store.
 * Run it with `npx -y pnpm@10.34.8 demo` from the repository root.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExchange, ManualClock, OcxError } from '@ocx/core';
import { createSqliteStore } from '@ocx/store-sqlite';
import { bold, dim, eventSummary, green, heading, red } from './console.js';
import { demoLandlords } from './landlords.js';
import { showAudit } from './steps/audit.js';
import { billLikeNerc } from './steps/bill-like-nerc.js';
import { billTheMonth } from './steps/billing.js';
import { showCatalog } from './steps/catalog.js';
import { runEnclave } from './steps/enclave.js';
import { offboard } from './steps/offboarding.js';
import { onboard } from './steps/onboarding.js';
import { showOperations } from './steps/operations.js';
import { realServices } from './steps/real-services.js';
import { signIn, startIdentityProvider } from './steps/sign-in.js';
import { showSplitStorage } from './steps/split-storage.js';
import { showTrustBoundaries } from './steps/trust-boundaries.js';
import { meterTheMonth, recordCloudUsage } from './steps/usage.js';
import { startSimulators } from './world.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'out');
const QUIET_EVENTS = new Set([
  'audit.recorded',
  'usage.ingested',
  'enclave.node',
  'subscription.changed',
  'quota.changed',
  'enclave.status',
]);

async function main(): Promise<void> {
  const started = Date.now();
  const clock = new ManualClock('2026-11-01T00:00:00Z');
  const simulators = await startSimulators();
  const idp = await startIdentityProvider();
  // The embedded default store: one SQLite file, made afresh for each run of the demo.
  mkdirSync(OUT, { recursive: true });
  const database = join(OUT, 'ocx-demo.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
  const exchange = createExchange({ store: createSqliteStore({ path: database }), clock, name: 'OCX demo' });
  try {
    exchange.events.onAny((name, payload) => {
      if (QUIET_EVENTS.has(String(name))) return;
      process.stdout.write(`  ${dim('event')} ${bold(String(name))} ${dim(eventSummary(payload))}\n`);
    });

    heading('1. Landlords join the exchange');
    for (const landlord of demoLandlords(clock, simulators))
      await exchange.landlords.register(landlord, { actor: { kind: 'admin', id: 'exchange-ops' } });
    try {
      await exchange.landlords.register({ id: 'bu', name: 'Impostor', organization: 'Nobody' });
    } catch (error) {
      if (!OcxError.is(error)) throw error;
      process.stdout.write(`  ${red('refused')} a second landlord "bu": ${error.code} — ${error.message}\n`);
    }

    showCatalog(exchange);
    await signIn(exchange, idp);
    await onboard(exchange);
    recordCloudUsage(exchange);
    await runEnclave(exchange, simulators, clock);
    clock.set('2026-12-01T00:00:00Z');
    const records = await meterTheMonth(exchange);
    const bill = await billTheMonth(exchange, clock, records);
    billLikeNerc();
    await showOperations(exchange);
    await showSplitStorage();
    await realServices();
    await showTrustBoundaries();
    await offboard(exchange, simulators, idp);
    await showAudit(exchange);
    process.stdout.write(
      `\n${green('Done')} in ${((Date.now() - started) / 1000).toFixed(1)} s. The exchange's state: ${database}\nThe bill: ${bold(bill)}\n`,
    );
  } finally {
    await exchange.close();
    await simulators.close();
    await idp.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${OcxError.is(error) ? JSON.stringify(error.toJSON(), null, 2) : error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
