/**
 * The DuckDB peer of bench billing-nerc: NERC's OpenStack billing rules (the 2024-03 price list) in
 * one SQL statement over Nova instance actions, with window functions, one thread, exact integers
 * and DECIMALs (no floating point anywhere).
 *
 *   1. states — per instance, ordered by timestamp: a row's `entered` state is `error` when its result
 *      is 'error' (whatever the event), else running (create|start|unshelve), stopped (stop), shelved
 *      (shelve|shelveOffload), deleted (delete), or NULL for every other event (suspend, resume, pause,
 *      unpause, reboot, resize, confirmResize, revertResize: no change). The state of the interval
 *      starting at a row is `last_value(entered IGNORE NULLS)` over the rows so far — so an error
 *      lasts until the next successful state-changing row, and before the first state-changing row
 *      the state is NULL ("none", unbilled). A successful delete is terminal: rows after the first
 *      one (a running count of successful deletes over the preceding rows > 0) are dropped.
 *   2. billed states — running, and stopped (NERC's "charge for stopped instances" is true for 2024-03).
 *   3. billed ms — each row's interval is [t, lead(t)) (the last one ends at the period end), clamped
 *      to [period start, period end); summed per instance over the billed states.
 *   4. outage credit — per window, the billed ms of the instance inside [window start, window end)
 *      (the same clamp), subtracted one window after the other, floored at 0 after each.
 *   5. hours — ceil(ms / 3,600,000) in integers: (ms + 3,599,999) // 3,600,000, once per instance.
 *   6. SUs — from the instance's last row before the period end: gpus > 0 → gpus SUs of the type given
 *      by lower(gpu_type) (a100 → GPUA100, a100-sxm4 → GPUA100SXM4, v100 → GPUV100, k80 → GPUK80);
 *      else CPU, floor(max(vcpus / 1, ram_mb / 4096)) = greatest(vcpus // 1, ram_mb // 4096).
 *   7. rows — per (project, SU type): su_hours = Σ hours × SUs; cost = ROUND(su_hours × rate, 2)
 *      (DuckDB rounds DECIMALs half away from zero: half-up for these non-negative amounts); rows whose
 *      su_hours is 0 are dropped.
 *
 * Use as a module (`nercSql`, `runDuckdbPeer`) or as a child process:
 *   node duckdb-peer.mjs <actions.csv> <out.json> [runs] [instance ids, comma-separated]
 * which writes { rows, actions, instances, csvTimes, memoryTimes, loadMs, maxRssMb, … } to out.json.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OUTAGES, PERIOD } from './generate.mjs';

export const RATES = [
  ['CPU', '0.013'],
  ['GPUA100', '1.803'],
  ['GPUA100SXM4', '2.078'],
  ['GPUV100', '1.214'],
  ['GPUK80', '0.463'],
];
/** NERC's invoice order of SU types within a project. */
export const SU_ORDER = ['CPU', 'GPUA100SXM4', 'GPUA100', 'GPUV100', 'GPUK80', 'GPUA2'];

const ms = (iso) => Date.parse(iso);

/** read_csv of the neutral CSV with explicit column types (no sniffing). */
export function readCsvSql(path) {
  const quoted = path.replaceAll("'", "''");
  return `read_csv('${quoted}', header = true, delim = ',', quote = '"', auto_detect = false, columns = {
    'project': 'VARCHAR', 'instance_id': 'VARCHAR', 'flavor': 'VARCHAR', 'vcpus': 'INTEGER', 'ram_mb': 'INTEGER',
    'gpus': 'INTEGER', 'gpu_type': 'VARCHAR', 'event': 'VARCHAR', 'result': 'VARCHAR', 'timestamp': 'TIMESTAMP'})`;
}

/** The CTEs up to `charged` (one row per instance: project, su_type, sus, hours) over `source`. */
function nercCtes(source, { period = PERIOD, outages = OUTAGES, chargeStopped = true } = {}) {
  const ps = ms(period.start);
  const pe = ms(period.end);
  const billedStates = chargeStopped ? "('running', 'stopped')" : "('running')";
  const windows = outages.map((outage) => [ms(outage.start), ms(outage.end)]);
  const credits = windows
    .map(
      ([from, to], index) =>
        `SUM(CASE WHEN billed THEN GREATEST(0, LEAST(t_next, ${pe}, ${to}) - GREATEST(t, ${ps}, ${from})) ELSE 0 END) AS outage${index}_ms`,
    )
    .join(',\n        ');
  // Subtract each window's credit in turn, flooring at 0 after each.
  let afterCredit = 'billed_ms';
  windows.forEach((_, index) => {
    afterCredit = `GREATEST(0, ${afterCredit} - outage${index}_ms)`;
  });
  const rates = RATES.map(([type, rate]) => `('${type}', CAST('${rate}' AS DECIMAL(12,3)))`).join(', ');
  return `
    WITH src AS (
      SELECT project, instance_id, vcpus, ram_mb, gpus, gpu_type, epoch_ms("timestamp") AS t,
        CASE
          WHEN result = 'error' THEN 'error'
          WHEN event IN ('create', 'start', 'unshelve') THEN 'running'
          WHEN event = 'stop' THEN 'stopped'
          WHEN event IN ('shelve', 'shelveOffload') THEN 'shelved'
          WHEN event = 'delete' THEN 'deleted'
        END AS entered
      FROM ${source}
    ),
    timeline AS (
      SELECT *,
        LAST_VALUE(entered IGNORE NULLS) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS state,
        LEAD(t, 1, ${pe}) OVER w AS t_next,
        COALESCE(SUM(CASE WHEN entered = 'deleted' THEN 1 ELSE 0 END)
          OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS deletes_before
      FROM src
      WINDOW w AS (PARTITION BY instance_id ORDER BY t)
    ),
    live AS (
      SELECT *, COALESCE(state IN ${billedStates}, false) AS billed FROM timeline WHERE deletes_before = 0
    ),
    per_instance AS (
      SELECT instance_id,
        ARG_MAX(project, t) FILTER (WHERE t < ${pe}) AS project,
        ARG_MAX(vcpus, t) FILTER (WHERE t < ${pe}) AS vcpus,
        ARG_MAX(ram_mb, t) FILTER (WHERE t < ${pe}) AS ram_mb,
        ARG_MAX(gpus, t) FILTER (WHERE t < ${pe}) AS gpus,
        ARG_MAX(gpu_type, t) FILTER (WHERE t < ${pe}) AS gpu_type,
        SUM(CASE WHEN billed THEN GREATEST(0, LEAST(t_next, ${pe}) - GREATEST(t, ${ps})) ELSE 0 END) AS billed_ms${credits ? `,\n        ${credits}` : ''}
      FROM live
      GROUP BY instance_id
    ),
    charged AS (
      SELECT instance_id, project,
        CASE WHEN gpus > 0 THEN
          CASE lower(gpu_type) WHEN 'a100' THEN 'GPUA100' WHEN 'a100-sxm4' THEN 'GPUA100SXM4'
            WHEN 'v100' THEN 'GPUV100' WHEN 'k80' THEN 'GPUK80' END
        ELSE 'CPU' END AS su_type,
        CASE WHEN gpus > 0 THEN gpus ELSE GREATEST(vcpus // 1, ram_mb // 4096) END AS sus,
        CAST((${afterCredit} + 3599999) // 3600000 AS BIGINT) AS hours
      FROM per_instance
      WHERE project IS NOT NULL
    ),
    rates(su_type, rate) AS (VALUES ${rates})`;
}

/** The whole invoice as one SELECT over `source` (a table name or a read_csv(…) call). */
export function nercSql(source, options) {
  return `${nercCtes(source, options)}
    SELECT project, su_type, CAST(su_hours AS VARCHAR) AS su_hours, CAST(rate AS VARCHAR) AS rate,
      CAST(ROUND(su_hours * rate, 2) AS VARCHAR) AS cost
    FROM (
      SELECT project, su_type, CAST(SUM(hours * sus) AS DECIMAL(38,0)) AS su_hours
      FROM charged GROUP BY project, su_type
    ) JOIN rates USING (su_type)
    WHERE su_hours > 0
    ORDER BY project, su_type`;
}

/**
 * Per instance (to check single timelines, or to explain a differing row): instance_id, project, su_type,
 * sus, hours, su_hours of the instances with one of `instanceIds` or in one of `projects`.
 */
export function nercInstanceSql(source, { instanceIds = [], projects = [] }, options) {
  const list = (values) => values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ') || 'NULL';
  return `${nercCtes(source, options)}
    SELECT instance_id, project, su_type, sus, hours, hours * sus AS su_hours FROM charged
    WHERE instance_id IN (${list(instanceIds)}) OR project IN (${list(projects)})
    ORDER BY project, instance_id`;
}

/** Run nercInstanceSql on an open connection and return plain objects. */
export async function instanceCharges(connection, source, filter) {
  const reader = await connection.runAndReadAll(nercInstanceSql(source, filter));
  return reader.getRows().map(([instanceId, project, suType, sus, hours, suHours]) => ({
    instanceId,
    project,
    suType,
    sus: Number(sus),
    hours: Number(hours),
    suHours: Number(suHours),
  }));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Time the SQL `runs` times straight from the CSV (read_csv + SQL), then load the CSV into a table once
 * (timed apart) and time the SQL from that table. Returns the rows of the last CSV run.
 */
export async function runDuckdbPeer({ csv, runs = 3, memory = true, instanceIds = [] }) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run('SET threads=1');
  const toRows = (reader) =>
    reader.getRows().map(([project, suType, suHours, rate, cost]) => ({ project, suType, suHours, rate, cost }));
  const csvTimes = [];
  let rows;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const reader = await connection.runAndReadAll(nercSql(readCsvSql(csv)));
    rows = toRows(reader);
    csvTimes.push(performance.now() - started);
  }
  let loadMs;
  const memoryTimes = [];
  let memoryRows;
  if (memory) {
    let started = performance.now();
    await connection.run(`CREATE OR REPLACE TABLE actions AS SELECT * FROM ${readCsvSql(csv)}`);
    loadMs = performance.now() - started;
    for (let run = 0; run < runs; run += 1) {
      started = performance.now();
      memoryRows = toRows(await connection.runAndReadAll(nercSql('actions')));
      memoryTimes.push(performance.now() - started);
    }
  }
  const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${readCsvSql(csv)}`);
  const actions = Number(counted.getRows()[0][0]);
  const instances = instanceIds.length > 0 ? await instanceCharges(connection, readCsvSql(csv), { instanceIds }) : [];
  connection.closeSync?.();
  const memoryEqual = memoryRows === undefined || JSON.stringify(memoryRows) === JSON.stringify(rows);
  return {
    rows,
    actions,
    instances,
    csvTimes,
    memoryTimes,
    loadMs,
    memoryEqual,
    csvMs: median(csvTimes),
    memoryMs: memory ? median(memoryTimes) : undefined,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [csv, out, runs = process.env.OCX_BENCH_RUNS ?? '3', ids = ''] = process.argv.slice(2);
  if (!csv || !out) {
    console.error('usage: node duckdb-peer.mjs <actions.csv> <out.json> [runs]');
    process.exit(2);
  }
  const result = await runDuckdbPeer({ csv, runs: Number(runs), instanceIds: ids.split(',').filter(Boolean) });
  result.maxRssMb = process.resourceUsage().maxRSS / 1024;
  writeFileSync(out, JSON.stringify(result));
}
