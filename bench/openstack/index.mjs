/**
 * Bench `openstack`: collect compute usage (vCPU-hours and RAM GB-hours per server) through
 * `@ocx/driver-openstack`'s compute meter for N = 1,000 … 10,000 servers, served page by page
 * (Nova microversion 2.40 paging, 1,000 servers a page) by a loopback server replaying the real
 * response shapes of Keystone and Nova.
 *
 * Figures per N: requests the driver made (token, project directory, version document, usage
 * pages), wall time of the collection, and the peak RSS of the collecting process (a fresh
 * process per N). The goal is a flat peak RSS: the meter streams, so memory does not grow with N.
 * Each run is checked: 2 records per server, and the vCPU-hours add up to Σ vCPUs × 1 h.
 *
 * Environment: OCX_BENCH_SIZES (1000,2500,5000,10000), OCX_BENCH_PROJECTS (10).
 * Imports the built package (packages/driver-openstack/dist): run `pnpm build` first.
 * Ends with: RESULT openstack requests_10000=… wall_ms_10000=… peak_rss_mb_1000=… peak_rss_mb_10000=…
 */
import { execFile, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const distEntry = resolve(here, '../../packages/driver-openstack/dist/index.js');
if (!existsSync(distEntry)) {
  console.error('bench openstack: packages/driver-openstack/dist is missing — run `pnpm build` (`pnpm bench` does).');
  process.exit(1);
}
const SIZES = (process.env.OCX_BENCH_SIZES ?? '1000,2500,5000,10000').split(',').map(Number);
const PROJECTS = Number(process.env.OCX_BENCH_PROJECTS ?? 10);
const round = (value, digits = 1) => Number(value.toFixed(digits));

const server = fork(join(here, 'server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ask = (message, key) =>
  new Promise((resolvePromise) => {
    const onMessage = (answer) => {
      if (answer[key] === undefined) return;
      server.off('message', onMessage);
      resolvePromise(answer[key]);
    };
    server.on('message', onMessage);
    server.send(message);
  });

const { url } = await ask({ start: { projects: PROJECTS } }, 'ready');
const results = [];
for (const servers of SIZES) {
  await ask({ reset: { servers } }, 'resetDone');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(here, 'collect.mjs'), distEntry, url, String(servers)],
    { maxBuffer: 1 << 20 },
  );
  const run = JSON.parse(stdout.trim().split('\n').at(-1));
  const { requests } = await ask({ reset: { servers: 0 } }, 'resetDone');
  let expectedVcpuHours = 0;
  for (let index = 0; index < servers; index += 1) expectedVcpuHours += 1 + (index % 8);
  if (run.records !== 2 * servers || run.vcpuHours !== String(expectedVcpuHours)) {
    console.error(
      `bench openstack: wrong result for N=${servers}: ${run.records} records, ${run.vcpuHours} vCPU-h (expected ${2 * servers}, ${expectedVcpuHours})`,
    );
    process.exitCode = 1;
  }
  results.push({ ...run, requests });
  console.log(
    `N=${String(servers).padStart(6)}  requests=${String(requests).padStart(3)}  records=${String(run.records).padStart(6)}  wall=${round(run.wallMs, 0)} ms  peak RSS=${round(run.peakRssMb)} MB  (${round((run.wallMs / servers) * 1000, 1)} µs/server)`,
  );
}
server.send({ stop: true });

const first = results[0];
const last = results.at(-1);
console.log(
  `peak RSS ${round(first.peakRssMb)} MB at N=${first.servers} → ${round(last.peakRssMb)} MB at N=${last.servers} (×${round(last.peakRssMb / first.peakRssMb, 2)} for ×${last.servers / first.servers} servers)`,
);
console.log(
  `RESULT openstack requests_${last.servers}=${last.requests} wall_ms_${last.servers}=${round(last.wallMs, 0)} peak_rss_mb_${first.servers}=${round(first.peakRssMb)} peak_rss_mb_${last.servers}=${round(last.peakRssMb)}`,
);
