/**
 * Enclave benchmark (issue: secure elastic enclaves): a 1,000-node enclave where every backend call
 * takes 20 ms. Reports wall time as a ratio to the critical-path lower bound (goal ≤ 1.2), peak
 * memory, and store writes per node.
 *
 * Lower bound: the larger of (a) one node's chain of calls × latency plus the set-up calls, and
 * (b) the busiest backend's calls × latency ÷ its concurrency limit.
 *
 * Env: OCX_BENCH_NODES (default 1000), OCX_BENCH_LATENCY_MS (20), OCX_BENCH_CONCURRENCY (64).
 */
import { createExchange, createMemoryStore } from '@ocx/core';
import { createReferenceDriver } from '@ocx/core/simulation';

const NODES = Number(process.env.OCX_BENCH_NODES ?? 1000);
const LATENCY = Number(process.env.OCX_BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = Number(process.env.OCX_BENCH_CONCURRENCY ?? 64);

const calls = new Map();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every capability call costs LATENCY ms and is counted per backend. */
function slow(driver, backend) {
  const wrapped = { ...driver };
  for (const capability of ['hardware', 'provisioner', 'attestor']) {
    const implementation = driver[capability];
    if (implementation === undefined) continue;
    const proxy = {};
    for (const [method, fn] of Object.entries(implementation)) {
      proxy[method] = async (...args) => {
        calls.set(backend, (calls.get(backend) ?? 0) + 1);
        await sleep(LATENCY);
        return fn.apply(implementation, args);
      };
    }
    wrapped[capability] = proxy;
  }
  return wrapped;
}

const hardware = createReferenceDriver({ landlord: 'a', service: 'hil', nodes: NODES, capabilities: ['hardware'] });
const provisioner = createReferenceDriver({
  landlord: 'b',
  service: 'm2',
  nodes: 0,
  capabilities: ['provisioner'],
  hardwareFrom: hardware,
});
const attestor = createReferenceDriver({
  landlord: 'tenant',
  service: 'keylime',
  nodes: 0,
  capabilities: ['attestor'],
});
const exchange = createExchange({ store: createMemoryStore() });
await exchange.landlords.register({
  id: 'a',
  name: 'A',
  organization: 'A',
  services: [{ id: 'hil', kind: 'bare-metal', driver: slow(hardware, 'hil') }],
});
await exchange.landlords.register({
  id: 'b',
  name: 'B',
  organization: 'B',
  services: [{ id: 'm2', kind: 'provisioning', driver: slow(provisioner, 'm2') }],
});
await exchange.landlords.register({
  id: 'tenant',
  name: 'T',
  organization: 'T',
  services: [{ id: 'keylime', kind: 'attestation', driver: slow(attestor, 'keylime') }],
});

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const writesBefore = exchange.enclaves.journalWrites;
const elu0 = performance.eventLoopUtilization();
const started = performance.now();
const enclave = await exchange.enclaves.create({
  project: 'bench',
  organization: 'bench',
  hardware: { landlord: 'a', service: 'hil' },
  provisioner: { landlord: 'b', service: 'm2' },
  attestor: { landlord: 'tenant', service: 'keylime' },
  nodes: NODES,
  image: 'ubuntu-22.04',
  policy: { name: 'bench' },
  concurrency: CONCURRENCY,
});
const wallMs = performance.now() - started;
const elu = performance.eventLoopUtilization(elu0).utilization;
console.log(`event-loop utilisation during the run: ${(elu * 100).toFixed(0)}%`);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

const joined = enclave.nodes.filter((node) => node.state === 'joined').length;
if (joined !== NODES) throw new Error(`only ${joined} of ${NODES} nodes joined`);
// One node's chain: allocate, getNode, attach airlock, provision, boot device, power cycle, enroll,
// wait for the verdict, detach airlock, attach enclave network. Set-up: ensureProject,
// two networks, the free-node list.
const chainCalls = 10;
const setupCalls = 4;
const chainBound = (chainCalls + setupCalls) * LATENCY;
const throughputBound = Math.max(...[...calls.values()].map((count) => (count * LATENCY) / CONCURRENCY));
const lowerBound = Math.max(chainBound, throughputBound + setupCalls * LATENCY);
const writesPerNode = (exchange.enclaves.journalWrites - writesBefore) / NODES;

console.log(`nodes ${NODES}, latency ${LATENCY} ms per call, concurrency ${CONCURRENCY} per backend`);
console.log(`calls per backend: ${[...calls].map(([name, count]) => `${name}=${count}`).join(' ')}`);
console.log(
  `wall ${(wallMs / 1000).toFixed(2)} s, lower bound ${(lowerBound / 1000).toFixed(2)} s, ratio ${(wallMs / lowerBound).toFixed(3)} (goal ≤ 1.2)`,
);
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, store writes per node ${writesPerNode.toFixed(1)}`);
console.log(
  `RESULT enclave wall_ratio=${(wallMs / lowerBound).toFixed(3)} wall_s=${(wallMs / 1000).toFixed(2)} bound_s=${(lowerBound / 1000).toFixed(2)} peak_rss_mb=${(peakRss / 2 ** 20).toFixed(0)} writes_per_node=${writesPerNode.toFixed(1)}`,
);
