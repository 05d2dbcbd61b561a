import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExchange, type Exchange, OcxError, Secret } from '@ocx/core';
import { createCephDriver } from '@ocx/driver-ceph';
import { createOpenStackDriver } from '@ocx/driver-openstack';
import { dim, green, heading, red } from '../console.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const HOW_TO_START = 'start them with `bash scripts/services/up.sh` (Debian 12, root; a few minutes the first time)';

/** The KEY=value env file a service script wrote, or undefined when the service was never started. */
function serviceEnv(service: string): Record<string, string> | undefined {
  const root = process.env.OCX_STATE_DIR ?? join(REPO, '.ocx-state');
  try {
    const text = readFileSync(join(root, service, 'env'), 'utf8');
    return Object.fromEntries(
      text
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  } catch {
    return undefined;
  }
}

async function onboard(exchange: Exchange, landlord: string, service: string): Promise<void> {
  await exchange.directory.upsertOrganization({ id: 'bu', name: 'Boston University', domains: ['bu.edu'] });
  await exchange.directory.upsertUser({ id: 'carol', organization: 'bu', name: 'Carol Chen', email: 'carol@bu.edu' });
  if ((await exchange.directory.project('ocx-demo-real')) === undefined) {
    await exchange.directory.createProject({
      id: 'ocx-demo-real',
      name: 'OCX demo on real services',
      organization: 'bu',
      lead: 'carol',
    });
  }
  const [subscription] = await exchange.onboarding.signUp({
    project: 'ocx-demo-real',
    services: [{ landlord, service }],
  });
  process.stdout.write(
    `  ${green('✓')} ${landlord}/${service}: project ${subscription?.externalId} ${subscription?.status}\n`,
  );
}

/** Onboard a project into the real OpenStack, boot a fake server, read its usage, release it all. */
async function openstackStep(env: Record<string, string>): Promise<void> {
  const auth = {
    url: env.OCX_OS_AUTH_URL!,
    username: env.OCX_OS_USERNAME!,
    password: Secret.from(env.OCX_OS_PASSWORD!),
    userDomain: env.OCX_OS_DOMAIN ?? 'Default',
  };
  const exchange = createExchange();
  const driver = createOpenStackDriver({
    auth: { ...auth, project: env.OCX_OS_PROJECT ?? 'admin' },
    landlord: 'nerc-real',
    service: 'openstack',
  });
  if (!(await driver.health()).ok) throw new OcxError({ code: 'network', message: 'Keystone does not answer' });
  await exchange.landlords.register({
    id: 'nerc-real',
    name: 'NERC (real OpenStack)',
    organization: 'Harvard',
    services: [{ id: 'openstack', kind: 'compute', driver }],
  });
  await onboard(exchange, 'nerc-real', 'openstack');
  // Servers belong to the token's project: the exchange's operator joins it to boot one there.
  const role = driver.capabilities.tenancy?.roles?.[0] ?? 'member';
  await exchange.landlords
    .service('nerc-real', 'openstack')
    .driver.tenancy!.ensureMember({ project: 'ocx-demo-real', user: env.OCX_OS_USERNAME!, role });
  const inProject = createOpenStackDriver({
    auth: { ...auth, project: 'ocx-demo-real' },
    landlord: 'nerc-real',
    service: 'openstack',
  });
  try {
    const started = new Date(Date.now() - 60_000).toISOString();
    const server = await inProject.ext.nova!.createServer({
      name: 'demo-vm',
      imageRef: env.OCX_OS_IMAGE_ID!,
      flavorRef: env.OCX_OS_FLAVOR_ID ?? '1',
      networks: 'none',
    });
    await inProject.ext.nova!.waitForServer(server.id, 'ACTIVE');
    process.stdout.write(`  ${green('✓')} booted ${server.id} (fake virt driver), ACTIVE\n`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const { projects } = await driver.ext.nova!.usageSummary({ start: started, end: new Date().toISOString() });
    const keystoneProject = (await driver.tenancy!.getProject('ocx-demo-real'))?.externalId;
    const usage = projects.find((project) => project.projectId === keystoneProject);
    process.stdout.write(
      `  usage so far (os-simple-tenant-usage): ${JSON.stringify(usage ?? { note: 'not listed yet' }).slice(0, 200)}\n`,
    );
  } finally {
    const report = await exchange.offboarding.closeProject('ocx-demo-real', { retention: { days: 0 } });
    await exchange.offboarding.purgeDue();
    process.stdout.write(
      `  released: ${
        report.subscriptions
          .flatMap((subscription) => subscription.released ?? [])
          .map((item) => `${item.type} ${item.id}`)
          .join(', ') || 'nothing'
      }; project deleted\n`,
    );
    await inProject.dispose();
    await exchange.close();
  }
}

/** Give a project its storage in the real Ceph, write objects, read back the usage that will be billed. */
async function cephStep(env: Record<string, string>): Promise<void> {
  const exchange = createExchange();
  const driver = createCephDriver({
    landlord: 'mghpcc-real',
    service: 'ceph',
    rgw: {
      endpoint: env.OCX_RGW_URL!,
      accessKey: env.OCX_RGW_ACCESS_KEY!,
      secretKey: Secret.from(env.OCX_RGW_SECRET_KEY!),
      region: env.OCX_RGW_REGION ?? 'default',
    },
    uidPrefix: 'ocx-demo-',
    usageLog: { graceMs: 2_000 },
  });
  await exchange.landlords.register({
    id: 'mghpcc-real',
    name: 'MGHPCC (real Ceph)',
    organization: 'MGHPCC',
    services: [{ id: 'ceph', kind: 'object-storage', driver }],
  });
  try {
    await onboard(exchange, 'mghpcc-real', 'ceph');
    await driver.ext.createBucket('ocx-demo-real', 'reads');
    for (let index = 0; index < 3; index += 1)
      await driver.ext.putObject('ocx-demo-real', 'reads', `sample-${index}.fastq`, Buffer.alloc(64 * 1024, index));
    process.stdout.write(`  ${green('✓')} wrote 3 objects (192 KiB) with the project's own keys\n`);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const usage = await driver.ext.rgw.showUsage({ uid: driver.ext.uidOf('ocx-demo-real'), showSummary: true });
    for (const summary of usage.summary) {
      for (const category of summary.categories)
        process.stdout.write(
          `  usage log ${category.category}: ${category.ops} ops, ${category.bytesReceived} bytes in, ${category.bytesSent} bytes out\n`,
        );
    }
  } finally {
    await exchange.offboarding.closeProject('ocx-demo-real', { retention: { days: 0 } });
    await exchange.offboarding.purgeDue();
    await exchange.close();
  }
}

/** When the real services run on this machine, use them; otherwise say how to start them. */
export async function realServices(): Promise<void> {
  heading('8. Real OpenStack and Ceph, when they run on this machine');
  for (const [name, step] of [
    ['openstack', openstackStep],
    ['ceph', cephStep],
  ] as const) {
    const env = serviceEnv(name);
    if (env === undefined) {
      process.stdout.write(`  ${dim(`${name}: not running here — ${HOW_TO_START}`)}\n`);
      continue;
    }
    try {
      await step(env);
    } catch (error) {
      const message = OcxError.is(error) ? `${error.code}: ${error.message}` : String(error);
      process.stdout.write(`  ${red(`${name}: not reachable (${message.slice(0, 160)})`)} — ${HOW_TO_START}\n`);
    }
  }
}
