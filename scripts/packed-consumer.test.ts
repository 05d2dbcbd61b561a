import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The packages as npm users get them: each package packed with `npm pack` (its @ocx ranges are
// plain versions, linked in the workspace by `linkWorkspacePackages`), the tarballs installed with **npm** into an empty project outside
// the workspace, then used from ESM, CommonJS, TypeScript and a vitest conformance run.
// Needs the built `dist/` (the README's test command builds first) and the npm registry for the
// packages' own dependencies.
//
// Left out: @ocx/store-sqlite, whose better-sqlite3 addon compiles from source for about a minute
// on this machine (prebuilt downloads fail here); its packed exports are checked by
// scripts/check-exports.mjs, and the addon build by .ci/run's native-addon step.

const root = join(import.meta.dirname, '..');
const LEFT_OUT = new Set(['store-sqlite']);

interface PackedPackage {
  name: string;
  dir: string;
  /** Subpaths of the exports map (`.`, `./http`, …), without `./package.json`. */
  subpaths: string[];
  /** Subpaths with a `require` condition. */
  requirable: string[];
}

function workspacePackages(): PackedPackage[] {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !LEFT_OUT.has(entry.name))
    .map((entry) => {
      const dir = join(root, 'packages', entry.name);
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const exportsMap = json.exports as Record<string, unknown>;
      const subpaths = Object.keys(exportsMap).filter((key) => key !== './package.json');
      const requirable = subpaths.filter((key) => {
        const target = exportsMap[key];
        return typeof target === 'object' && target !== null && 'require' in target;
      });
      return { name: json.name as string, dir, subpaths, requirable };
    });
}

/** The specifier a consumer writes for a subpath: `@ocx/core` for `.`, `@ocx/core/http` for `./http`. */
const specifier = (name: string, subpath: string): string => (subpath === '.' ? name : `${name}${subpath.slice(1)}`);
/** Subpaths that load vitest: they run only inside a vitest test (documented in the guide). */
const needsVitest = (subpath: string): boolean => subpath === './testing';

const execFileAsync = promisify(execFile);
/** Run a command without blocking the event loop (vitest's worker must keep answering). */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 480_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
  });
  return stdout;
}

describe('packed tarballs installed with npm outside the workspace', () => {
  const packages = workspacePackages();
  let work: string;
  let app: string;
  let tarballs: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ocx-packed-'));
    tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    for (const pkg of packages) await run('npm', ['pack', '--silent', '--pack-destination', tarballs], pkg.dir);
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const files = readdirSync(tarballs).map((file) => join(tarballs, file));
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...files,
        'vitest@3.2.7',
        'typescript@5.9.3',
        '@types/node@20',
        // The optional peer of @ocx/core/prometheus.
        'prom-client@15',
      ],
      app,
    );
  }, 600_000);
  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('every packed package.json names versions, never workspace: ranges', { timeout: 300_000 }, async () => {
    for (const pkg of packages) {
      const installed = readFileSync(join(app, 'node_modules', pkg.name, 'package.json'), 'utf8');
      expect(installed, pkg.name).not.toContain('workspace:');
    }
  });

  // The ecosystem's checks of a package as published: publint (package.json fields, exports map,
  // files) and Are the Types Wrong (types for every entry point, in CJS and ESM, under node16 and
  // bundlers). `./testing` is ESM only by design (it loads vitest), so attw leaves it out; its
  // types are checked by the TypeScript consumer below.
  it('publint and attw pass on every tarball', { timeout: 300_000 }, async () => {
    const bin = (name: string) => join(root, 'node_modules', '.bin', name);
    const files = readdirSync(tarballs);
    expect(files).toHaveLength(packages.length);
    for (const pkg of packages) {
      const file = files.find((name) => name.startsWith(`${pkg.name.replace('@', '').replace('/', '-')}-`));
      expect(file, pkg.name).toBeDefined();
      const tarball = join(tarballs, file!);
      await run(bin('publint'), ['--strict', tarball], work);
      const exclude = pkg.subpaths.includes('./testing') ? ['--exclude-entrypoints', './testing'] : [];
      await run(bin('attw'), [tarball, '--profile', 'node16', '--format', 'ascii', ...exclude], work);
    }
  });

  it('every export loads from ESM (plain node)', { timeout: 300_000 }, async () => {
    const lines = packages.flatMap((pkg) =>
      pkg.subpaths
        .filter((subpath) => !needsVitest(subpath))
        .map((subpath) => {
          const spec = specifier(pkg.name, subpath);
          return `{ const m = await import(${JSON.stringify(spec)}); if (Object.keys(m).length === 0) throw new Error('empty: ${spec}'); }`;
        }),
    );
    writeFileSync(join(app, 'esm.mjs'), `${lines.join('\n')}\nconsole.log('esm ok ${lines.length}');\n`);
    expect(await run('node', ['esm.mjs'], app)).toContain(`esm ok ${lines.length}`);
  });

  it('every export with a require condition loads from CommonJS', { timeout: 300_000 }, async () => {
    const lines = packages.flatMap((pkg) =>
      pkg.requirable.map((subpath) => {
        const spec = specifier(pkg.name, subpath);
        return `if (Object.keys(require(${JSON.stringify(spec)})).length === 0) throw new Error('empty: ${spec}');`;
      }),
    );
    expect(lines.length).toBeGreaterThan(0);
    writeFileSync(join(app, 'cjs.cjs'), `${lines.join('\n')}\nconsole.log('cjs ok ${lines.length}');\n`);
    expect(await run('node', ['cjs.cjs'], app)).toContain(`cjs ok ${lines.length}`);
  });

  it('the types resolve for TypeScript (nodenext), and a driver type-checks against them', {
    timeout: 300_000,
  }, async () => {
    const imports = packages.flatMap((pkg) =>
      pkg.subpaths.map(
        (subpath, index) =>
          `import * as ${pkg.name.replace(/\W/g, '_')}_${index} from ${JSON.stringify(specifier(pkg.name, subpath))};\nvoid ${pkg.name.replace(/\W/g, '_')}_${index};`,
      ),
    );
    writeFileSync(
      join(app, 'consumer.ts'),
      `${imports.join('\n')}
import { type Driver, SPECIFICATION_VERSION } from '@ocx/core';
export const driver: Driver = {
  specificationVersion: SPECIFICATION_VERSION,
  name: 'my-backend',
  capabilities: {},
  async health() { return { ok: true, checks: {} }; },
  async dispose() {},
};
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    await run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
  });

  it('a driver passes the published conformance suites under vitest', { timeout: 300_000 }, async () => {
    writeFileSync(
      join(app, 'driver.conformance.test.mjs'),
      `import { createReferenceDriver, runQuotaProviderConformance, runTenancyConformance } from '@ocx/core/testing';
const setup = () => ({ driver: createReferenceDriver({ landlord: 'third-party', service: 'cloud' }) });
runTenancyConformance({ name: 'third-party', setup });
runQuotaProviderConformance({ name: 'third-party', setup });
`,
    );
    const output = await run(
      join(app, 'node_modules', '.bin', 'vitest'),
      ['run', '--reporter=dot', 'driver.conformance'],
      app,
    );
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
  });

  it('a driver that skips input validation is told what to do, and a later failure names the first', {
    timeout: 300_000,
  }, async () => {
    // A "third-party" driver that forwards a bad project to its backend (which answers 400, an
    // `http` error) and whose getter then loses track of projects.
    writeFileSync(
      join(app, 'broken.conformance.test.mjs'),
      `import { OcxError } from '@ocx/core';
import { createReferenceDriver, runTenancyConformance } from '@ocx/core/testing';
const setup = () => {
  const driver = createReferenceDriver({ landlord: 'third-party', service: 'cloud' });
  const tenancy = driver.tenancy;
  driver.tenancy = {
    ...tenancy,
    ensureProject: async (project, options) => {
      if (project.name === '') throw new OcxError({ code: 'http', backend: 'mine', operation: 'create-project', message: 'HTTP 400' });
      return tenancy.ensureProject(project, options);
    },
    getProject: async () => undefined,
  };
  return { driver };
};
runTenancyConformance({ name: 'broken', setup });
`,
    );
    const failure = await run(join(app, 'node_modules', '.bin', 'vitest'), ['run', 'broken.conformance'], app).then(
      () => undefined,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(failure, 'the broken driver passed the suite').toBeDefined();
    expect(failure).toContain("the driver must validate input with the capability's schema");
    expect(failure).toMatch(
      /The earlier case "malformed input is refused as validation and creates nothing" failed first/,
    );
  });
});
