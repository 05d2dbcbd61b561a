import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (four folders above this file). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/**
 * The endpoints and credentials of the real OpenStack that `scripts/services/openstack.sh` starts:
 * its env file (same state dir and override as the scripts), overridden by `OCX_*` variables.
 * Tests only.
 */
export function loadOpenStackEnv(): Record<string, string> {
  const stateRoot = process.env.OCX_STATE_DIR ?? join(repoRoot, '.ocx-state');
  const file = join(stateRoot, 'openstack', 'env');
  const merged: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (match) merged[match[1]!] = match[2]!;
    }
  }
  for (const [key, value] of Object.entries(process.env))
    if (key.startsWith('OCX_') && value !== undefined) merged[key] = value;
  return merged;
}
