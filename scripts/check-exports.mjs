#!/usr/bin/env node
/**
 * Checks that every package under packages/* publishes an exports map that works for its users.
 *
 * For each package: `sideEffects: false`, `engines.node` ">=20.19", `files` includes dist, `./package.json`
 * resolves to the package.json, and no typedoc entryPoints override leaves an `@ocx/source` entry out of the API docs.
 * For each subpath of `exports`:
 *   layout  `@ocx/source` first, then `import` and `require` blocks with `types` first and `default` last;
 *           every target file exists;
 *   esm     `import()` in a fresh ESM Node process resolves to the `import` target and loads;
 *   cjs     `require()` in a fresh CommonJS process resolves to the `require` target and loads, without
 *           falling back on require(esm);
 *   names   both builds expose the same export names;
 *   types   an ESM consumer (.ts, NodeNext) and a CommonJS consumer (.cts) type-check against the published
 *           .d.ts/.d.cts — no `@ocx/source` condition — and every runtime export has a declared type.
 * A subpath whose module imports vitest (a conformance kit) can only load inside a vitest run: it is loaded in
 * one instead, and, vitest being ESM-only, it may (and should) leave out `require`.
 *
 * The consumer is a temporary package whose node_modules/@ocx/<name> are symlinks to the packages, as pnpm
 * links them, so each package's own dependencies resolve from its own node_modules.
 *
 * Usage: node scripts/check-exports.mjs [package-folder-or-name …]   (after `pnpm build`)
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');
const REQUIRED_ENGINE = '>=20.19';
const SOURCE_CONDITION = '@ocx/source';
const NEEDS_VITEST = /Vitest failed to access its internal state|Vitest cannot be imported in a CommonJS module/;

/**
 * @typedef {{ dir: string, folder: string, json: any, failures: string[], warnings: string[], subpaths: Subpath[],
 *   checks: Record<string, boolean | undefined> }} Pkg
 * @typedef {{ key: string, specifier: string, source?: string, importTarget?: string, importTypes?: string,
 *   requireTarget?: string, requireTypes?: string, hasRequire: boolean, needsVitest?: boolean,
 *   esmKeys?: string[], cjsKeys?: string[], checks: Record<string, boolean | undefined> }} Subpath
 */

function discoverPackages(filters) {
  if (!existsSync(packagesDir)) return [];
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return /** @type {Pkg} */ ({
        dir,
        folder: entry.name,
        json,
        failures: [],
        warnings: [],
        subpaths: [],
        checks: {},
      });
    })
    .filter((pkg) => filters.length === 0 || filters.includes(pkg.folder) || filters.includes(pkg.json.name))
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

// ---------------------------------------------------------------------------------------------------------------
// Static checks: package.json fields and the shape of the exports map.

function checkManifest(pkg) {
  const { json } = pkg;
  const fail = (message) => pkg.failures.push(message);
  if (!json.name?.startsWith('@ocx/')) fail(`name "${json.name}" is not in the @ocx scope`);
  pkg.checks.sideEffects = json.sideEffects === false;
  if (!pkg.checks.sideEffects) fail(`"sideEffects" must be false (is ${JSON.stringify(json.sideEffects)})`);
  pkg.checks.engines = json.engines?.node === REQUIRED_ENGINE;
  if (!pkg.checks.engines) {
    fail(`"engines.node" must be "${REQUIRED_ENGINE}" (is ${JSON.stringify(json.engines?.node)})`);
  }
  pkg.checks.files = Array.isArray(json.files) && json.files.some((entry) => /^(\.\/)?dist\/?$/.test(entry));
  if (!pkg.checks.files) fail(`"files" must include "dist" (is ${JSON.stringify(json.files)})`);
  for (const field of ['main', 'module', 'types']) {
    if (typeof json[field] === 'string' && !existsSync(join(pkg.dir, json[field]))) {
      fail(`"${field}" points to ${json[field]}, which does not exist${buildHint(json[field])}`);
    }
  }
  if (json.exports === null || typeof json.exports !== 'object' || Array.isArray(json.exports)) {
    fail('"exports" must be an object of subpaths');
    return;
  }
  if (json.exports['./package.json'] !== './package.json') {
    pkg.checks.packageJson = false;
    fail('"exports" must map "./package.json" to "./package.json"');
  }
  for (const [key, value] of Object.entries(json.exports)) {
    if (key === './package.json') continue;
    if (!key.startsWith('.') || key.includes('*')) {
      fail(`exports["${key}"]: subpaths must be explicit ("." or "./name"), without patterns`);
      continue;
    }
    pkg.subpaths.push(checkSubpath(pkg, key, value));
  }
  checkDocs(pkg);
}

function buildHint(target) {
  return /(^|\/)dist\//.test(target) ? ' — run `pnpm build` first' : '';
}

/** @returns {Subpath} */
function checkSubpath(pkg, key, value) {
  const specifier = key === '.' ? pkg.json.name : `${pkg.json.name}/${key.slice(2)}`;
  /** @type {Subpath} */
  const subpath = { key, specifier, hasRequire: false, checks: {} };
  let layoutOk = true;
  const bad = (message) => {
    layoutOk = false;
    pkg.failures.push(`exports["${key}"]: ${message}`);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    bad(`must be a block of conditions ("${SOURCE_CONDITION}", "import", "require"), not ${JSON.stringify(value)}`);
    subpath.checks.layout = false;
    return subpath;
  }
  const conditions = Object.keys(value);
  for (const condition of conditions) {
    if (![SOURCE_CONDITION, 'import', 'require'].includes(condition)) bad(`unexpected condition "${condition}"`);
  }
  if (conditions[0] !== SOURCE_CONDITION) {
    bad(`"${SOURCE_CONDITION}" must be the first condition (order is ${conditions.join(', ')})`);
  } else {
    subpath.source = value[SOURCE_CONDITION];
    if (typeof subpath.source !== 'string' || !/\.tsx?$/.test(subpath.source)) {
      bad(`"${SOURCE_CONDITION}" must name a .ts file`);
    }
  }
  subpath.hasRequire = 'require' in value;
  // `require` may be missing only for a subpath that needs vitest; decided once it has been loaded.
  for (const condition of subpath.hasRequire ? ['import', 'require'] : ['import']) {
    const block = value[condition];
    if (block === null || typeof block !== 'object') {
      bad(`"${condition}" must be a block { "types": …, "default": … }`);
      continue;
    }
    const names = Object.keys(block);
    if (names[0] !== 'types') bad(`"${condition}": "types" must come first (order is ${names.join(', ')})`);
    if (names.at(-1) !== 'default') bad(`"${condition}": "default" must come last (order is ${names.join(', ')})`);
    const [code, types] = condition === 'import' ? [/\.m?js$/, /\.d\.m?ts$/] : [/\.c?js$/, /\.d\.c?ts$/];
    if (typeof block.default !== 'string' || !code.test(block.default)) {
      bad(`"${condition}.default" has an unexpected extension: ${block.default}`);
    }
    if (typeof block.types !== 'string' || !types.test(block.types)) {
      bad(`"${condition}.types" has an unexpected extension: ${block.types}`);
    }
    if (condition === 'import') {
      subpath.importTarget = block.default;
      subpath.importTypes = block.types;
    } else {
      subpath.requireTarget = block.default;
      subpath.requireTypes = block.types;
    }
  }
  // Every target named anywhere in the block must exist.
  const walk = (node, path) => {
    if (typeof node === 'string') {
      if (!existsSync(join(pkg.dir, node))) bad(`${path} → ${node} does not exist${buildHint(node)}`);
    } else if (node && typeof node === 'object') {
      for (const [name, child] of Object.entries(node)) walk(child, `${path}.${name}`);
    }
  };
  walk(value, key);
  subpath.checks.layout = layoutOk;
  return subpath;
}

/**
 * Every public entry (its `@ocx/source` file) must be in the API docs. scripts/typedoc-source-entry-points.mjs
 * documents exactly those by default; a package's own typedoc.json (or "typedocOptions") may override the list.
 */
function checkDocs(pkg) {
  const typedocFile = join(pkg.dir, 'typedoc.json');
  const own = existsSync(typedocFile) ? JSON.parse(readFileSync(typedocFile, 'utf8')) : pkg.json.typedocOptions;
  if (own?.entryPoints === undefined) {
    pkg.checks.docs = true;
    return;
  }
  const entryPoints = new Set(own.entryPoints.map((entry) => entry.replace(/^\.\//, '')));
  const wanted = pkg.subpaths.map((subpath) => subpath.source).filter((source) => source !== undefined);
  const missing = wanted.filter((source) => !entryPoints.has(source.replace(/^\.\//, '')));
  pkg.checks.docs = missing.length === 0;
  if (missing.length > 0) {
    pkg.failures.push(
      `the API docs (\`pnpm docs\`) miss ${missing.join(', ')}: its typedoc entryPoints override the exports map; ` +
        'add them, or drop "entryPoints" to document every export',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime checks: import() and require() in fresh Node processes, from a consumer package.

function createConsumer(packages) {
  const dir = mkdtempSync(join(tmpdir(), 'ocx-check-exports-'));
  const dependencies = Object.fromEntries(packages.map((pkg) => [pkg.json.name, `file:${pkg.dir}`]));
  const manifest = { name: 'ocx-consumer', private: true, type: 'module', dependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const pkg of packages) {
    const link = join(dir, 'node_modules', ...pkg.json.name.split('/'));
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(pkg.dir, link, 'dir');
  }
  return dir;
}

// Each probe prints one JSON line: where the specifier resolved, and the export names or the load error.
const ESM_PROBE = `
const specifier = process.argv[1];
const resolved = import.meta.resolve(specifier);
try {
  const namespace = await import(specifier);
  process.stdout.write(JSON.stringify({ resolved, keys: Object.keys(namespace).sort() }));
} catch (error) {
  process.stdout.write(JSON.stringify({ resolved, error: String(error?.stack ?? error) }));
}
`;
const CJS_PROBE = `
const specifier = process.argv[1];
const resolved = require.resolve(specifier);
try {
  const exported = require(specifier);
  const keys = exported !== null && (typeof exported === 'object' || typeof exported === 'function')
    ? Object.keys(exported).filter((key) => key !== '__esModule').sort() : [];
  process.stdout.write(JSON.stringify({ resolved, keys }));
} catch (error) {
  process.stdout.write(JSON.stringify({ resolved, error: String(error?.stack ?? error) }));
}
`;
const PACKAGE_JSON_PROBE = `
const specifier = process.argv[1];
const esm = await import(specifier, { with: { type: 'json' } });
const { createRequire } = await import('node:module');
const require = createRequire(process.cwd() + '/');
process.stdout.write(JSON.stringify({ resolved: require.resolve(specifier), name: esm.default.name }));
`;
/** A test file that loads the subpath inside vitest and writes what it found to a file. */
const vitestProbe = (specifier, output) => `
import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
test('load ${specifier}', async () => {
  const namespace = await import(${JSON.stringify(specifier)});
  writeFileSync(${JSON.stringify(output)}, JSON.stringify({ keys: Object.keys(namespace).sort() }));
});
`;

function run(args, cwd) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: signal ? `signal ${signal}` : code, stdout, stderr });
    });
  });
}

function firstLines(text, count = 6) {
  return text.trim().split('\n').slice(0, count).join('\n      ');
}

/** Runs a probe; returns its JSON, or undefined after recording why it failed. */
async function probe(pkg, label, args, cwd) {
  const result = await run(args, cwd);
  let parsed;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    pkg.failures.push(`${label} failed (exit ${result.code}):\n      ${firstLines(result.stderr || result.stdout)}`);
    return undefined;
  }
  const noise = result.stderr.trim();
  if (noise) pkg.warnings.push(`${label} wrote to stderr:\n      ${firstLines(noise, 3)}`);
  return parsed;
}

function samePath(actual, pkg, target) {
  try {
    return realpathSync(actual) === realpathSync(join(pkg.dir, target));
  } catch {
    return false;
  }
}

async function checkEsm(pkg, subpath, consumer) {
  const label = `import('${subpath.specifier}')`;
  const esm = await probe(pkg, label, ['--input-type=module', '-e', ESM_PROBE, subpath.specifier], consumer);
  if (esm === undefined) return;
  if (!samePath(fileURLToPath(esm.resolved), pkg, subpath.importTarget)) {
    subpath.checks.esm = false;
    pkg.failures.push(`${label} resolved to ${esm.resolved}, not ${subpath.importTarget}`);
    return;
  }
  if (esm.error === undefined) {
    subpath.checks.esm = true;
    subpath.esmKeys = esm.keys;
  } else if (NEEDS_VITEST.test(esm.error)) {
    subpath.needsVitest = true; // loaded by checkInVitest
  } else {
    subpath.checks.esm = false;
    pkg.failures.push(`${label} threw:\n      ${firstLines(esm.error)}`);
  }
}

/**
 * Loads the subpaths that import vitest inside one vitest run, one test file each. It uses the vitest their
 * packages resolve (normally one copy for the workspace), so the instance the module imports is the running one.
 */
async function checkInVitest(packages, consumer) {
  const byVitest = new Map();
  for (const pkg of packages) {
    for (const subpath of pkg.subpaths.filter((candidate) => candidate.needsVitest)) {
      let vitestBin;
      try {
        const vitestPackage = createRequire(join(pkg.dir, 'package.json')).resolve('vitest/package.json');
        vitestBin = join(dirname(realpathSync(vitestPackage)), 'vitest.mjs');
      } catch {
        subpath.checks.esm = false;
        pkg.failures.push(
          `${subpath.specifier} imports vitest, but vitest does not resolve from ${relative(root, pkg.dir)}`,
        );
        continue;
      }
      const name = `probe${subpath.specifier.replace(/[^a-zA-Z0-9]+/g, '-')}`;
      const probe = { pkg, subpath, output: join(consumer, `${name}.json`), testFile: `${name}.test.mjs` };
      writeFileSync(join(consumer, probe.testFile), vitestProbe(subpath.specifier, probe.output));
      byVitest.set(vitestBin, [...(byVitest.get(vitestBin) ?? []), probe]);
    }
  }
  for (const [vitestBin, probes] of byVitest) {
    const files = probes.map((probe) => probe.testFile);
    const result = await run([vitestBin, 'run', '--root', consumer, '--reporter=dot', ...files], consumer);
    for (const { pkg, subpath, output } of probes) {
      subpath.checks.esm = existsSync(output);
      if (subpath.checks.esm) {
        subpath.esmKeys = JSON.parse(readFileSync(output, 'utf8')).keys;
      } else {
        const log = firstLines(`${result.stdout}\n${result.stderr}`, 12);
        pkg.failures.push(`import('${subpath.specifier}') failed inside vitest (exit ${result.code}):\n      ${log}`);
      }
    }
  }
}

async function checkCjs(pkg, subpath, consumer, cjsFlags) {
  const label = `require('${subpath.specifier}')`;
  const cjs = await probe(pkg, label, [...cjsFlags, '-e', CJS_PROBE, subpath.specifier], consumer);
  if (cjs === undefined) return;
  if (!samePath(cjs.resolved, pkg, subpath.requireTarget)) {
    subpath.checks.cjs = false;
    pkg.failures.push(`${label} resolved to ${cjs.resolved}, not ${subpath.requireTarget}`);
    return;
  }
  if (cjs.error === undefined) {
    subpath.checks.cjs = true;
    subpath.cjsKeys = cjs.keys;
    return;
  }
  subpath.checks.cjs = false;
  if (NEEDS_VITEST.test(cjs.error)) {
    pkg.failures.push(
      `${label}: it imports vitest (directly or through another package), so it loads only inside a vitest run ` +
        'and never through require(), vitest being ESM-only. If it is meant for use outside tests, stop importing ' +
        `vitest when it loads; if it is for tests only, remove the "require" condition of exports["${subpath.key}"].`,
    );
  } else if (/ERR_REQUIRE_ESM|ERR_REQUIRE_ASYNC_MODULE|require\(\) of ES Module/.test(cjs.error)) {
    pkg.failures.push(
      `${label}: the CommonJS build requires an ES module — bundle that dependency (tsup noExternal) so ` +
        `CommonJS users never depend on require(esm):\n      ${firstLines(cjs.error, 3)}`,
    );
  } else {
    pkg.failures.push(`${label} threw:\n      ${firstLines(cjs.error)}`);
  }
}

async function checkPackageJson(pkg, consumer) {
  const specifier = `${pkg.json.name}/package.json`;
  const result = await probe(
    pkg,
    `'${specifier}'`,
    ['--input-type=module', '-e', PACKAGE_JSON_PROBE, specifier],
    consumer,
  );
  pkg.checks.packageJson =
    result !== undefined && samePath(result.resolved, pkg, 'package.json') && result.name === pkg.json.name;
  if (result && !pkg.checks.packageJson) {
    pkg.failures.push(`${specifier} resolved to ${result.resolved}, not the package's package.json`);
  }
}

/** The import()/require()/package.json probes of one package, as tasks for the shared pool. */
function runtimeTasks(pkg, consumer, cjsFlags) {
  const tasks = [];
  for (const subpath of pkg.subpaths.filter((candidate) => candidate.checks.layout)) {
    tasks.push(() => checkEsm(pkg, subpath, consumer));
    if (subpath.hasRequire) tasks.push(() => checkCjs(pkg, subpath, consumer, cjsFlags));
  }
  if (pkg.checks.packageJson !== false) tasks.push(() => checkPackageJson(pkg, consumer));
  return tasks;
}

/** After loading: only vitest-bound subpaths may lack `require`, and both builds must export the same names. */
function compareBuilds(pkg) {
  for (const subpath of pkg.subpaths.filter((candidate) => candidate.checks.layout)) {
    if (!subpath.hasRequire && !subpath.needsVitest && subpath.checks.esm !== undefined) {
      subpath.checks.layout = false;
      pkg.failures.push(
        `exports["${subpath.key}"] has no "require" condition: CommonJS users cannot load it ` +
          '(only a subpath that imports vitest may be ESM-only)',
      );
    }
    if (subpath.esmKeys === undefined || subpath.cjsKeys === undefined) continue;
    const onlyEsm = subpath.esmKeys.filter((key) => !subpath.cjsKeys.includes(key));
    const onlyCjs = subpath.cjsKeys.filter((key) => !subpath.esmKeys.includes(key));
    subpath.checks.names = onlyEsm.length === 0 && onlyCjs.length === 0;
    if (!subpath.checks.names) {
      pkg.failures.push(
        `${subpath.specifier}: the ESM and CommonJS builds export different names` +
          (onlyEsm.length ? `; only in ESM: ${onlyEsm.join(', ')}` : '') +
          (onlyCjs.length ? `; only in CJS: ${onlyCjs.join(', ')}` : ''),
      );
    }
  }
}

async function pool(tasks, limit) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** `--no-experimental-require-module` where Node accepts it, so CommonJS probes cannot lean on require(esm). */
async function cjsProbeFlags() {
  const result = await run(['--no-experimental-require-module', '-e', '0'], root);
  return result.code === 0 ? ['--no-experimental-require-module'] : [];
}

// ---------------------------------------------------------------------------------------------------------------
// Type checks: the published declarations, as an ESM (.ts) and a CommonJS (.cts) consumer sees them.

/** Code that imports each subpath and touches each of its runtime exports, so an export without a type fails. */
function consumerSource(subpaths, kind) {
  const lines = [];
  subpaths.forEach((subpath, index) => {
    const name = `m${index}`;
    lines.push(
      kind === 'esm'
        ? `import * as ${name} from '${subpath.specifier}';`
        : `import ${name} = require('${subpath.specifier}');`,
    );
  });
  subpaths.forEach((subpath, index) => {
    const keys = ((kind === 'esm' ? subpath.esmKeys : subpath.cjsKeys) ?? []).filter((key) => key !== 'default');
    lines.push(`export const used${index} = [${keys.map((key) => `m${index}[${JSON.stringify(key)}]`).join(', ')}];`);
  });
  return `${lines.join('\n')}\n`;
}

function writeTypeConsumers(packages, consumer) {
  const files = new Map();
  for (const pkg of packages) {
    const subpaths = pkg.subpaths.filter((subpath) => subpath.checks.layout);
    if (subpaths.length === 0) continue;
    const required = subpaths.filter((subpath) => subpath.hasRequire);
    const base = pkg.folder.replace(/[^a-zA-Z0-9-]/g, '_');
    const esmFile = join(consumer, `${base}.ts`);
    writeFileSync(esmFile, consumerSource(subpaths, 'esm'));
    let cjsFile;
    if (required.length > 0) {
      cjsFile = join(consumer, `${base}.cts`);
      writeFileSync(cjsFile, consumerSource(required, 'cjs'));
    }
    files.set(pkg, { esmFile, cjsFile, subpaths });
  }
  return files;
}

async function typeChecks(packages, consumer) {
  const files = writeTypeConsumers(packages, consumer);
  if (files.size === 0) return;
  const { default: ts } = await import('typescript');
  const options = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  const rootNames = [...files.values()].flatMap(({ esmFile, cjsFile }) => (cjsFile ? [esmFile, cjsFile] : [esmFile]));
  const program = ts.createProgram({ rootNames, options });
  const loaded = new Set(program.getSourceFiles().map((file) => realpathOrSelf(file.fileName)));
  const format = (diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (!diagnostic.file) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return `${displayPath(diagnostic.file.fileName, consumer)}(${line + 1},${character + 1}): ${message}`;
  };
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const [pkg, { esmFile, cjsFile, subpaths }] of files) {
    // Only our own files are checked (the consumers and the package's declarations), not third-party typings.
    const own = program.getSourceFiles().filter((file) => {
      const path = realpathOrSelf(file.fileName);
      return (
        path === esmFile || path === cjsFile || (path.startsWith(`${pkg.dir}/`) && !path.includes('/node_modules/'))
      );
    });
    const diagnostics = [
      ...global,
      ...own.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
    ];
    const errors = diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
    for (const subpath of subpaths) {
      const wanted = [subpath.importTypes, ...(subpath.hasRequire ? [subpath.requireTypes] : [])];
      const missing = wanted.filter((types) => !loaded.has(realpathOrSelf(join(pkg.dir, types))));
      subpath.checks.types = missing.length === 0;
      for (const types of missing) pkg.failures.push(`types: no consumer of ${subpath.specifier} loaded ${types}`);
    }
    if (errors.length > 0) {
      for (const subpath of subpaths) subpath.checks.types = false;
      pkg.failures.push(
        `types: ${errors.length} error(s) type-checking the published declarations:\n      ${errors.slice(0, 15).map(format).join('\n      ')}`,
      );
    }
  }
}

function realpathOrSelf(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function displayPath(path, consumer) {
  const real = realpathOrSelf(path);
  return real.startsWith(consumer) ? `<consumer>/${relative(consumer, real)}` : relative(root, real);
}

// ---------------------------------------------------------------------------------------------------------------
// Report.

const mark = (value) => (value === undefined ? '-' : value ? 'ok' : 'FAIL');

function printTable(packages) {
  const header = ['export', 'layout', 'esm', 'cjs', 'names', 'types'];
  const rows = [];
  for (const pkg of packages) {
    const manifest = ['sideEffects', 'engines', 'files', 'packageJson', 'docs']
      .map((name) => `${name === 'packageJson' ? './package.json' : name} ${mark(pkg.checks[name])}`)
      .join(', ');
    rows.push([`${pkg.json.name}  (${manifest})`]);
    for (const subpath of pkg.subpaths) {
      const { checks } = subpath;
      let names = mark(checks.names);
      if (checks.names) names = `ok ${subpath.esmKeys.length}`;
      else if (checks.names === undefined && subpath.esmKeys) names = `${subpath.esmKeys.length}`;
      rows.push([
        `  ${subpath.specifier}`,
        mark(checks.layout),
        checks.esm && subpath.needsVitest ? 'ok (in vitest)' : mark(checks.esm),
        subpath.hasRequire ? mark(checks.cjs) : 'esm-only',
        names,
        mark(checks.types),
      ]);
    }
  }
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.filter((row) => row.length > 1).map((row) => String(row[column]).length)),
  );
  const line = (cells) =>
    cells
      .map((cell, column) => String(cell).padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(row.length === 1 ? row[0] : line(row));
}

async function main() {
  const filters = process.argv.slice(2);
  const packages = discoverPackages(filters);
  if (packages.length === 0) {
    const where = relative(process.cwd(), packagesDir) || '.';
    console.error(
      `check-exports: no packages under ${where}${filters.length ? ` matching ${filters.join(', ')}` : ''}`,
    );
    process.exit(1);
  }
  const unbuilt = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist')));
  if (unbuilt.length > 0) {
    const list = unbuilt.map((pkg) => `packages/${pkg.folder}/dist`).join(', ');
    console.error(`check-exports: ${list} missing — run \`pnpm build\` first (\`pnpm test\` builds before testing).`);
    process.exit(1);
  }
  const started = performance.now();
  for (const pkg of packages) checkManifest(pkg);
  const consumer = createConsumer(packages);
  try {
    const cjsFlags = await cjsProbeFlags();
    const limit = Math.max(2, availableParallelism());
    await pool(
      packages.flatMap((pkg) => runtimeTasks(pkg, consumer, cjsFlags)),
      limit,
    );
    await checkInVitest(packages, consumer);
    for (const pkg of packages) compareBuilds(pkg);
    await typeChecks(packages, consumer);
  } finally {
    rmSync(consumer, { recursive: true, force: true });
  }

  const elapsed = Math.round(performance.now() - started);
  console.log(`check-exports: ${packages.length} package(s), Node ${process.version}, ${elapsed} ms\n`);
  printTable(packages);
  const warnings = packages.flatMap((pkg) => pkg.warnings.map((warning) => `${pkg.json.name}: ${warning}`));
  if (warnings.length > 0) console.log(`\nwarnings:\n${warnings.map((warning) => `  - ${warning}`).join('\n')}`);
  const failures = packages.flatMap((pkg) => pkg.failures.map((failure) => `${pkg.json.name}: ${failure}`));
  if (failures.length > 0) {
    const list = failures.map((failure) => `  - ${failure}`).join('\n');
    console.error(`\ncheck-exports: ${failures.length} problem(s):\n${list}`);
    process.exit(1);
  }
  console.log('\ncheck-exports: every export resolves, loads as ESM and CommonJS, and type-checks.');
}

await main();
