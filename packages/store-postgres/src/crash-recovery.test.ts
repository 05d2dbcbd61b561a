import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, postgresTestTarget, uniqueSchema } from './__fixtures__/postgres-test-target.js';
import { usageKey, usageValue } from './__fixtures__/usage-records.js';
import { decodeKey } from './key-codec.js';

/**
 * "Killing the process in the middle of an ingestion loses and duplicates nothing" (issue #8),
 * against PostgreSQL: a child process ingests usage records through the store compiled from its
 * sources, is SIGKILLed mid-way (twice), then a new child ingests everything to completion.
 */

const packageDirectory = dirname(dirname(fileURLToPath(import.meta.url)));
// Inside the package so that the bundle's external import, pg, resolves from its node_modules.
const bundleDirectory = join(packageDirectory, 'node_modules', '.cache', `ocx-child-processes-${process.pid}`);
const TOTAL = 40_000;
const BATCH = 2_000;

interface ChildRun {
  committed: number;
  inserted: number;
  duplicates: number;
  signal: NodeJS.Signals | null;
}

function runChild(url: string, schema: string, killAfterBatches?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(bundleDirectory, 'ingest-child.js'), url, schema, String(TOTAL), String(BATCH)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const run: ChildRun = { committed: 0, inserted: 0, duplicates: 0, signal: null };
    let stderr = '';
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^committed \d+ inserted=(\d+) duplicates=(\d+)$/.exec(line);
        if (match === null) continue;
        run.committed += 1;
        run.inserted += Number(match[1]);
        run.duplicates += Number(match[2]);
        // A random delay lands the kill inside a later insertMany most of the time.
        if (run.committed === killAfterBatches) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 25));
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      run.signal = signal;
      if (killAfterBatches === undefined && code !== 0)
        reject(new Error(`ingestion child failed (${code ?? signal}): ${stderr}`));
      else resolve(run);
    });
  });
}

const target = postgresTestTarget();

if (target.url === undefined) {
  describe('PostgreSQL store: a killed ingestion loses and duplicates nothing', () => {
    it.skip(`skipped: ${target.skip}`, () => undefined);
  });
} else {
  const url = target.url;
  const schema = uniqueSchema('ocx_crash');
  const countRows = async (): Promise<number> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*) AS count FROM "${schema}".documents WHERE collection = 'usage'`,
      );
      return Number(rows[0]?.count ?? -1);
    } finally {
      await client.end();
    }
  };

  describe('PostgreSQL store: a killed ingestion loses and duplicates nothing', () => {
    beforeAll(async () => {
      mkdirSync(bundleDirectory, { recursive: true });
      await build({
        entryPoints: [join(packageDirectory, 'src', '__fixtures__', 'ingest-child.ts')],
        outdir: bundleDirectory,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        // Build from the TypeScript sources of this package and of @ocx/core, as the tests use them.
        conditions: ['@ocx/source'],
        external: ['pg'],
        banner: {
          js: "import { createRequire as __ocxCreateRequire } from 'node:module'; const require = __ocxCreateRequire(import.meta.url);",
        },
        logLevel: 'error',
      });
    }, 60_000);
    afterAll(async () => {
      rmSync(bundleDirectory, { recursive: true, force: true });
      await dropSchemas(url, [schema]);
    });

    it('SIGKILL mid-batch twice, then a full re-run: every record exactly once, intact', async () => {
      let acknowledged = 0;
      for (const killAfterBatches of [3, 12]) {
        const killed = await runChild(url, schema, killAfterBatches);
        expect(killed.signal, 'the child was killed before it finished').toBe('SIGKILL');
        expect(killed.committed).toBeLessThan(TOTAL / BATCH);
        acknowledged = Math.max(acknowledged, killed.committed);
        // The server may still be finishing the statement of the killed connection: wait for it to settle.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const count = await countRows();
        expect(count % BATCH, `a partial batch was stored (${count} rows)`).toBe(0);
        expect(count).toBeGreaterThanOrEqual(acknowledged * BATCH);
        expect(count).toBeLessThanOrEqual((acknowledged + 1) * BATCH);
      }
      const before = await countRows();
      const completed = await runChild(url, schema);
      expect(completed.committed).toBe(TOTAL / BATCH);
      expect(completed.inserted).toBe(TOTAL - before);
      expect(completed.duplicates).toBe(before);

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ key: Buffer; value: string; version: string }>(
          `SELECT key, value, version FROM "${schema}".documents WHERE collection = 'usage'`,
        );
        expect(rows.length).toBe(TOTAL);
        // Collected, then asserted once: an expect() per row would cost more than the ingestion.
        const expected = new Map(Array.from({ length: TOTAL }, (_, index) => [usageKey(index), index]));
        const seen = new Set<string>();
        const problems: string[] = [];
        for (const row of rows) {
          const key = decodeKey(row.key);
          const index = expected.get(key);
          if (index === undefined) problems.push(`unexpected key ${JSON.stringify(key)}`);
          else if (seen.has(key)) problems.push(`duplicate key ${JSON.stringify(key)}`);
          else if (row.version !== '1' || row.value !== JSON.stringify(usageValue(index)))
            problems.push(`changed value for ${JSON.stringify(key)}`);
          seen.add(key);
        }
        expect(problems.slice(0, 5)).toEqual([]);
        expect(seen.size).toBe(TOTAL);
      } finally {
        await client.end();
      }
    }, 120_000);
  });
}
