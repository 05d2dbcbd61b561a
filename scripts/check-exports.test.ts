import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');

describe('published exports (scripts/check-exports.mjs)', () => {
  it('every package has been built', () => {
    const unbuilt = readdirSync(packagesDir).filter(
      (folder) =>
        existsSync(join(packagesDir, folder, 'package.json')) && !existsSync(join(packagesDir, folder, 'dist')),
    );
    expect(
      unbuilt,
      `packages without dist/: ${unbuilt.join(', ')}. Run \`pnpm build\` first (\`pnpm test\` builds, \`pnpm test:unit\` does not).`,
    ).toEqual([]);
  });

  it('every export of every package resolves, loads as ESM and CommonJS, and type-checks', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'check-exports.mjs')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 170_000,
    });
    const output = `${result.stdout}\n${result.stderr}`.trim();
    expect(result.status, `check-exports failed:\n${output}`).toBe(0);
  }, 180_000);
});
