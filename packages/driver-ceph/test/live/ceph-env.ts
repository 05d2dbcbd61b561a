import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** The endpoints and credentials of the one-node Ceph that `scripts/services/ceph.sh start` runs. */
export interface CephLiveEnv {
  rgwUrl: string;
  rgwRegion: string;
  adminUid: string;
  accessKey: string;
  secretKey: string;
  dashboardUrl?: string;
  dashboardCaFile?: string;
  dashboardUsername?: string;
  dashboardPassword?: string;
  rbdPool?: string;
  rbdImage?: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** `KEY=value` lines of the env file ceph.sh writes, overridden by `OCX_*` variables already set. */
function readEnv(): Record<string, string> {
  const stateRoot = process.env.OCX_STATE_DIR ?? join(repoRoot, '.ocx-state');
  const file = join(stateRoot, 'ceph', 'env');
  const values: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (match) values[match[1]!] = match[2]!;
    }
  }
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('OCX_') && value !== undefined) values[key] = value;
  }
  return values;
}

/** Probe RGW's anonymous root (200 when radosgw is up). */
async function rgwAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** The live Ceph, or the reason it cannot be used. */
export async function loadCephLiveEnv(): Promise<{ env: CephLiveEnv } | { reason: string }> {
  const values = readEnv();
  const rgwUrl = values.OCX_RGW_URL;
  if (rgwUrl === undefined || values.OCX_RGW_ACCESS_KEY === undefined || values.OCX_RGW_SECRET_KEY === undefined) {
    return { reason: 'no Ceph env (OCX_RGW_URL and keys): run `bash scripts/services/ceph.sh start`' };
  }
  if (!(await rgwAnswers(rgwUrl)))
    return { reason: `radosgw does not answer at ${rgwUrl}: run \`bash scripts/services/ceph.sh start\`` };
  return {
    env: {
      rgwUrl,
      rgwRegion: values.OCX_RGW_REGION ?? 'default',
      adminUid: values.OCX_RGW_ADMIN_UID ?? 'ocx-rgw-admin',
      accessKey: values.OCX_RGW_ACCESS_KEY,
      secretKey: values.OCX_RGW_SECRET_KEY,
      dashboardUrl: values.OCX_CEPH_DASHBOARD_URL,
      dashboardCaFile: values.OCX_CEPH_DASHBOARD_CA_FILE,
      dashboardUsername: values.OCX_CEPH_DASHBOARD_USERNAME,
      dashboardPassword: values.OCX_CEPH_DASHBOARD_PASSWORD,
      rbdPool: values.OCX_CEPH_RBD_POOL,
      rbdImage: values.OCX_CEPH_RBD_IMAGE,
    },
  };
}

/** Resolved once per test file (top-level await in the test files). */
export const live = await loadCephLiveEnv();

/**
 * `describe` for live tests: runs when Ceph is up; otherwise, outside CI, skips with the reason
 * printed, and under `CI=true` fails, since CI starts Ceph and a missing one is a broken CI.
 */
export function describeLive(name: string, body: (env: CephLiveEnv) => void): void {
  if ('env' in live) {
    describe(name, () => body(live.env));
    return;
  }
  const reason = live.reason;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the live Ceph (CI=true)', () => {
        throw new Error(`Ceph is not up under CI: ${reason}`);
      });
    });
    return;
  }
  console.warn(`[driver-ceph live] skipping "${name}": ${reason}`);
  describe.skip(`${name} — skipped: ${reason}`, () => {
    it('needs the live Ceph', () => undefined);
  });
}
