#!/usr/bin/env node
/**
 * Bench `http`: what `@ocx/core/http` costs per request compared with raw undici.
 *
 * A loopback node:http server (in a child process, so client and server each get a core) answers every GET with
 * the same 1 KB JSON body. N requests (OCX_BENCH_REQUESTS, default 20000) run at concurrency 64
 * (OCX_BENCH_CONCURRENCY) through:
 *   (a) raw:  undici `request()` + `JSON.parse(await body.text())`;
 *   (b) ocx:  the OCX client's `get()` with a zod schema for the body (so OCX also validates: it does more work).
 * Both use an undici Agent with the same settings (keep-alive, 64 connections). After a warm-up, runs alternate
 * raw/ocx OCX_BENCH_ROUNDS times (default 9). Reported: the median requests/s, p99 latency and client CPU time
 * per request of each; and the ratios, each the median of the per-round ocx/raw ratios. A round's two runs are
 * back to back, so its ratio compares them under the same machine load: on a shared machine, load that swings
 * between rounds moves both runs of a round alike and cancels out of the ratio, where it would not cancel out
 * of a ratio of medians. CPU time per request is the steadiest figure of all.
 *
 * Goals: ocx/raw requests per second ≥ 0.9; ocx/raw p99 latency ≤ 1.1.
 * Ends with: RESULT http rps_ratio=… p99_ratio=… ocx_rps=… raw_rps=… ocx_p99_ms=… raw_p99_ms=… cpu_ratio=…
 *   best_rps_ratio=… best_p99_ratio=… (the best round of each, for a busy machine)
 *
 * With the OpenTelemetry SDK beside core (its dev dependencies), a third run per round, (c) otel: the OCX client with
 * the real SDK registered, sampling every span (batch processor, spans dropped by the exporter) and metrics read
 * each second; its cost is the per-round otel/ocx ratio. Goal: ≤ 3% slower (ratio ≥ 0.97).
 * Ends with, then: RESULT http-otel sdk_rps_ratio=… sdk_cpu_ratio=… spans=…
 *
 * Run after `pnpm build` (it imports the built package). OCX_HTTP_MODULE may point at another build of it.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The first of these module specifiers that loads. */
async function load(what, specifiers) {
  const failures = [];
  for (const specifier of specifiers.filter(Boolean)) {
    try {
      return await import(specifier);
    } catch (error) {
      failures.push(`${specifier}: ${error.message}`);
    }
  }
  throw new Error(`bench http: cannot load ${what} (run \`pnpm build\` first?)\n  ${failures.join('\n  ')}`);
}

const relativeUrl = (path) => pathToFileURL(resolve(here, path)).href;

// ---------------------------------------------------------------------------------------------------------------
// The server (child process): one fixed 1 KB JSON body.

function makeBody() {
  const body = {
    id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    name: 'compute-node-042',
    status: 'ACTIVE',
    project: 'research-genomics',
    flavor: { id: 'm1.large', vcpus: 8, ram: 16384 },
    metadata: { landlord: 'university-a', rack: 'r12', role: 'worker' },
    addresses: Array.from({ length: 12 }, (_, index) => ({
      network: `net-${index}`,
      ip: `10.0.${index}.7`,
      version: 4,
    })),
    padding: '',
  };
  // Pad to exactly 1024 bytes.
  body.padding = 'x'.repeat(Math.max(0, 1024 - JSON.stringify(body).length));
  return Buffer.from(JSON.stringify(body));
}

if (process.argv[2] === 'server') {
  const body = makeBody();
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, headers);
    response.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port, bytes: body.length }));
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

// ---------------------------------------------------------------------------------------------------------------
// The client (this process).

/** The real OpenTelemetry SDK from core's dev dependencies, switched on for one run at a time; undefined without it. */
function openTelemetrySdk() {
  const fromCore = createRequire(resolve(here, '../../packages/core/package.json'));
  try {
    const api = fromCore('@opentelemetry/api');
    const { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor } = fromCore('@opentelemetry/sdk-trace-base');
    const { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } =
      fromCore('@opentelemetry/sdk-metrics');
    let spans = 0;
    const dropping = {
      export(batch, done) {
        spans += batch.length;
        done({ code: 0 });
      },
      shutdown: async () => {},
      forceFlush: async () => {},
    };
    const tracerProvider = new BasicTracerProvider({
      sampler: new AlwaysOnSampler(),
      spanProcessors: [
        new BatchSpanProcessor(dropping, { maxQueueSize: 65_536, maxExportBatchSize: 4096, scheduledDelayMillis: 200 }),
      ],
    });
    const meterProvider = new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA),
          exportIntervalMillis: 1000,
        }),
      ],
    });
    return {
      on() {
        api.trace.setGlobalTracerProvider(tracerProvider);
        api.metrics.setGlobalMeterProvider(meterProvider);
      },
      async off() {
        await tracerProvider.forceFlush();
        api.trace.disable();
        api.metrics.disable();
      },
      spans: () => spans,
    };
  } catch {
    return undefined;
  }
}

async function main() {
  const requests = Number(process.env.OCX_BENCH_REQUESTS ?? 20_000);
  const concurrency = Number(process.env.OCX_BENCH_CONCURRENCY ?? 64);
  const rounds = Number(process.env.OCX_BENCH_ROUNDS ?? 9);

  const undici = await load('undici', ['undici', relativeUrl('../../packages/core/node_modules/undici/index.js')]);
  const { z } = await load('zod', ['zod', relativeUrl('../../packages/core/node_modules/zod/index.js')]);
  const http = await load('@ocx/core/http', [
    process.env.OCX_HTTP_MODULE && pathToFileURL(resolve(process.env.OCX_HTTP_MODULE)).href,
    '@ocx/core/http',
    relativeUrl('../../packages/core/dist/http/index.js'),
  ]);

  const child = fork(fileURLToPath(import.meta.url), ['server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port, bytes } = await new Promise((resolvePort, reject) => {
    child.once('message', resolvePort);
    child.once('error', reject);
  });
  const origin = `http://127.0.0.1:${port}`;

  const agentOptions = {
    connections: concurrency,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
    pipelining: 1,
  };
  const schema = z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['ACTIVE', 'SHUTOFF', 'ERROR']),
    project: z.string(),
    flavor: z.object({ id: z.string(), vcpus: z.number().int(), ram: z.number().int() }),
    metadata: z.record(z.string(), z.string()),
    addresses: z.array(z.object({ network: z.string(), ip: z.string(), version: z.number().int() })),
    padding: z.string().optional(),
  });

  const makeRaw = () => {
    const dispatcher = new undici.Agent(agentOptions);
    const url = `${origin}/servers/7c9e6679`;
    return {
      dispatcher,
      call: async () => {
        const { body } = await undici.request(url, { dispatcher });
        return JSON.parse(await body.text());
      },
    };
  };
  const makeOcx = () => {
    const dispatcher = new undici.Agent(agentOptions);
    const client = http.createHttpClient({ backend: 'bench', baseUrl: origin, dispatcher });
    return { dispatcher, call: async () => (await client.get('/servers/7c9e6679', { schema })).data };
  };

  // Check once that both read the same, complete body.
  for (const make of [makeRaw, makeOcx]) {
    const subject = make();
    const data = await subject.call();
    if (data.name !== 'compute-node-042' || data.addresses.length === 0) throw new Error('bench http: unexpected body');
    await subject.dispatcher.close();
  }

  console.log(
    `bench http: ${requests} GETs of a ${bytes}-byte JSON body, concurrency ${concurrency}, ${rounds} rounds`,
  );
  await run(makeRaw, Math.min(2000, requests));
  await run(makeOcx, Math.min(2000, requests));

  const sdk = openTelemetrySdk();
  const results = { raw: [], ocx: [], otel: [] };
  for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
    // Alternate which goes first, so neither always runs on a warmer or cooler machine.
    const order = roundIndex % 2 === 0 ? ['raw', 'ocx'] : ['ocx', 'raw'];
    if (sdk !== undefined) order.splice(roundIndex % 3, 0, 'otel');
    for (const name of order) {
      if (name === 'otel') sdk.on();
      const result = await run(name === 'raw' ? makeRaw : makeOcx, requests);
      if (name === 'otel') await sdk.off();
      results[name].push(result);
      console.log(
        `  round ${roundIndex + 1} ${name.padEnd(3)}  ${fixed(result.rps, 0).padStart(7)} req/s  p50 ${fixed(result.p50, 2)} ms  p99 ${fixed(result.p99, 2)} ms  cpu ${fixed(result.cpuUs, 1)} µs/req`,
      );
    }
  }
  child.disconnect();
  child.kill();

  const summary = (name) => ({
    rps: median(results[name].map((r) => r.rps)),
    p99: median(results[name].map((r) => r.p99)),
    cpuUs: median(results[name].map((r) => r.cpuUs)),
  });
  const raw = summary('raw');
  const ocx = summary('ocx');
  const pairedRatio = (key) => median(results.ocx.map((result, index) => result[key] / results.raw[index][key]));
  const rpsRatio = pairedRatio('rps');
  const p99Ratio = pairedRatio('p99');
  const cpuRatio = pairedRatio('cpuUs');
  // Best of the rounds: the least-disturbed run of each, a second opinion when the machine is busy.
  const best = (name) => ({
    rps: Math.max(...results[name].map((r) => r.rps)),
    p99: Math.min(...results[name].map((r) => r.p99)),
  });
  const bestRpsRatio = best('ocx').rps / best('raw').rps;
  const bestP99Ratio = best('ocx').p99 / best('raw').p99;
  console.log(
    `raw undici: ${fixed(raw.rps, 0)} req/s, p99 ${fixed(raw.p99, 2)} ms, ${fixed(raw.cpuUs, 1)} µs CPU/req (medians)`,
  );
  console.log(
    `ocx client: ${fixed(ocx.rps, 0)} req/s, p99 ${fixed(ocx.p99, 2)} ms, ${fixed(ocx.cpuUs, 1)} µs CPU/req (medians; includes zod validation)`,
  );
  console.log('ratios, each the median of the per-round ocx/raw ratios:');
  console.log(`  ocx/raw client CPU per request ${fixed(cpuRatio, 3)}`);
  console.log(`  ocx/raw requests/s ${fixed(rpsRatio, 3)} (goal ≥ 0.9) ${rpsRatio >= 0.9 ? 'met' : 'MISSED'}`);
  console.log(`  ocx/raw p99 latency ${fixed(p99Ratio, 3)} (goal ≤ 1.1) ${p99Ratio <= 1.1 ? 'met' : 'MISSED'}`);
  console.log(
    `best round of each: ocx/raw requests/s ${fixed(bestRpsRatio, 3)}, p99 ${fixed(bestP99Ratio, 3)} (${fixed(best('ocx').rps, 0)} vs ${fixed(best('raw').rps, 0)} req/s)`,
  );
  if (sdk !== undefined) {
    const sdkRatio = (key) => median(results.otel.map((result, index) => result[key] / results.ocx[index][key]));
    const sdkRps = sdkRatio('rps');
    console.log(
      `with the OpenTelemetry SDK (every span sampled): otel/ocx requests/s ${fixed(sdkRps, 3)} (goal ≥ 0.97) ${sdkRps >= 0.97 ? 'met' : 'MISSED'}, CPU per request ${fixed(sdkRatio('cpuUs'), 3)}; ${sdk.spans()} spans exported`,
    );
    console.log(
      `RESULT http-otel sdk_rps_ratio=${fixed(sdkRps, 3)} sdk_cpu_ratio=${fixed(sdkRatio('cpuUs'), 3)} spans=${sdk.spans()}`,
    );
  }
  console.log(
    `RESULT http rps_ratio=${fixed(rpsRatio, 3)} p99_ratio=${fixed(p99Ratio, 3)} ocx_rps=${fixed(ocx.rps, 0)} raw_rps=${fixed(raw.rps, 0)} ocx_p99_ms=${fixed(ocx.p99, 3)} raw_p99_ms=${fixed(raw.p99, 3)} cpu_ratio=${fixed(cpuRatio, 3)} best_rps_ratio=${fixed(bestRpsRatio, 3)} best_p99_ratio=${fixed(bestP99Ratio, 3)}`,
  );
}

/** Run `count` calls at the configured concurrency on a fresh agent; requests/s and latency percentiles. */
async function run(make, count) {
  const concurrency = Number(process.env.OCX_BENCH_CONCURRENCY ?? 64);
  const subject = make();
  const latencies = new Float64Array(count);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const started = performance.now();
      await subject.call();
      latencies[index] = performance.now() - started;
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await subject.dispatcher.close();
  latencies.sort();
  return {
    rps: count / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    cpuUs: (cpu.user + cpu.system) / count,
  };
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function fixed(value, digits) {
  return value.toFixed(digits);
}
