import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTestServer, sendJson, type TestServer } from '@ocx/core/simulation';

/** A user of the stub's database auth. */
export interface HilStubUser {
  username: string;
  password: string;
  isAdmin?: boolean;
  projects: string[];
}

/** A node of the stub; `project` null means free. */
export interface HilStubNode {
  name: string;
  project: string | null;
  nics: Array<{ label: string; macaddr: string }>;
}

/** A running stub; see {@link createHilStub}. */
export interface HilStub {
  readonly url: string;
  readonly server: TestServer;
  readonly nodes: Map<string, HilStubNode>;
  close(): Promise<void>;
}

/**
 * A tiny HIL for this package's tests: the two GETs M2 makes (`/v0/node/{n}` and
 * `/v0/project/{p}/nodes`) plus `connect_node`/`detach_node` to move nodes between projects, with
 * HIL's database-auth rules (Basic credentials; a project's nodes only for its members and admins;
 * errors as `{"type", "msg"}`). Used until, and beside, `@ocx/driver-hil/simulator`.
 */
export async function createHilStub(options: {
  users: HilStubUser[];
  nodes: HilStubNode[];
  projects?: string[];
}): Promise<HilStub> {
  const nodes = new Map(
    options.nodes.map((node) => [node.name, { ...node, nics: node.nics.map((nic) => ({ ...nic })) }]),
  );
  const projects = new Set([...(options.projects ?? []), ...options.users.flatMap((user) => user.projects)]);
  const server = await createTestServer();

  const fail = (response: ServerResponse, status: number, type: string, msg: string): void =>
    sendJson(response, status, { type, msg });

  /** The user the request authenticates as, or undefined after answering 401. */
  const authenticate = (request: IncomingMessage, response: ServerResponse): HilStubUser | undefined => {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const [username, password] = Buffer.from(token ?? '', 'base64')
      .toString('utf8')
      .split(':');
    const user = options.users.find((candidate) => candidate.username === username);
    if (scheme !== 'Basic' || user === undefined || user.password !== password) {
      fail(response, 401, 'AuthorizationError', 'Authentication failed. Authentication required to provide access.');
      return undefined;
    }
    return user;
  };

  const mayAccess = (user: HilStubUser, project: string): boolean =>
    user.isAdmin === true || user.projects.includes(project);

  const denied = (response: ServerResponse): void =>
    fail(response, 401, 'AuthorizationError', 'You do not have access to the required project.');

  server.route('GET', /^\/v0\/node\/[^/]+$/, (request, response) => {
    const user = authenticate(request, response);
    if (user === undefined) return;
    const name = decodeURIComponent(new URL(request.url ?? '/', 'http://hil').pathname.slice('/v0/node/'.length));
    const node = nodes.get(name);
    if (node === undefined) return fail(response, 404, 'NotFoundError', `Node ${name} does not exist.`);
    if (node.project !== null && !mayAccess(user, node.project)) return denied(response);
    sendJson(response, 200, {
      name: node.name,
      project: node.project,
      nics: node.nics.map((nic) => ({ label: nic.label, macaddr: nic.macaddr, networks: {} })),
      metadata: {},
    });
  });

  server.route('GET', /^\/v0\/project\/[^/]+\/nodes$/, (request, response) => {
    const user = authenticate(request, response);
    if (user === undefined) return;
    const project = decodeURIComponent(new URL(request.url ?? '/', 'http://hil').pathname.split('/')[3]!);
    if (!projects.has(project)) return fail(response, 404, 'NotFoundError', `Project ${project} does not exist.`);
    if (!mayAccess(user, project)) return denied(response);
    sendJson(
      response,
      200,
      [...nodes.values()].filter((node) => node.project === project).map((node) => node.name),
    );
  });

  server.route('POST', /^\/v0\/project\/[^/]+\/(connect|detach)_node$/, (request, response, body) => {
    const user = authenticate(request, response);
    if (user === undefined) return;
    const [, , , project, action] = new URL(request.url ?? '/', 'http://hil').pathname.split('/');
    if (!projects.has(project!)) return fail(response, 404, 'NotFoundError', `Project ${project} does not exist.`);
    if (!mayAccess(user, project!)) return denied(response);
    const node = nodes.get((JSON.parse(body || '{}') as { node?: string }).node ?? '');
    if (node === undefined) return fail(response, 404, 'NotFoundError', 'Node does not exist.');
    if (action === 'connect_node') {
      if (node.project !== null)
        return fail(response, 409, 'BlockedError', `Node ${node.name} is already owned by a project.`);
      node.project = project!;
    } else {
      if (node.project !== project)
        return fail(response, 404, 'NotFoundError', `Node ${node.name} is not in project ${project}.`);
      node.project = null;
    }
    sendJson(response, 200);
  });

  return { url: server.url, server, nodes, close: () => server.close() };
}
