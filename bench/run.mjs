#!/usr/bin/env node
/**
 * Runs the benchmarks: `pnpm bench` (all) or `pnpm bench core http` (some), after `pnpm build`.
 *
 * A benchmark is a folder `bench/<name>/` whose entry (`index.mjs`, or the file named in ENTRY_OVERRIDES) runs,
 * prints its figures and ends with one line `RESULT <name> key=value …`. Each runs alone in its own Node process,
 * one after another so they do not compete for the CPU. Their output streams through; the RESULT lines are
 * repeated together at the end and saved to bench/results/ (latest.json and one file per run).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(benchDir, 'results');
/** Benchmarks whose entry is not `index.mjs`. */
const ENTRY_OVERRIDES = { http: 'http-get.mjs' };
const NOT_BENCHMARKS = new Set(['node_modules', 'results']);

function discover() {
  return readdirSync(benchDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_BENCHMARKS.has(entry.name) && !/^[._]/.test(entry.name))
    .map((entry) => {
      const candidates = [ENTRY_OVERRIDES[entry.name], 'index.mjs'].filter(Boolean);
      const file = candidates.map((name) => join(benchDir, entry.name, name)).find((path) => existsSync(path));
      return { name: entry.name, entry: file };
    })
    .filter((bench) => bench.entry !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Parses `RESULT <name> key=value …`; values that look numeric become numbers. */
function parseResult(line) {
  const [, name, ...pairs] = line.trim().split(/\s+/);
  const figures = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const value = pair.slice(at + 1);
    figures[pair.slice(0, at)] = value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return { name, figures };
}

function runOne(bench) {
  return new Promise((resolvePromise) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bench.entry], {
      cwd: dirname(bench.entry),
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, OCX_BENCH: bench.name },
    });
    const results = [];
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('RESULT ')) results.push(line.trim());
    });
    child.on('close', (code, signal) => {
      if (pending.startsWith('RESULT ')) results.push(pending.trim());
      resolvePromise({
        ...bench,
        code: signal ? `signal ${signal}` : code,
        results,
        seconds: (performance.now() - started) / 1000,
      });
    });
  });
}

async function main() {
  const available = discover();
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = wanted.filter((name) => !available.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(
      `bench: unknown benchmark ${unknown.join(', ')}; available: ${available.map((bench) => bench.name).join(', ') || 'none'}`,
    );
    process.exit(2);
  }
  const selected = wanted.length > 0 ? available.filter((bench) => wanted.includes(bench.name)) : available;
  if (selected.length === 0) {
    console.error('bench: no benchmarks found (bench/<name>/index.mjs)');
    process.exit(2);
  }

  const cpu = cpus();
  const machine = {
    node: process.version,
    platform: `${platform()} ${release()} ${process.arch}`,
    cpu: `${cpu[0]?.model?.trim() ?? 'unknown'} × ${cpu.length}`,
  };
  console.log(
    `bench: ${selected.map((bench) => bench.name).join(', ')} — Node ${machine.node}, ${machine.platform}, ${machine.cpu}`,
  );

  const outcomes = [];
  for (const bench of selected) {
    console.log(`\n=== bench ${bench.name} (${relative(benchDir, bench.entry)}) ===`);
    outcomes.push(await runOne(bench));
  }

  const failures = outcomes.filter((outcome) => outcome.code !== 0 || outcome.results.length === 0);
  console.log('\n=== results ===');
  for (const outcome of outcomes) {
    for (const line of outcome.results) console.log(line);
    if (outcome.code !== 0) console.log(`FAILED ${outcome.name} exit=${outcome.code}`);
    else if (outcome.results.length === 0) console.log(`FAILED ${outcome.name} printed no RESULT line`);
  }

  const record = {
    date: new Date().toISOString(),
    machine,
    results: Object.fromEntries(
      outcomes.flatMap((outcome) => outcome.results.map(parseResult)).map(({ name, figures }) => [name, figures]),
    ),
    failed: failures.map((outcome) => outcome.name),
  };
  mkdirSync(resultsDir, { recursive: true });
  const stamp = record.date.replace(/[:.]/g, '-');
  writeFileSync(join(resultsDir, `${stamp}.json`), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\nbench: saved ${relative(process.cwd(), join(resultsDir, `${stamp}.json`))}`);

  if (failures.length > 0) {
    console.error(
      `bench: ${failures.length} benchmark(s) failed: ${failures.map((outcome) => outcome.name).join(', ')}`,
    );
    process.exit(1);
  }
}

await main();
