/**
 * TypeDoc plugin: in packages mode, document each package's public entry points — the `@ocx/source` targets of
 * its exports map — so the API site always matches what the package exports, with no per-package configuration.
 * A package's own typedoc.json (or "typedocOptions") still overrides `entryPoints` (it is read after this).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_CONDITION = '@ocx/source';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.options.addReader({
    name: 'ocx-source-entry-points',
    // Before typedoc.json (100) and package.json "typedocOptions" (150), so either can override it.
    order: 50,
    supportsPackages: true,
    read(container, _logger, cwd) {
      const file = join(cwd, 'package.json');
      if (!existsSync(file)) return;
      const { exports } = JSON.parse(readFileSync(file, 'utf8'));
      if (exports === null || typeof exports !== 'object') return;
      const entryPoints = Object.values(exports)
        .map((conditions) => (conditions && typeof conditions === 'object' ? conditions[SOURCE_CONDITION] : undefined))
        .filter((source) => typeof source === 'string');
      if (entryPoints.length > 0) container.setValue('entryPoints', entryPoints, cwd);
    },
  });
}
