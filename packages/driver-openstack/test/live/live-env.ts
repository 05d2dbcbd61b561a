import { describe, it } from 'vitest';
import { createOpenStackDriver, type OpenStackDriver, type OpenStackDriverOptions } from '../../src/index.js';
import { liveDriverOptions, loadOpenStackEnv } from './live-env-file.js';

export { liveDriverOptions, loadOpenStackEnv };

/** Why the live tests cannot run, or undefined when Keystone answers. */
async function unavailableReason(env: Record<string, string>): Promise<string | undefined> {
  if (env.OCX_KEYSTONE_URL === undefined || env.OCX_OS_PASSWORD === undefined) {
    return 'the OpenStack services are not set up: run `bash scripts/services/openstack.sh start` (no .ocx-state/openstack/env and no OCX_KEYSTONE_URL)';
  }
  const driver = createOpenStackDriver({ ...liveDriverOptions(env), timeoutMs: 5000, retry: { retries: 0 } });
  try {
    const health = await driver.health();
    const keystone = health.checks.keystone;
    return keystone?.ok
      ? undefined
      : `Keystone at ${env.OCX_KEYSTONE_URL} does not answer (${keystone?.message}): run \`bash scripts/services/openstack.sh start\``;
  } finally {
    await driver.dispose();
  }
}

export const liveEnv = loadOpenStackEnv();
const reason = await unavailableReason(liveEnv);

/** The services the live cloud runs (from `OCX_OS_SERVICES`). */
export const liveServices = new Set((liveEnv.OCX_OS_SERVICES ?? '').split(','));

/**
 * A describe block for tests against the real services: it runs when Keystone answers; outside CI
 * it is skipped with the reason printed; with `CI=true` a missing service fails the run.
 */
export function describeLive(name: string, body: () => void): void {
  if (reason === undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the OpenStack services (CI=true)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`[driver-openstack live] skipping "${name}": ${reason}`);
  describe.skip(`${name} — skipped: ${reason}`, body);
}

/** The reason live tests are skipped, for suites that gate themselves. */
export const liveUnavailable = reason;

/** A driver against the live cloud. */
export function liveDriver(overrides: Partial<OpenStackDriverOptions> = {}): OpenStackDriver {
  return createOpenStackDriver(liveDriverOptions(liveEnv, overrides));
}

/**
 * A live case that needs one OpenStack service: skipped, with the reason shown in the report,
 * when the services were started without it.
 */
export function itWithService(
  service: string,
  name: string,
  options: { timeout?: number },
  body: () => Promise<void>,
): void {
  it(name, options, async (context) => {
    if (!liveServices.has(service)) {
      context.skip(
        `the live OpenStack was started without ${service} (OCX_OS_SERVICES=${liveEnv.OCX_OS_SERVICES ?? ''}); ` +
          `start it with: bash scripts/services/openstack.sh start --services …,${service}`,
      );
      return;
    }
    await body();
  });
}
