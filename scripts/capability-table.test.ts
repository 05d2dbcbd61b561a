import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = join(dirname(fileURLToPath(import.meta.url)), 'capability-table.mjs');

describe('docs/capabilities.md', () => {
  it('matches the capabilities the built drivers declare (regenerate with node scripts/capability-table.mjs)', async () => {
    const { stdout } = await run(process.execPath, [script, '--check'], { timeout: 60_000 });
    expect(stdout).toContain('up to date');
  }, 60_000);
});
