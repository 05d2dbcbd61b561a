/**
 * Bench `billing-nerc`: bill a month of Nova instance actions the way NERC does (CCI-MOC's
 * openstack-billing-from-db with the nerc-rates price list for 2024-03) through `@ocx/billing`'s
 * neutral path — `parseInstanceActionsCsv` + `rateInstanceActions({ priceList: nercPriceList(), … })`
 * — against DuckDB (`@duckdb/node-api`, one thread) running the same rules as one windowed SQL
 * statement over the same CSV (duckdb-peer.mjs). Default: 50,000 instances, ≈ 1M actions, 2,000
 * projects, two outage windows of "NERC OpenStack" (generate.mjs).
 *
 * Timed, each OCX_BENCH_RUNS times (default 3), the median reported:
 *   - OCX: read the CSV file + parseInstanceActionsCsv + rateInstanceActions → invoice rows, in a child
 *     process of its own (so its peak RSS is clean); the parse and the rating are also timed apart
 *     (the rating alone is the "from memory" figure);
 *   - DuckDB: read_csv of the same file + the SQL → rows (also in a child process); then the file
 *     loaded once into a table (timed apart) and the SQL from the table ("from memory").
 * The invoice rows (project, SU type, SU-hours, rate, cost) are compared one by one; a difference is
 * printed with the instances behind it. The hand-made timelines of generate.mjs (EDGE_CASES) are
 * checked on both sides against the SU-hours derived in their comments.
 *
 * Ends with: RESULT billing-nerc ocx_aps=… duckdb_aps=… ratio=… rows_equal=true|false ocx_peak_rss_mb=… …
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EDGE_CASES, generateActions, OUTAGES, PERIOD, writeCsv } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const billingDist = resolve(here, '../../packages/billing/dist/index.js');
const coreDist = resolve(here, '../../packages/core/dist/index.js');
const REQUIRED = ['nercPriceList', 'parseInstanceActionsCsv', 'rateInstanceActions', 'billingPeriod'];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (value) => Math.round(value).toLocaleString('en-US');
const mb = (kb) => kb / 1024;

async function loadBilling() {
  if (!existsSync(billingDist)) {
    throw new Error(
      'packages/billing/dist is missing — run `npx -y pnpm@10.34.8 --filter @ocx/billing build` (`pnpm bench` builds everything).',
    );
  }
  const billing = await import(pathToFileURL(billingDist).href);
  const missing = REQUIRED.filter((name) => typeof billing[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(
      `@ocx/billing does not export ${missing.join(', ')} yet (packages/billing/dist/index.js) — the neutral instance-action path is not built; rebuild @ocx/billing once it lands.`,
    );
  }
  return billing;
}

// --- OCX child: `node index.mjs --ocx-child <csv> <out.json> <runs>` ------------------------------------------------
async function ocxChild([csv, out, runsText]) {
  const runs = Number(runsText);
  const billing = await loadBilling();
  const priceList = billing.nercPriceList();
  const period = billing.billingPeriod(PERIOD.id);
  const times = [];
  const readTimes = [];
  const parseTimes = [];
  const rateTimes = [];
  let rssFirstKb;
  let result;
  let actions = 0;
  for (let run = 0; run < runs; run += 1) {
    result = undefined; // let the previous run's rows go before the next one
    const started = performance.now();
    const text = readFileSync(csv, 'utf8');
    const readAt = performance.now();
    const parsed = billing.parseInstanceActionsCsv(text);
    const parsedAt = performance.now();
    result = billing.rateInstanceActions({ priceList, period, actions: parsed, outages: OUTAGES });
    const ended = performance.now();
    actions = parsed.length;
    times.push(ended - started);
    readTimes.push(readAt - started);
    parseTimes.push(parsedAt - readAt);
    rateTimes.push(ended - parsedAt);
    if (run === 0) rssFirstKb = process.resourceUsage().maxRSS;
  }
  writeFileSync(
    out,
    JSON.stringify({
      actions,
      times,
      readTimes,
      parseTimes,
      rateTimes,
      rssFirstMb: mb(rssFirstKb),
      rssMb: mb(process.resourceUsage().maxRSS),
      total: result.total,
      rows: result.rows.map(({ project, suType, suHours, rate, cost }) => ({ project, suType, suHours, rate, cost })),
      instances: result.instances.map((charge) => [
        charge.instanceId,
        charge.project,
        charge.suType,
        charge.serviceUnits,
        charge.hours,
        charge.suHours,
        charge.usedSeconds,
        charge.creditedSeconds,
      ]),
    }),
  );
}

function runChild(args, what) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: here, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${what} failed (${signal ? `signal ${signal}` : `exit ${code}`})`));
    });
  });
}

async function main() {
  const instancesWanted = Number(process.env.OCX_BENCH_INSTANCES ?? 50_000);
  const runs = Number(process.env.OCX_BENCH_RUNS ?? 3);
  try {
    await loadBilling(); // fail before generating anything when the OCX side is not there
  } catch (error) {
    console.error(`bench billing-nerc: ${error.message}`);
    process.exit(1);
  }
  const { Decimal } = await import(pathToFileURL(coreDist).href);

  console.log(
    `bench billing-nerc: ${instancesWanted.toLocaleString('en-US')} instances, period ${PERIOD.id}, ${runs} run(s) each, node ${process.version}`,
  );
  let started = performance.now();
  const { rows, edgeInstances, projects } = generateActions(instancesWanted);
  const periodStart = Date.parse(PERIOD.start);
  const periodEnd = Date.parse(PERIOD.end);
  let before = 0;
  let after = 0;
  let errors = 0;
  for (const row of rows) {
    const at = row.timestamp.getTime();
    if (at < periodStart) before += 1;
    else if (at >= periodEnd) after += 1;
    if (row.result === 'error') errors += 1;
  }
  console.log(
    `  generated ${rows.length.toLocaleString('en-US')} actions (${format(before)} before the period, ${format(after)} after it, ${format(errors)} errors) over ${projects.toLocaleString('en-US')} projects in ${format(performance.now() - started)} ms`,
  );

  const directory = mkdtempSync(join(tmpdir(), 'ocx-bench-billing-nerc-'));
  const csv = join(directory, 'actions.csv');
  try {
    started = performance.now();
    await writeCsv(rows, csv);
    console.log(`  wrote ${csv} in ${format(performance.now() - started)} ms`);

    // --- OCX (child process) -------------------------------------------------------------------------------------
    const ocxOut = join(directory, 'ocx.json');
    await runChild([fileURLToPath(import.meta.url), '--ocx-child', csv, ocxOut, String(runs)], 'the OCX run');
    const ocx = JSON.parse(readFileSync(ocxOut, 'utf8'));
    const ocxMs = median(ocx.times);
    const ocxRateMs = median(ocx.rateTimes);
    console.log(
      `  ocx:    ${format(ocxMs)} ms (runs ${ocx.times.map(format).join(', ')}) = read ${format(median(ocx.readTimes))} + parse ${format(median(ocx.parseTimes))} + rate ${format(ocxRateMs)}; ${ocx.rows.length.toLocaleString('en-US')} rows, total USD ${ocx.total}; peak RSS ${format(ocx.rssFirstMb)} MB after run 1 (${format(ocx.rssMb)} MB after all)`,
    );

    // --- DuckDB (child process) ----------------------------------------------------------------------------------
    const duckOut = join(directory, 'duckdb.json');
    await runChild(
      [
        join(here, 'duckdb-peer.mjs'),
        csv,
        duckOut,
        String(runs),
        edgeInstances.map((instance) => instance.instanceId).join(','),
      ],
      'the DuckDB run',
    );
    const duck = JSON.parse(readFileSync(duckOut, 'utf8'));
    const duckTotal = duck.rows.reduce((sum, row) => sum.add(row.cost), Decimal.ZERO);
    console.log(
      `  duckdb: ${format(duck.csvMs)} ms (runs ${duck.csvTimes.map(format).join(', ')}) read_csv + SQL; from a table ${format(duck.memoryMs)} ms (load ${format(duck.loadMs)} ms, not timed); ${duck.rows.length.toLocaleString('en-US')} rows, total USD ${duckTotal.toString()}; peak RSS ${format(duck.maxRssMb)} MB`,
    );
    if (!duck.memoryEqual) console.log('  duckdb: WARNING the rows from the table differ from the rows from read_csv');

    // --- Compare, row by row ---------------------------------------------------------------------------------------
    const key = (row) => `${row.project}\u0000${row.suType}`;
    const same = (a, b) => a !== undefined && b !== undefined && Decimal.from(a).equals(b);
    const ocxRows = new Map(ocx.rows.map((row) => [key(row), row]));
    const duckRows = new Map(duck.rows.map((row) => [key(row), row]));
    const differences = [];
    for (const [k, d] of duckRows) {
      const o = ocxRows.get(k);
      if (!o || !same(o.suHours, d.suHours) || !same(o.cost, d.cost) || !same(o.rate, d.rate)) {
        differences.push({ project: d.project, suType: d.suType, duckdb: d, ocx: o });
      }
    }
    for (const [k, o] of ocxRows) {
      if (!duckRows.has(k)) differences.push({ project: o.project, suType: o.suType, duckdb: undefined, ocx: o });
    }
    const rowsEqual =
      differences.length === 0 &&
      ocxRows.size === ocx.rows.length &&
      duckRows.size === duck.rows.length &&
      Decimal.from(ocx.total).equals(duckTotal);
    const show = (row) => (row ? `${row.suHours} SU-h × ${row.rate} = ${row.cost}` : 'no row');
    console.log(
      `  rows: ocx ${ocx.rows.length}, duckdb ${duck.rows.length}, ${differences.length} differ; totals ocx ${ocx.total} duckdb ${duckTotal.toString()}`,
    );
    for (const difference of differences.slice(0, 10)) {
      console.log(
        `  differs ${difference.project} / ${difference.suType}: ocx ${show(difference.ocx)}; duckdb ${show(difference.duckdb)}`,
      );
    }

    // The instances behind the first differences: DuckDB's per-instance figures next to OCX's charges.
    const ocxCharges = new Map(ocx.instances.map((charge) => [charge[0], charge]));
    if (differences.length > 0) {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const { instanceCharges, readCsvSql } = await import('./duckdb-peer.mjs');
      const database = await DuckDBInstance.create(':memory:', { threads: '1' });
      const connection = await database.connect();
      const wanted = differences.slice(0, 3);
      const charges = await instanceCharges(connection, readCsvSql(csv), {
        projects: wanted.map((difference) => difference.project),
      });
      connection.closeSync?.();
      const rowsOf = new Map();
      for (const row of rows) {
        const list = rowsOf.get(row.instanceId);
        if (list) list.push(row);
        else rowsOf.set(row.instanceId, [row]);
      }
      let shown = 0;
      for (const charge of charges) {
        if (!wanted.some((d) => d.project === charge.project && d.suType === charge.suType)) continue;
        const mine = ocxCharges.get(charge.instanceId);
        if (mine !== undefined && Number(mine[5]) === charge.suHours && mine[2] === charge.suType) continue;
        if (mine === undefined && charge.suHours === 0) continue;
        shown += 1;
        if (shown > 3) break;
        console.log(
          `  instance ${charge.instanceId} (${charge.project}): duckdb ${charge.hours} h × ${charge.sus} ${charge.suType} = ${charge.suHours}; ocx ${mine ? `${mine[4]} h × ${mine[3]} ${mine[2]} = ${mine[5]} (used ${mine[6]} s, credited ${mine[7]} s)` : 'no charge'}`,
        );
        for (const row of rowsOf.get(charge.instanceId) ?? []) {
          console.log(
            `      ${row.timestamp.toISOString()} ${row.event} ${row.result} ${row.flavor} ${row.vcpus}/${row.ramMb}/${row.gpus}${row.gpuType ? ` ${row.gpuType}` : ''}`,
          );
        }
      }
    }

    // --- The hand-made timelines, on both sides ---------------------------------------------------------------------
    const duckCharges = new Map(duck.instances.map((charge) => [charge.instanceId, charge]));
    let edgeOk = true;
    edgeInstances.forEach((instance, index) => {
      const d = duckCharges.get(instance.instanceId)?.suHours ?? 0;
      const o = Number(ocxCharges.get(instance.instanceId)?.[5] ?? 0);
      if (d !== instance.suHours || o !== instance.suHours) {
        edgeOk = false;
        console.log(
          `  edge case ${index + 1} (${instance.flavor}, ${instance.instanceId}): expected ${instance.suHours} SU-h, ocx ${o}, duckdb ${d}`,
        );
      }
    });
    console.log(
      `  edge cases: ${edgeInstances.length} hand-made timelines ${edgeOk ? 'billed as derived' : 'NOT all billed as derived'} on both sides (of ${EDGE_CASES.length})`,
    );

    const actions = rows.length;
    if (ocx.actions !== actions || duck.actions !== actions) {
      console.log(`  WARNING: actions read: ocx ${ocx.actions}, duckdb ${duck.actions}, generated ${actions}`);
    }
    const ocxAps = actions / (ocxMs / 1000);
    const duckAps = actions / (duck.csvMs / 1000);
    const ocxMemAps = actions / (ocxRateMs / 1000);
    const duckMemAps = actions / (duck.memoryMs / 1000);
    console.log(
      `  ocx ${format(ocxAps)} actions/s, duckdb ${format(duckAps)} actions/s (1 thread), ratio ${(ocxAps / duckAps).toFixed(2)}; from memory ocx ${format(ocxMemAps)}, duckdb ${format(duckMemAps)} actions/s, ratio ${(ocxMemAps / duckMemAps).toFixed(2)}; rows equal: ${rowsEqual}`,
    );
    console.log(
      `RESULT billing-nerc ocx_aps=${Math.round(ocxAps)} duckdb_aps=${Math.round(duckAps)} ratio=${(ocxAps / duckAps).toFixed(2)} rows_equal=${rowsEqual} ocx_peak_rss_mb=${Math.round(ocx.rssFirstMb)} duckdb_peak_rss_mb=${Math.round(duck.maxRssMb)} ocx_mem_aps=${Math.round(ocxMemAps)} duckdb_mem_aps=${Math.round(duckMemAps)} edge_cases_ok=${edgeOk} actions=${actions} instances=${instancesWanted} rows=${ocx.rows.length}`,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--ocx-child') {
  try {
    await ocxChild(process.argv.slice(3));
  } catch (error) {
    console.error(`bench billing-nerc (ocx): ${error.stack ?? error}`);
    process.exit(1);
  }
} else {
  await main();
}
