#!/usr/bin/env node
/**
 * The bare-metal benchmark (issue #3): allocate, network, provision and release N nodes through the
 * HIL and M2 drivers against the HIL and M2 simulators, with a fixed latency injected into every
 * HTTP call each simulator answers (HIL, OBMd and M2 — including the calls M2 itself makes to HIL).
 *
 * Per node, in order: HIL allocate → attach the project network (and wait for the switch) →
 * M2 provision (create_disk, provision) → M2 deprovision (deprovision, delete_disk) → HIL release.
 * Nodes run `BENCH_CONCURRENCY` at a time.
 *
 * Ideal wall time = calls on the critical path × latency ÷ concurrency, where the calls are every
 * request the simulators answered during the run (each one waited its latency in series with its
 * node's other calls; M2's nested HIL lookups count too). wall_ratio = measured ÷ ideal, so 1.0
 * means all the time went into the injected latency and nothing into the SDK or the simulators.
 * peak_rss_mb is the largest resident set size of this process (drivers and simulators together),
 * sampled every 25 ms.
 *
 * Needs the built packages: `pnpm build` (or tsup in packages/core, driver-hil and driver-m2).
 * Environment: BENCH_NODES (default 1000), BENCH_CONCURRENCY (default 100), BENCH_LATENCY_MS (default 20).
 */
import { createHilDriver } from '../../packages/driver-hil/dist/index.js';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN } from '../../packages/driver-hil/dist/simulator/index.js';
import { createM2Driver } from '../../packages/driver-m2/dist/index.js';
import { createM2Simulator } from '../../packages/driver-m2/dist/simulator/index.js';

const nodes = Number(process.env.BENCH_NODES ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 100);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const project = 'bench';
const network = 'bench-enclave';
const image = 'ubuntu-22.04';
const admin = { username: DEFAULT_SIMULATOR_ADMIN.username, password: DEFAULT_SIMULATOR_ADMIN.password };

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 25);

// The networking daemon applies actions at once: the injected call latency is the only delay.
const hilSim = await createHilSimulator({ nodes, projects: [project], actionDelayMs: 0 });
const m2Sim = await createM2Simulator({ hilUrl: hilSim.url, projects: [project], images: [image] });
const servers = [hilSim.server, hilSim.obmdServer, m2Sim.server];

const hil = createHilDriver({
  endpoint: hilSim.url,
  obmdOrigins: [hilSim.obmdUrl],
  auth: admin,
  actionPollMs: 5,
  actionMaxPollMs: 20,
});
const m2 = createM2Driver({ endpoint: m2Sim.url, ...admin, project });

await hil.hardware.createNetwork({ project, network });
const names = (await hil.hardware.listFreeNodes()).slice(0, nodes);
if (names.length < nodes) throw new Error(`the HIL simulator has ${names.length} free nodes, ${nodes} asked`);

// Setup calls are not part of the run: forget them, then delay every call from here on.
let calls = 0;
const drainRecorded = () => {
  for (const server of servers) {
    calls += server.requests.length;
    // The servers record every request; a long run must not measure their memory instead of ours.
    server.requests.length = 0;
  }
};
for (const server of servers) server.requests.length = 0;
for (const server of servers) server.inject({ kind: 'latency', ms: latencyMs, times: Number.POSITIVE_INFINITY });
const drainer = setInterval(drainRecorded, 200);

const failures = [];
async function lifecycle(node) {
  await hil.hardware.allocate({ project, node });
  await hil.hardware.attachNetwork({ node, nic: 'eth0', network });
  const { disk } = await m2.provisioner.provision({ project, node, nic: 'eth0', image });
  await m2.provisioner.deprovision({ project, node, nic: 'eth0', disk });
  await hil.hardware.release({ project, node });
}

let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: Math.min(concurrency, names.length) }, async () => {
    while (next < names.length) {
      const node = names[next++];
      try {
        await lifecycle(node);
      } catch (error) {
        failures.push(`${node}: ${error?.message ?? error}`);
      }
    }
  }),
);
const wallMs = performance.now() - started;
clearInterval(drainer);
drainRecorded();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());

const leftovers = {
  projectNodes: (await hil.hardware.listProjectNodes(project)).length,
  disks: m2Sim.images(project).filter((row) => row.kind === 'disk').length,
  bootFiles: m2Sim.files.size,
};
await hil.dispose();
await m2.dispose();
await m2Sim.close();
await hilSim.close();

const idealMs = (calls * latencyMs) / concurrency;
const ratio = wallMs / idealMs;
console.log(`nodes ${nodes}, concurrency ${concurrency}, ${latencyMs} ms per call`);
console.log(`calls answered: ${calls} (${(calls / nodes).toFixed(1)} per node)`);
console.log(`wall ${(wallMs / 1000).toFixed(2)} s, ideal ${(idealMs / 1000).toFixed(2)} s, ratio ${ratio.toFixed(2)}`);
console.log(`peak RSS ${(peakRss / 1048576).toFixed(1)} MB`);
console.log(`left behind: ${JSON.stringify(leftovers)}; failures: ${failures.length}`);
for (const failure of failures.slice(0, 5)) console.log(`  ${failure}`);
console.log(
  `RESULT bare-metal wall_ratio=${ratio.toFixed(3)} peak_rss_mb=${(peakRss / 1048576).toFixed(1)} nodes=${nodes} concurrency=${concurrency} latency_ms=${latencyMs} calls=${calls} wall_s=${(wallMs / 1000).toFixed(2)} ideal_s=${(idealMs / 1000).toFixed(2)} failures=${failures.length}`,
);
if (failures.length > 0) process.exitCode = 1;
