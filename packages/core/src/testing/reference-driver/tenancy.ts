import { z } from 'zod';
import { type Tenancy, TenantProjectSchema } from '../../spec/interfaces/tenancy.js';
import { checkInput, checkSignal, NameSchema, notFound } from './checks.js';
import type { ReferenceState } from './state.js';

const RemoveMemberInputSchema = z.object({ project: NameSchema, user: NameSchema });

/** The reference landlord's projects and memberships, in memory. */
export function createReferenceTenancy(state: ReferenceState, roles: readonly string[]): Tenancy {
  const view = (id: string) => {
    const project = state.projects.get(id);
    if (project === undefined) return undefined;
    return {
      id,
      externalId: `ref-${id}`,
      enabled: project.enabled,
      members: [...project.members]
        .map(([user, role]) => ({ user, role }))
        .sort((a, b) => a.user.localeCompare(b.user)),
    };
  };
  const MemberSchema = z.object({
    project: NameSchema,
    user: NameSchema,
    role: z.enum(roles as [string, ...string[]]),
  });

  return {
    async ensureProject(input, options) {
      const project = checkInput(TenantProjectSchema.extend({ id: NameSchema }), input, 'ensureProject');
      checkSignal(options, 'ensureProject');
      const existing = state.projects.get(project.id);
      if (existing === undefined) {
        state.projects.set(project.id, { ...project, enabled: true, members: new Map() });
      }
      return view(project.id)!;
    },
    async getProject(id, options) {
      checkSignal(options, 'getProject');
      return view(checkInput(NameSchema, id, 'getProject'));
    },
    async ensureMember(input, options) {
      const member = checkInput(MemberSchema, input, 'ensureMember');
      checkSignal(options, 'ensureMember');
      const project = state.projects.get(member.project);
      if (project === undefined) throw notFound(`Project ${member.project}`, 'ensureMember');
      project.members.set(member.user, member.role);
    },
    async removeMember(input, options) {
      const member = checkInput(RemoveMemberInputSchema, input, 'removeMember');
      checkSignal(options, 'removeMember');
      state.projects.get(member.project)?.members.delete(member.user);
    },
    async disableProject(id, options) {
      checkSignal(options, 'disableProject');
      const project = state.projects.get(checkInput(NameSchema, id, 'disableProject'));
      if (project === undefined) throw notFound(`Project ${id}`, 'disableProject');
      project.enabled = false;
    },
    async releaseResources(id, options) {
      checkSignal(options, 'releaseResources');
      const project = checkInput(NameSchema, id, 'releaseResources');
      const released: Array<{ type: string; id: string }> = [];
      for (const node of state.nodes.values()) {
        if (node.project !== project) continue;
        node.power = 'off';
        for (const nic of node.nics) nic.networks = {};
        node.project = null;
        const open = node.allocations.find((allocation) => allocation.end === undefined);
        if (open !== undefined) open.end = state.clock.now().getTime();
        released.push({ type: 'bare-metal-node', id: node.name });
      }
      for (const [name, network] of state.networks) {
        if (network.owner !== project) continue;
        state.networks.delete(name);
        released.push({ type: 'network', id: name });
      }
      for (const [name, disk] of state.disks) {
        if (disk.project !== project) continue;
        state.disks.delete(name);
        released.push({ type: 'disk', id: name });
      }
      return released;
    },
    async deleteProject(id, options) {
      checkSignal(options, 'deleteProject');
      state.projects.delete(checkInput(NameSchema, id, 'deleteProject'));
      state.quotas.delete(id);
    },
  };
}
