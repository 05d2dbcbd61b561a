import type { TestServer } from '@ocx/core/simulation';
import { createHilSimulator } from '@ocx/driver-hil/simulator';
import { createHilStub } from './hil-stub.js';

/** Which HIL the M2 simulator's tests run against. */
export type HilKind = 'hil-simulator' | 'hil-stub';

/** What M2 tests need of a HIL: its URL, its server (requests and faults) and a way to stop it. */
export interface RunningHil {
  readonly url: string;
  readonly server: TestServer;
  close(): Promise<void>;
}

/** The HIL of a test world: users with their projects, nodes with NICs (project null = free). */
export interface HilWorld {
  users: Array<{ username: string; password: string; projects: string[] }>;
  nodes: Array<{ name: string; project: string | null; nics: Array<{ label: string; macaddr: string }> }>;
}

/**
 * Start the HIL `@ocx/driver-hil/simulator` provides (the default: M2 then talks to a HIL that
 * behaves as HIL's own code does) or this package's small stub of M2's two GETs.
 */
export async function startHil(kind: HilKind, world: HilWorld): Promise<RunningHil> {
  if (kind === 'hil-stub') return createHilStub({ users: world.users, nodes: world.nodes });
  const projects = [
    ...new Set([...world.users.flatMap((user) => user.projects), ...world.nodes.flatMap((node) => node.project ?? [])]),
  ];
  const hil = await createHilSimulator({
    projects,
    users: world.users.map((user) => ({ name: user.username, password: user.password, projects: user.projects })),
    nodes: world.nodes.map((node) => ({
      name: node.name,
      ...(node.project === null ? {} : { project: node.project }),
      nics: node.nics.map((nic) => ({ label: nic.label, macaddr: nic.macaddr })),
    })),
  });
  return { url: hil.url, server: hil.server, close: () => hil.close() };
}
