import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageKey, usageValue } from './__fixtures__/usage-records.js';
import { retain } from './keep-alive.js';

/**
 * "Killing the process in the middle of an ingestion loses and duplicates nothing" (issue #8):
 * a child process ingests usage records through the compiled store, is SIGKILLed mid-way
 * (twice), then a new child ingests everything again to completion.
 */

const packageDirectory = dirname(dirname(fileURLToPath(import.meta.url)));
const directory = mkdtempSync(join(tmpdir(), 'ocx-sqlite-crash-'));
// Inside the package so that the bundle's one external import, better-sqlite3 (a native addon), resolves.
const bundleDirectory = join(packageDirectory, 'node_modules', '.cache', `ocx-child-processes-${process.pid}`);
const bundle = join(bundleDirectory, 'ingest-child.js');
const TOTAL = 40_000;
const BATCH = 2_000;

interface ChildRun {
  committed: number[];
  exit: { code: number | null; signal: NodeJS.Signals | null };
  inserted: number;
  duplicates: number;
}

/** Run the child; with `killAfterBatches`, SIGKILL it a random moment after that many acknowledged batches. */
function runChild(path: string, killAfterBatches?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [bundle, path, String(TOTAL), String(BATCH)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: ChildRun = { committed: [], exit: { code: null, signal: null }, inserted: 0, duplicates: 0 };
    let stderr = '';
    let pending = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^committed (\d+) inserted=(\d+) duplicates=(\d+)$/.exec(line);
        if (match === null) continue;
        run.committed.push(Number(match[1]));
        run.inserted += Number(match[2]);
        run.duplicates += Number(match[3]);
        if (killAfterBatches !== undefined && run.committed.length === killAfterBatches) {
          // A random delay lands the kill inside a later insertMany transaction most of the time.
          setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 25));
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      run.exit = { code, signal };
      if (killAfterBatches === undefined && code !== 0)
        reject(new Error(`ingestion child failed (${code ?? signal}): ${stderr}`));
      else resolve(run);
    });
  });
}

function inspectDatabase(path: string): { count: number; integrity: string } {
  // Raw handles are retained, as the store does (see keep-alive: Node 24).
  const database = retain(new Database(path, { readonly: true }));
  try {
    return {
      count:
        retain(
          database.prepare<[], number>("SELECT COUNT(*) FROM ocx_documents WHERE collection = 'usage'").pluck(),
        ).get() ?? -1,
      integrity: String(retain(database.prepare('PRAGMA integrity_check').pluck()).get()),
    };
  } finally {
    database.close();
  }
}

beforeAll(bundleChildren, 60_000);
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
  rmSync(bundleDirectory, { recursive: true, force: true });
});

/** Compile the child programs from the TypeScript sources of this package and of @ocx/core, as the tests use them. */
async function bundleChildren(): Promise<void> {
  mkdirSync(bundleDirectory, { recursive: true });
  await build({
    entryPoints: ['ingest-child.ts', 'gc-churn-child.ts'].map((name) =>
      join(packageDirectory, 'src', '__fixtures__', name),
    ),
    outdir: bundleDirectory,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@ocx/source'],
    external: ['better-sqlite3'],
    banner: {
      js: "import { createRequire as __ocxCreateRequire } from 'node:module'; const require = __ocxCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
}

describe('SQLite store: a killed ingestion loses and duplicates nothing', () => {
  it('SIGKILL mid-batch twice, then a full re-run: every record exactly once, intact', async () => {
    const path = join(directory, 'ingest.db');
    let acknowledged = 0;
    for (const killAfterBatches of [3, 12]) {
      const killed = await runChild(path, killAfterBatches);
      expect(killed.exit.signal, 'the child was killed before it finished').toBe('SIGKILL');
      expect(killed.committed.length).toBeLessThan(TOTAL / BATCH);
      // Acknowledged batches survive; a batch in flight is all there or not at all.
      acknowledged = Math.max(acknowledged, killed.committed.length);
      const { count, integrity } = inspectDatabase(path);
      expect(integrity).toBe('ok');
      expect(count % BATCH, `a partial batch was stored (${count} rows)`).toBe(0);
      expect(count).toBeGreaterThanOrEqual(acknowledged * BATCH);
      expect(count).toBeLessThanOrEqual((acknowledged + 1) * BATCH);
    }
    const before = inspectDatabase(path).count;
    const completed = await runChild(path);
    expect(completed.committed.length).toBe(TOTAL / BATCH);
    expect(completed.inserted).toBe(TOTAL - before);
    expect(completed.duplicates).toBe(before);

    expect(inspectDatabase(path).integrity).toBe('ok');
    const database = retain(new Database(path, { readonly: true }));
    try {
      const rows = retain(
        database.prepare<[], { key: Buffer; value: string; version: number }>(
          "SELECT key, value, version FROM ocx_documents WHERE collection = 'usage'",
        ),
      ).all();
      expect(rows.length).toBe(TOTAL);
      // Collected, then asserted once: an expect() per row would cost more than the ingestion.
      const expected = new Map(Array.from({ length: TOTAL }, (_, index) => [usageKey(index), index]));
      const seen = new Set<string>();
      const problems: string[] = [];
      for (const row of rows) {
        const key = row.key.swap16().toString('utf16le');
        const index = expected.get(key);
        if (index === undefined) problems.push(`unexpected key ${JSON.stringify(key)}`);
        else if (seen.has(key)) problems.push(`duplicate key ${JSON.stringify(key)}`);
        else if (row.version !== 1 || row.value !== JSON.stringify(usageValue(index)))
          problems.push(`changed value for ${JSON.stringify(key)}`);
        seen.add(key);
      }
      expect(problems.slice(0, 5)).toEqual([]);
      expect(seen.size).toBe(TOTAL);
    } finally {
      database.close();
    }
  }, 120_000);
});

describe('SQLite store: closing stores and garbage collection never abort the process', () => {
  it('a process that opens and closes many stores and collects garbage exits with 0 (better-sqlite3 on Node 24)', async () => {
    const churnDirectory = mkdtempSync(join(tmpdir(), 'ocx-sqlite-churn-'));
    try {
      const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
        (resolve, reject) => {
          const child = spawn(process.execPath, [join(bundleDirectory, 'gc-churn-child.js'), churnDirectory], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
          });
          child.stderr.on('data', (chunk: Buffer) => {
            output += chunk.toString();
          });
          child.on('error', reject);
          child.on('close', (code, signal) => resolve({ code, signal, output }));
        },
      );
      expect(result, result.output).toMatchObject({ code: 0, signal: null });
      expect(result.output).toContain('done true');
    } finally {
      rmSync(churnDirectory, { recursive: true, force: true });
    }
  }, 60_000);
});
