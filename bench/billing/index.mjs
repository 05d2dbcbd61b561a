/**
 * Bench `billing`: rate and aggregate a month of usage records (default 10M: ~14,000 resources ×
 * 720 hours, 3 landlords, 12 metrics, 1,000 projects, graduated tiers, a mid-month price change)
 * with `@ocx/billing`'s bulk path (`rateUsageColumns`), against DuckDB (`@duckdb/node-api`)
 * running the equivalent SQL with one thread (`SET threads=1`) on the same data, in DECIMAL(38,x).
 *
 * Both start from the data in memory (typed arrays for OCX, a DuckDB table loaded from the same
 * rows via CSV; loading is timed apart). Each timed run rates every record against the version
 * in force, sums per (landlord, project, metric, version), applies the prorated tiers and rounds
 * each tier line half-up to the cent. The result lines are compared one by one, to the cent.
 * Runs: OCX_BENCH_RUNS (default 5), the median is reported. OCX_BENCH_RECORDS sets N.
 *
 * Ends with: RESULT billing ocx_rps=… duckdb_rps=… ratio=… totals_equal=true|false
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generatePriceLists, generateUsage, PERIOD, writeCsv } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const billingDist = resolve(here, '../../packages/billing/dist/index.js');
const records = Number(process.env.OCX_BENCH_RECORDS ?? 10_000_000);
const runs = Number(process.env.OCX_BENCH_RUNS ?? 5);

if (!existsSync(billingDist)) {
  console.error('bench billing: packages/billing/dist is missing — run `pnpm build` (`pnpm bench` does).');
  process.exit(1);
}
const { parsePriceList, rateUsageColumns, billingPeriod } = await import(pathToFileURL(billingDist).href);
const { Decimal } = await import(pathToFileURL(resolve(here, '../../packages/core/dist/index.js')).href);
const { DuckDBInstance } = await import('@duckdb/node-api');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (value) => Math.round(value).toLocaleString('en-US');

console.log(`bench billing: ${records.toLocaleString('en-US')} records, ${runs} run(s) each, node ${process.version}`);
let started = performance.now();
const { columns, dictionaries, resources } = generateUsage(records);
const priceLists = generatePriceLists().map(parsePriceList);
console.log(
  `  generated ${resources.toLocaleString('en-US')} resources × 720 hours in ${format(performance.now() - started)} ms`,
);

// --- OCX ---------------------------------------------------------------------------------------------------------
const period = billingPeriod(PERIOD.id);
const rounding = { level: 'line', scale: 2, mode: 'half-up' };
const ocxTimes = [];
let ocx;
for (let run = 0; run < runs; run += 1) {
  started = performance.now();
  ocx = rateUsageColumns(columns, dictionaries, { period, priceLists, rounding });
  ocxTimes.push(performance.now() - started);
}
const ocxMs = median(ocxTimes);
console.log(
  `  ocx:    ${format(ocxMs)} ms (runs ${ocxTimes.map(format).join(', ')}), ${ocx.lines.length.toLocaleString('en-US')} lines, total USD ${ocx.totals[0]?.amount}`,
);

// --- DuckDB ------------------------------------------------------------------------------------------------------
const directory = mkdtempSync(join(tmpdir(), 'ocx-bench-billing-'));
const csv = join(directory, 'usage.csv');
try {
  started = performance.now();
  await writeCsv(columns, csv);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run('SET threads=1');
  await connection.run(
    'CREATE TABLE usage (landlord UTINYINT, project USMALLINT, metric UTINYINT, start_ms BIGINT, quantity_micros BIGINT)',
  );
  await connection.run(`COPY usage FROM '${csv}' (FORMAT csv, HEADER false)`);
  // The same price lists as tables: each version's range, and its tiers with thresholds prorated
  // to the share of the period the version covers (exactly what @ocx/billing does).
  await connection.run(
    'CREATE TABLE versions (landlord UTINYINT, metric UTINYINT, version VARCHAR, from_ms BIGINT, to_ms BIGINT)',
  );
  await connection.run(
    'CREATE TABLE tiers (landlord UTINYINT, metric UTINYINT, version VARCHAR, tier VARCHAR, lower DECIMAL(38,9), upper DECIMAL(38,9), unit_price DECIMAL(38,9))',
  );
  const periodStart = Date.parse(period.start);
  const periodEnd = Date.parse(period.end);
  const versionRows = [];
  const tierRows = [];
  priceLists.forEach((list, landlordIndex) => {
    list.versions.forEach((version, versionIndex) => {
      const from = Date.parse(version.effectiveFrom);
      const next = list.versions[versionIndex + 1];
      const to = next === undefined ? 8.64e15 : Date.parse(next.effectiveFrom);
      const covered = Math.min(to, periodEnd) - Math.max(from, periodStart);
      const prorate = (value) =>
        covered === periodEnd - periodStart
          ? Decimal.from(value)
          : Decimal.from(value)
              .multiply(Decimal.from(covered))
              .divide(Decimal.from(periodEnd - periodStart), 9, 'half-even');
      for (const rate of version.rates) {
        const metricIndex = dictionaries.metrics.indexOf(rate.metric);
        versionRows.push(`(${landlordIndex}, ${metricIndex}, '${version.version}', ${from}, ${to})`);
        let lower = Decimal.ZERO;
        rate.pricing.tiers.forEach((tier, tierIndex) => {
          const upper = tier.upTo === null ? null : prorate(tier.upTo);
          tierRows.push(
            `(${landlordIndex}, ${metricIndex}, '${version.version}', 'tier ${tierIndex + 1}', ${lower.toString()}, ${upper === null ? 'NULL' : upper.toString()}, ${tier.unitPrice})`,
          );
          if (upper !== null) lower = upper;
        });
      }
    });
  });
  await connection.run(`INSERT INTO versions VALUES ${versionRows.join(',')}`);
  await connection.run(`INSERT INTO tiers VALUES ${tierRows.join(',')}`);
  console.log(`  duckdb: loaded the same rows via CSV in ${format(performance.now() - started)} ms (not timed below)`);

  const RATE_SQL = `
    CREATE OR REPLACE TEMP TABLE rated AS
    WITH grouped AS (
      SELECT u.landlord, u.project, u.metric, v.version, CAST(SUM(u.quantity_micros) AS DECIMAL(38,0)) * 0.000001 AS quantity
      FROM usage u JOIN versions v
        ON u.landlord = v.landlord AND u.metric = v.metric AND u.start_ms >= v.from_ms AND u.start_ms < v.to_ms
      WHERE u.start_ms >= ${periodStart} AND u.start_ms < ${periodEnd}
      GROUP BY ALL
    )
    SELECT g.landlord, g.project, g.metric, g.version, t.tier,
           ROUND((LEAST(g.quantity, COALESCE(t.upper, g.quantity)) - t.lower) * t.unit_price, 2) AS amount
    FROM grouped g JOIN tiers t ON g.landlord = t.landlord AND g.metric = t.metric AND g.version = t.version
    WHERE g.quantity > t.lower`;
  const duckTimes = [];
  for (let run = 0; run < runs; run += 1) {
    started = performance.now();
    await connection.run(RATE_SQL);
    duckTimes.push(performance.now() - started);
  }
  const duckMs = median(duckTimes);
  const reader = await connection.runAndReadAll(
    'SELECT landlord, project, metric, version, tier, CAST(amount AS VARCHAR) AS amount FROM rated',
  );
  const duckLines = reader.getRows();
  const total = await connection.runAndReadAll('SELECT CAST(SUM(amount) AS VARCHAR) FROM rated');
  const duckTotal = total.getRows()[0][0];
  console.log(
    `  duckdb: ${format(duckMs)} ms (runs ${duckTimes.map(format).join(', ')}), ${duckLines.length.toLocaleString('en-US')} lines, total USD ${duckTotal}`,
  );

  // --- Compare, line by line, to the cent ------------------------------------------------------------------------
  const projectIndex = new Map(dictionaries.projects.map((project, index) => [project.id, index]));
  const ours = new Map(
    ocx.lines.map((line) => [
      [
        dictionaries.landlords.indexOf(line.landlord),
        projectIndex.get(line.project),
        dictionaries.metrics.indexOf(line.metric),
        line.priceListVersion,
        line.tier,
      ].join('|'),
      line.amount,
    ]),
  );
  let mismatches = 0;
  for (const [landlord, project, metric, version, tier, amount] of duckLines) {
    const key = [landlord, project, metric, version, tier].join('|');
    const mine = ours.get(key);
    if (mine === undefined || !Decimal.from(mine).equals(amount)) {
      if (mismatches < 5) console.log(`  mismatch ${key}: ocx ${mine} duckdb ${amount}`);
      mismatches += 1;
    }
  }
  const totalsEqual =
    mismatches === 0 &&
    ours.size === duckLines.length &&
    Decimal.from(ocx.totals[0]?.amount ?? '0').equals(duckTotal ?? '0');
  const ocxRps = records / (ocxMs / 1000);
  const duckRps = records / (duckMs / 1000);
  console.log(
    `  ocx ${format(ocxRps)} records/s, duckdb ${format(duckRps)} records/s (1 thread), ratio ${(ocxRps / duckRps).toFixed(2)}; lines equal: ${totalsEqual}`,
  );
  connection.closeSync?.();
  console.log(
    `RESULT billing ocx_rps=${Math.round(ocxRps)} duckdb_rps=${Math.round(duckRps)} ratio=${(ocxRps / duckRps).toFixed(2)} totals_equal=${totalsEqual} records=${records} lines=${ours.size}`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
