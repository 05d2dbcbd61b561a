import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenStackDriverOptions } from '../../src/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The endpoints and credentials `scripts/services/openstack.sh` wrote (its `env` file under
 * `$OCX_STATE_DIR/openstack/`), overridden by `OCX_*` variables already set.
 */
export function loadOpenStackEnv(): Record<string, string> {
  const stateRoot = process.env.OCX_STATE_DIR ?? join(repoRoot, '.ocx-state');
  const file = join(stateRoot, 'openstack', 'env');
  const env: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (match) env[match[1]!] = match[2]!;
    }
  }
  for (const [key, value] of Object.entries(process.env))
    if (key.startsWith('OCX_') && value !== undefined) env[key] = value;
  return env;
}

/** Driver options for the admin of the live cloud, merged with `overrides`. */
export function liveDriverOptions(
  env: Record<string, string>,
  overrides: Partial<OpenStackDriverOptions> = {},
): OpenStackDriverOptions {
  const services = (env.OCX_OS_SERVICES ?? '').split(',');
  return {
    auth: {
      url: env.OCX_KEYSTONE_URL!,
      username: env.OCX_OS_USERNAME!,
      password: env.OCX_OS_PASSWORD!,
      userDomain: env.OCX_OS_DOMAIN ?? 'Default',
      project: env.OCX_OS_PROJECT!,
      projectDomain: env.OCX_OS_DOMAIN ?? 'Default',
    },
    region: env.OCX_OS_REGION,
    landlord: 'live-landlord',
    service: 'openstack',
    services: (['nova', 'cinder', 'neutron', 'glance', 'swift'] as const).filter((service) =>
      services.includes(service),
    ),
    ...overrides,
  };
}
