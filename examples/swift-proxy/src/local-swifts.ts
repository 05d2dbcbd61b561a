import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A tempauth Swift started by `scripts/services/swift.sh`, as its `env` describes it. */
export interface LocalSwift {
  /** The instance name, upper-cased (`A`, `B`). */
  name: string;
  url: string;
  authUrl: string;
  user: string;
  key: string;
  account: string;
}

/**
 * The Swift instances `scripts/services/swift.sh` started on this machine: read from the env files it
 * writes (`$OCX_STATE_DIR/swift-<instance>/env`, default `<repo>/.ocx-state`), overridden by `OCX_SWIFT_<NAME>_*`
 * variables. Sorted by name. An instance listed here may since have been stopped: probe it.
 */
export function localSwifts(environment: NodeJS.ProcessEnv = process.env): LocalSwift[] {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const stateRoot = environment.OCX_STATE_DIR ?? join(repoRoot, '.ocx-state');
  const values: Record<string, string> = {};
  const folders = existsSync(stateRoot) ? readdirSync(stateRoot).filter((name) => name.startsWith('swift-')) : [];
  for (const folder of folders.sort()) {
    const file = join(stateRoot, folder, 'env');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^(OCX_[A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match) values[match[1]!] = match[2]!;
    }
  }
  for (const [key, value] of Object.entries(environment))
    if (key.startsWith('OCX_SWIFT_') && value !== undefined) values[key] = value;
  const names = Object.keys(values)
    .map((key) => /^OCX_SWIFT_([A-Z0-9_]+)_AUTH_URL$/.exec(key)?.[1])
    // OCX_SWIFT_TEMPAUTH_* belongs to openstack.sh's Swift, not to an instance of swift.sh.
    .filter((name): name is string => name !== undefined && name !== 'TEMPAUTH')
    .sort();
  return names.flatMap((name) => {
    const get = (suffix: string) => values[`OCX_SWIFT_${name}_${suffix}`];
    const [url, authUrl, user, key, account] = [get('URL'), get('AUTH_URL'), get('USER'), get('KEY'), get('ACCOUNT')];
    return url && authUrl && user && key && account ? [{ name, url, authUrl, user, key, account }] : [];
  });
}
