/**
 * Bench `core`: what `@ocx/core` costs the program that loads it.
 *
 * 1. Cold import: `await import(…)` timed inside a fresh Node process, N times (OCX_BENCH_RUNS, default 15),
 *    for `@ocx/core` and, as peers, for `zod` alone and `undici` alone (core's two runtime dependencies, so the
 *    ratio says how much core adds on top of zod). Runs are interleaved so drift hits all three alike;
 *    one warm-up round (disk cache) is discarded.
 * 2. Size: the ESM build (packages/core/dist/index.js and its chunks) bundled and minified by esbuild, with
 *    undici and zod external, in bytes and gzip bytes; the other entry points are shown for information.
 *
 * Ends with: RESULT core import_ms=… import_ratio_vs_zod=… min_bytes=… min_gzip_bytes=… …
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const coreDir = resolve(here, '../../packages/core');
const runs = Number(process.env.OCX_BENCH_RUNS ?? 15);
const subjects = ['@ocx/core', 'zod', 'undici'];

if (!existsSync(join(coreDir, 'dist/index.js'))) {
  console.error('bench core: packages/core/dist is missing — run `pnpm build` (`pnpm bench` does).');
  process.exit(1);
}

const PROBE = `
const started = performance.now();
await import(process.argv[1]);
process.stdout.write(String(performance.now() - started));
`;

/** Milliseconds `await import(specifier)` takes in a fresh process, and the process's whole wall time. */
function coldImport(specifier) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, specifier], {
    cwd: here,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`import('${specifier}') failed:\n${result.stderr}`);
  return { importMs: Number(result.stdout), processMs: wall };
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const round = (value, digits = 1) => Number(value.toFixed(digits));

// 1. Cold import.
const samples = Object.fromEntries(subjects.map((subject) => [subject, { importMs: [], processMs: [] }]));
for (const subject of subjects) coldImport(subject); // warm-up, discarded
for (let run = 0; run < runs; run++) {
  for (const subject of subjects) {
    const { importMs, processMs } = coldImport(subject);
    samples[subject].importMs.push(importMs);
    samples[subject].processMs.push(processMs);
  }
}
const stats = Object.fromEntries(
  subjects.map((subject) => [
    subject,
    {
      median: quantile(samples[subject].importMs, 0.5),
      p90: quantile(samples[subject].importMs, 0.9),
      processMedian: quantile(samples[subject].processMs, 0.5),
    },
  ]),
);
console.log(`cold import, ${runs} fresh processes each (Node ${process.version}):`);
console.log('  module      import median  import p90  process median');
for (const subject of subjects) {
  const { median, p90, processMedian } = stats[subject];
  console.log(
    `  ${subject.padEnd(10)}  ${`${median.toFixed(1)} ms`.padStart(13)}  ${`${p90.toFixed(1)} ms`.padStart(10)}  ${`${processMedian.toFixed(1)} ms`.padStart(14)}`,
  );
}
const core = stats['@ocx/core'];
const ratioVsZod = core.median / stats.zod.median;
const ratioVsUndici = core.median / stats.undici.median;
console.log(`  @ocx/core / zod = ${ratioVsZod.toFixed(2)}×, @ocx/core / undici = ${ratioVsUndici.toFixed(2)}×`);

// 2. Minified size.
const { build } = await import('esbuild');
async function minified(entry) {
  const output = await build({
    entryPoints: [join(coreDir, entry)],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['undici', 'zod', 'vitest'],
    write: false,
    logLevel: 'silent',
  });
  const contents = output.outputFiles[0].contents;
  return { bytes: contents.byteLength, gzipBytes: gzipSync(contents, { level: 9 }).byteLength };
}
const sizes = {};
for (const entry of ['dist/index.js', 'dist/http/index.js', 'dist/testing/index.js']) {
  if (existsSync(join(coreDir, entry))) sizes[entry] = await minified(entry);
}
console.log('\nminified ESM build (esbuild, platform node, undici/zod/vitest external):');
for (const [entry, { bytes, gzipBytes }] of Object.entries(sizes)) {
  console.log(`  ${entry.padEnd(22)} ${String(bytes).padStart(8)} B  ${String(gzipBytes).padStart(7)} B gzip`);
}
const index = sizes['dist/index.js'];

console.log(
  [
    'RESULT core',
    `import_ms=${round(core.median)}`,
    `import_p90_ms=${round(core.p90)}`,
    `import_ratio_vs_zod=${round(ratioVsZod, 2)}`,
    `import_ratio_vs_undici=${round(ratioVsUndici, 2)}`,
    `zod_import_ms=${round(stats.zod.median)}`,
    `undici_import_ms=${round(stats.undici.median)}`,
    `min_bytes=${index.bytes}`,
    `min_gzip_bytes=${index.gzipBytes}`,
  ].join(' '),
);
