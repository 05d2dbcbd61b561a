import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The driver guide's code blocks, type-checked against the packages' real types, so a renamed
// export, a changed option or a wrong signature in the guide fails here. Each block is its own
// module; the names a reader supplies (their options, their client, their driver) are declared in
// a prelude with the shapes the guide gives them. The blocks that run only inside vitest
// (conformance, hostile kit) are type-checked the same way: the vitest run of packed tarballs in
// packed-consumer.test.ts executes the same calls.

const root = join(import.meta.dirname, '..');
const guide = readFileSync(join(root, 'docs', 'guides', 'writing-a-driver.md'), 'utf8');

/** Every ```ts block of the guide, dedented. */
function codeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const pattern = /^([ \t]*)```ts\n([\s\S]*?)^\1```/gm;
  for (const match of markdown.matchAll(pattern)) {
    const indent = match[1]!;
    blocks.push(
      match[2]!
        .split('\n')
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n'),
    );
  }
  return blocks;
}

/** What the guide's reader brings, as the guide describes it. */
const PRELUDE = `
import type { Driver as PreludeDriver, QuotaProvider, Tenancy } from '@ocx/core';
import type { createExchange } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import type { Logger, Secret } from '@ocx/core';
import { z } from 'zod';
interface MyOptions { endpoint: string; username?: string; password: string | Secret }
type MyExtension = Record<string, never>;
declare const MyOptionsSchema: z.ZodType<MyOptions>;
declare function createMyTenancy(config: MyOptions): Tenancy;
declare function createMyQuotas(config: MyOptions): QuotaProvider;
declare function createMyDriver(options: MyOptions): PreludeDriver;
declare function parseMyErrorBody(text: string): { type?: string; message?: string } | undefined;
declare const ProjectSchema: z.ZodType<{ id: string; name: string }>;
declare const config: MyOptions & { username: string };
declare const testOptions: MyOptions;
declare const http: HttpClient;
declare const exchange: ReturnType<typeof createExchange>;
declare function createMyClient(options: { endpoint: string; password: string; timeoutMs: number; logger: Logger; retries: number }): {
  listProjects(): Promise<unknown[]>;
  createProject(name: string): Promise<void>;
};
`;

/** Leave out the prelude's declaration of a name the block itself defines. */
function preludeFor(block: string): string {
  const defined = [...block.matchAll(/(?:function|const|let)\s+(?:\{[^}]*\}|([A-Za-z_$][\w$]*))/g)].flatMap((match) =>
    match[1] === undefined ? [...match[0].matchAll(/([A-Za-z_$][\w$]*)\s*(?=[,}]|:)/g)].map((m) => m[1]!) : [match[1]],
  );
  return PRELUDE.split('\n')
    .filter((line) => !defined.some((name) => new RegExp(`declare (const|function) ${name}\\b`).test(line)))
    .join('\n');
}

const execFileAsync = promisify(execFile);

describe('docs/guides/writing-a-driver.md', () => {
  const blocks = codeBlocks(guide);
  // Inside a package of the workspace whose dependencies are @ocx/core and zod, so they resolve
  // to core as built (`pnpm build` runs first) and to the zod 4 core shares.
  const work = mkdtempSync(join(root, 'packages', 'billing', '.guide-code-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has its code blocks found', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  it('every code block type-checks against the real packages', { timeout: 120_000 }, async () => {
    const files = blocks.map((block, index) => {
      const file = `block-${index + 1}.ts`;
      writeFileSync(
        join(work, file),
        `${preludeFor(block)}\n// ---- the guide's block ${index + 1}\n${block}\nexport {};\n`,
      );
      return file;
    });
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          noUnusedLocals: false,
          types: ['node'],
        },
        files,
      }),
    );
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    const result = await execFileAsync(tsc, ['-p', 'tsconfig.json'], { cwd: work }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result, 'a code block of the guide does not type-check').toBe('');
  });
});
