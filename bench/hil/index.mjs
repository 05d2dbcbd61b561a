/**
 * Bench `hil`: lend 1,000 nodes through `@ocx/driver-hil` and give them back, against the HIL
 * simulator with a latency injected into every call (HIL's and OBMd's alike).
 *
 * Per node, concurrently (at most OCX_BENCH_CONCURRENCY nodes in flight, default 100):
 * allocate → attach its NIC to the project's network (waiting on the networking action) →
 * release (power off → detach the network, waited on → OBM off → detach from the project).
 *
 * Figures:
 * - wall time, and its ratio to the ideal: the calls HIL's protocol puts on one node's critical
 *   path × latency × nodes ÷ concurrency. The protocol's minimum for this flow is 12 latencies:
 *   connect_node, connect_network, one status poll, OBM on (HIL → OBMd token: 2), power_off
 *   (307 + OBMd: 2), detach_network, one poll, OBM off (HIL → OBMd: 2), detach_node.
 * - requests actually sent per node (HIL + OBMd), for how far the driver is from that minimum;
 * - peak RSS of this process (the SDK; the simulators run in a child process), in MB;
 * - CPU time per node of each process: unlike wall time, hardly affected by other load on the machine.
 * - the simulators' final state is checked: every node free, OBM off, no network, nothing pending.
 *
 * Environment: OCX_BENCH_NODES (1000), OCX_BENCH_LATENCY_MS (20), OCX_BENCH_CONCURRENCY (100).
 * Imports the built packages (packages/*\/dist): run `pnpm build` first (`pnpm bench` does).
 * Ends with: RESULT hil wall_ratio=… peak_rss_mb=…
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const distEntry = resolve(here, '../../packages/driver-hil/dist/index.js');
if (!existsSync(distEntry)) {
  console.error('bench hil: packages/driver-hil/dist is missing — run `pnpm build` (`pnpm bench` does).');
  process.exit(1);
}
const { createHilDriver } = await import(distEntry);

const NODES = Number(process.env.OCX_BENCH_NODES ?? 1000);
const LATENCY_MS = Number(process.env.OCX_BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = Number(process.env.OCX_BENCH_CONCURRENCY ?? 100);
const CRITICAL_PATH_CALLS = 12;
const PASSWORD = 'bench-password-not-secret';
const round = (value, digits = 2) => Number(value.toFixed(digits));

const child = fork(join(here, 'simulators.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ask = (message, key) =>
  new Promise((resolvePromise) => {
    const onMessage = (answer) => {
      if (answer[key] === undefined) return;
      child.off('message', onMessage);
      resolvePromise(answer[key]);
    };
    child.on('message', onMessage);
    child.send(message);
  });

const { url, obmdUrl } = await ask(
  { start: { nodes: NODES, latencyMs: LATENCY_MS, actionDelayMs: 0, password: PASSWORD } },
  'ready',
);
const driver = createHilDriver({
  endpoint: url,
  obmdOrigins: [obmdUrl],
  auth: { username: 'bench', password: PASSWORD },
  // The simulator applies actions at once; a short first poll finds them DONE.
  actionPollMs: 1,
  actionMaxPollMs: 50,
  timeoutMs: 30_000,
});
const pool = driver.hardware;

await pool.ensureProject('bench');
await pool.createNetwork({ project: 'bench', network: 'bench-net' });
const nodes = await pool.listFreeNodes();
if (nodes.length !== NODES) throw new Error(`expected ${NODES} free nodes, got ${nodes.length}`);
await ask('reset-counts', 'reset');

/** One node's whole life: lent, networked, returned. */
async function cycle(node) {
  await pool.allocate({ project: 'bench', node });
  await pool.attachNetwork({ node, nic: 'eth0', network: 'bench-net' });
  const result = await pool.release({ project: 'bench', node });
  if (result.pool !== 'free') throw new Error(`${node} went to ${result.pool}`);
}

const started = performance.now();
const cpuAtStart = process.cpuUsage();
let nextIndex = 0;
const failures = [];
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, NODES) }, async () => {
    while (nextIndex < nodes.length) {
      const node = nodes[nextIndex++];
      await cycle(node).catch((error) => failures.push(`${node}: ${error.message}`));
    }
  }),
);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuAtStart);
const sdkCpuMs = (cpu.user + cpu.system) / 1000;
const stats = await ask('stats', 'stats');
await pool.deleteNetwork({ network: 'bench-net' });
await driver.dispose();
child.send('close');

const idealMs = (CRITICAL_PATH_CALLS * LATENCY_MS * NODES) / Math.min(CONCURRENCY, NODES);
const ratio = wallMs / idealMs;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const perNode = (stats.hilRequests + stats.obmdRequests) / NODES;

console.log(`bench hil: ${NODES} nodes, ${LATENCY_MS} ms latency per call, concurrency ${CONCURRENCY}`);
console.log(
  `  wall ${round(wallMs / 1000)} s; ideal ${round(idealMs / 1000)} s (${CRITICAL_PATH_CALLS} calls × ${LATENCY_MS} ms × ${NODES} ÷ ${Math.min(CONCURRENCY, NODES)}); ratio ${round(ratio)}`,
);
console.log(
  `  requests: HIL ${stats.hilRequests}, OBMd ${stats.obmdRequests} (${round(perNode, 1)} per node; the protocol minimum is ${CRITICAL_PATH_CALLS}, HIL→OBMd hops included)`,
);
console.log(
  `  CPU time: SDK ${round(sdkCpuMs / NODES, 2)} ms per node, simulators ${round(stats.cpuMs / NODES, 2)} ms per node (machine load average ${round(loadavg()[0], 1)} on ${availableParallelism()} cores)`,
);
console.log(`  peak RSS: SDK process ${round(peakRssMb, 1)} MB; simulators process ${round(stats.peakRssMb, 1)} MB`);
console.log(
  `  final state: ${stats.free}/${NODES} free, ${stats.obmEnabled} with OBM on, ${stats.attached} attached, ${stats.pendingActions} actions pending; ${failures.length} failures`,
);
if (
  failures.length > 0 ||
  stats.free !== NODES ||
  stats.obmEnabled > 0 ||
  stats.attached > 0 ||
  stats.pendingActions > 0
) {
  console.error(`bench hil: nodes were lost or left dirty:\n${failures.slice(0, 10).join('\n')}`);
  process.exit(1);
}
console.log(`RESULT hil wall_ratio=${round(ratio)} peak_rss_mb=${round(peakRssMb, 1)}`);
