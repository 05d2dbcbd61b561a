/**
 * Bench `stores`: usage ingestion into the durable stores (issue #8).
 *
 * For each store: ingest N usage-record-shaped JSON values (keys `source\0id`, like the usage ledger's) with
 * `insertMany` in batches of B, and report records per second (time spent in insertMany only; building the
 * records is excluded). Then ingest the same N again: every record must come back as a duplicate, nothing may be
 * inserted, and the store must still hold exactly N records (counted by streaming `list`).
 *
 * - SQLite: a fresh file in the OS temp dir, default options (WAL, synchronous=FULL: every batch is fsynced).
 * - PostgreSQL: only when OCX_PG_URL is set (e.g. `export $(bash scripts/services/postgres.sh env)`), in a fresh
 *   schema that is dropped afterwards.
 * - Peer: core's memory store (a Map), on min(N, OCX_BENCH_MEMORY_RECORDS = 200,000) records, because holding a
 *   million cloned records in the heap would take gigabytes; its rate is per record, so the ratio still compares.
 *
 * Environment: OCX_BENCH_STORES_RECORDS (N, default 1,000,000), OCX_BENCH_STORES_BATCH (B, default 5,000).
 * Needs `pnpm build` (imports packages/*\/dist). Ends with:
 *   RESULT stores sqlite_rps=… postgres_rps=… reingest_inserted=0 memory_rps=… …
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packages = resolve(here, '../../packages');
const TOTAL = Number(process.env.OCX_BENCH_STORES_RECORDS ?? 1_000_000);
const BATCH = Number(process.env.OCX_BENCH_STORES_BATCH ?? 5_000);
const MEMORY_TOTAL = Math.min(TOTAL, Number(process.env.OCX_BENCH_MEMORY_RECORDS ?? 200_000));

for (const name of ['core', 'store-sqlite', 'store-postgres']) {
  if (!existsSync(join(packages, name, 'dist/index.js'))) {
    console.error(`bench stores: packages/${name}/dist is missing — run \`pnpm build\` (\`pnpm bench\` does).`);
    process.exit(1);
  }
}
const { createMemoryStore } = await import(join(packages, 'core/dist/index.js'));
const { createSqliteStore } = await import(join(packages, 'store-sqlite/dist/index.js'));
const { createPostgresStore } = await import(join(packages, 'store-postgres/dist/index.js'));

/** Record `index`, shaped like an OCX UsageRecord; deterministic so both passes send identical data. */
function usageItem(index) {
  const source = `ocx://landlord-${index % 7}/compute`;
  const id = `srv-${index % 997}/${String(index).padStart(9, '0')}`;
  const hour = String(index % 24).padStart(2, '0');
  return {
    key: `${source}\u0000${id}`,
    value: {
      specversion: '1.0',
      type: 'ocx.usage.v1',
      id,
      source,
      time: `2026-11-01T${hour}:00:05Z`,
      subject: { organization: `org-${index % 13}`, project: `project-${index % 101}`, user: `user-${index % 1009}` },
      landlord: `landlord-${index % 7}`,
      service: 'compute',
      resource: { id: `srv-${index % 997}`, type: 'server' },
      metric: 'vcpu-hours',
      unit: 'vCPU·h',
      quantity: `${index % 64}.${String(index % 1000).padStart(3, '0')}`,
      window: { start: `2026-11-01T${hour}:00:00Z`, end: `2026-11-01T${hour}:59:59Z` },
    },
  };
}

/** Ingest `total` records in batches; the time counted is the time spent inside insertMany. */
async function ingest(store, total) {
  let inserted = 0;
  let duplicates = 0;
  let busyMs = 0;
  for (let start = 0; start < total; start += BATCH) {
    const items = [];
    for (let index = start; index < Math.min(total, start + BATCH); index += 1) items.push(usageItem(index));
    const started = performance.now();
    const result = await store.insertMany('usage', items);
    busyMs += performance.now() - started;
    inserted += result.inserted.length;
    duplicates += result.duplicates.length;
  }
  return { inserted, duplicates, busyMs, rps: total / (busyMs / 1000) };
}

async function count(store) {
  let total = 0;
  for await (const _ of store.list('usage')) total += 1;
  return total;
}

const round = (value) => Math.round(value);
const problems = [];

/** Both passes on one store; records anything that is not exactly right in `problems`. */
async function run(label, store, total) {
  const first = await ingest(store, total);
  console.log(
    `${label}: ingested ${first.inserted.toLocaleString('en')} records in ${(first.busyMs / 1000).toFixed(1)} s → ${round(first.rps).toLocaleString('en')} records/s`,
  );
  if (first.inserted !== total || first.duplicates !== 0)
    problems.push(`${label}: first pass inserted ${first.inserted}, duplicates ${first.duplicates}`);
  const second = await ingest(store, total);
  const stored = await count(store);
  console.log(
    `${label}: re-ingested the same ${total.toLocaleString('en')}: inserted ${second.inserted}, duplicates ${second.duplicates.toLocaleString('en')}, ` +
      `${round(second.rps).toLocaleString('en')} records/s; store holds ${stored.toLocaleString('en')}`,
  );
  if (second.inserted !== 0 || second.duplicates !== total || stored !== total) {
    problems.push(`${label}: re-ingest inserted ${second.inserted}, duplicates ${second.duplicates}, stored ${stored}`);
  }
  return { rps: first.rps, reingestRps: second.rps, reingestInserted: second.inserted };
}

console.log(
  `stores: ${TOTAL.toLocaleString('en')} usage records in batches of ${BATCH.toLocaleString('en')}; Node ${process.version}`,
);

const memoryStore = createMemoryStore();
const memory = await run(`memory (peer, ${MEMORY_TOTAL.toLocaleString('en')} records)`, memoryStore, MEMORY_TOTAL);
await memoryStore.close();

const directory = mkdtempSync(join(tmpdir(), 'ocx-bench-stores-'));
const sqliteStore = createSqliteStore({ path: join(directory, 'bench.db'), pageSize: 5_000 });
const sqlite = await run('sqlite', sqliteStore, TOTAL);
await sqliteStore.close();
const sqliteBytes = statSync(join(directory, 'bench.db')).size;
console.log(`sqlite: file ${(sqliteBytes / 1024 / 1024).toFixed(0)} MiB (${round(sqliteBytes / TOTAL)} bytes/record)`);
rmSync(directory, { recursive: true, force: true });

let postgres;
if (process.env.OCX_PG_URL) {
  const schema = `ocx_bench_${process.pid}`;
  const store = createPostgresStore({ connectionString: process.env.OCX_PG_URL, schema, pageSize: 5_000 });
  try {
    postgres = await run('postgres', store, TOTAL);
  } finally {
    await store.close();
    const pg = createRequire(join(packages, 'store-postgres/package.json'))('pg');
    const client = new pg.Client({ connectionString: process.env.OCX_PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
} else {
  console.log(
    'postgres: skipped — OCX_PG_URL is not set (start one: bash scripts/services/postgres.sh start; export $(bash scripts/services/postgres.sh env))',
  );
}

const figures = {
  sqlite_rps: round(sqlite.rps),
  postgres_rps: postgres === undefined ? 'skipped' : round(postgres.rps),
  reingest_inserted: sqlite.reingestInserted + (postgres?.reingestInserted ?? 0),
  memory_rps: round(memory.rps),
  sqlite_vs_memory: Number((sqlite.rps / memory.rps).toFixed(3)),
  postgres_vs_memory: postgres === undefined ? 'skipped' : Number((postgres.rps / memory.rps).toFixed(3)),
  sqlite_reingest_rps: round(sqlite.reingestRps),
  postgres_reingest_rps: postgres === undefined ? 'skipped' : round(postgres.reingestRps),
  records: TOTAL,
  batch: BATCH,
};
if (problems.length > 0) {
  for (const problem of problems) console.error(`bench stores: WRONG: ${problem}`);
  process.exitCode = 1;
}
console.log(
  `RESULT stores ${Object.entries(figures)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}`,
);
