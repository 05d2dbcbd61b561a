import { uniqueName } from '@ocx/core/testing';
import type { OpenStackDriver } from '../../src/index.js';
import { liveDriver, liveEnv } from './live-env.js';

/**
 * An exchange project in the live cloud with the admin user as a member, and a second driver
 * whose token is scoped to it (servers and volumes are created in the token's project).
 */
export async function liveProject(
  admin: OpenStackDriver,
  prefix: string,
): Promise<{ project: string; keystoneId: string; scoped: OpenStackDriver; cleanup(): Promise<void> }> {
  const project = uniqueName(prefix);
  const state = await admin.tenancy.ensureProject({ id: project, name: project, organization: 'live-org' });
  await admin.tenancy.ensureMember({ project, user: liveEnv.OCX_OS_USERNAME!, role: 'member' });
  const scoped = liveDriver({
    auth: {
      url: liveEnv.OCX_KEYSTONE_URL!,
      username: liveEnv.OCX_OS_USERNAME!,
      password: liveEnv.OCX_OS_PASSWORD!,
      project,
      projectDomain: 'Default',
    },
  });
  return {
    project,
    keystoneId: state.externalId,
    scoped,
    async cleanup() {
      await scoped.dispose();
      await admin.tenancy.releaseResources(project).catch(() => undefined);
      await admin.tenancy.deleteProject(project).catch(() => undefined);
    },
  };
}

/** An external network with a subnet floating IPs can come from (made once, then reused). */
export async function externalNetwork(admin: OpenStackDriver): Promise<string> {
  const neutron = admin.ext.neutron!;
  for await (const network of neutron.listNetworks({ name: 'ocx-live-external', external: true })) return network.id;
  const network = await neutron.createNetwork({ name: 'ocx-live-external', external: true });
  await neutron.createSubnet({ networkId: network.id, cidr: '198.51.100.0/24', name: 'ocx-live-external-subnet' });
  return network.id;
}
