import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type TestServer } from '@ocx/core/simulation';
import { acceptedToken, type FakeState, keystoneId, queryOf } from './fake-state.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string, match: RegExpExecArray) => void;

const UNAUTHORIZED = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};

/** The catalog the fake hands out: every service on the fake's own origin, under a path prefix. */
export function fakeCatalog(url: string, adminProjectId: string): unknown[] {
  const entry = (type: string, name: string, endpoint: string) => ({
    type,
    name,
    id: keystoneId(),
    endpoints: ['public', 'internal', 'admin'].map((iface) => ({
      id: keystoneId(),
      interface: iface,
      region: 'RegionOne',
      region_id: 'RegionOne',
      url: endpoint,
    })),
  });
  return [
    entry('identity', 'keystone', `${url}/identity/v3`),
    entry('compute', 'nova', `${url}/compute/v2.1`),
    entry('volumev3', 'cinderv3', `${url}/volume/v3/${adminProjectId}`),
    entry('network', 'neutron', `${url}/network`),
    entry('image', 'glance', `${url}/image`),
    entry('object-store', 'swift', `${url}/object/v1/AUTH_${adminProjectId}`),
  ];
}

/** Answer a Keystone list, cut at `listLimit` with `truncated: true` as Zed's Keystone does. */
function sendList(state: FakeState, response: ServerResponse, key: string, items: unknown[]): void {
  const truncated = state.listLimit !== undefined && items.length > state.listLimit;
  sendJson(response, 200, {
    [key]: truncated ? items.slice(0, state.listLimit) : items,
    links: { next: null, previous: null, self: '' },
    ...(truncated ? { truncated: true } : {}),
  });
}

/** Register the fake Keystone's routes under `/identity/v3`. */
export function registerFakeKeystone(server: TestServer, state: FakeState, now: () => number): void {
  const route = (method: string, path: RegExp, handler: Handler, authenticated = true) =>
    server.route(method, path, (request, response, body) => {
      const token = request.headers['x-auth-token'];
      state.log.push({
        method,
        path: new URL(request.url ?? '/', 'http://fake').pathname,
        token: Array.isArray(token) ? token[0] : token,
      });
      if (authenticated && acceptedToken(state, request, now()) === undefined)
        return sendJson(response, 401, UNAUTHORIZED);
      handler(request, response, body, path.exec(new URL(request.url ?? '/', 'http://fake').pathname)!);
    });

  route(
    'POST',
    /^\/identity\/v3\/auth\/tokens$/,
    (_request, response, body) => {
      const auth = JSON.parse(body).auth;
      const password = auth.identity.password?.user?.password;
      if (password !== undefined && state.refusePasswords.has(password)) return sendJson(response, 401, UNAUTHORIZED);
      const token = `fake-token-${state.issued.length + 1}-${keystoneId()}`;
      const expiresAt = now() + state.tokenTtlMs;
      const projectId = auth.scope?.project?.id ?? state.adminProjectId;
      state.tokens.set(token, { projectId, valid: true, expiresAt });
      state.issued.push(token);
      const roles = [...state.roles.values()];
      sendJson(
        response,
        201,
        {
          token: {
            methods: auth.identity.methods,
            user: { id: 'admin-user', name: 'admin', domain: { id: 'default', name: 'Default' } },
            project: {
              id: projectId,
              name: state.projects.get(projectId)?.name ?? 'admin',
              domain: { id: 'default', name: 'Default' },
            },
            roles,
            expires_at: new Date(expiresAt).toISOString().replace('Z', '000Z'),
            issued_at: new Date(now()).toISOString(),
            catalog: fakeCatalog(server.url, state.adminProjectId),
          },
        },
        { 'x-subject-token': token },
      );
    },
    false,
  );

  route('GET', /^\/identity\/v3\/projects$/, (request, response) => {
    const query = queryOf(request);
    const projects = [...state.projects.values()].filter(
      (project) =>
        (!query.has('name') || project.name === query.get('name')) &&
        (!query.has('domain_id') || project.domain_id === query.get('domain_id')) &&
        (!query.has('tags') ||
          query
            .get('tags')!
            .split(',')
            .every((tag) => project.tags.includes(tag))),
    );
    sendList(state, response, 'projects', projects);
  });
  route('POST', /^\/identity\/v3\/projects$/, (_request, response, body) => {
    const input = JSON.parse(body).project;
    if (
      [...state.projects.values()].some(
        (project) => project.name === input.name && project.domain_id === input.domain_id,
      )
    ) {
      return sendJson(response, 409, {
        error: {
          code: 409,
          message:
            'Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain',
          title: 'Conflict',
        },
      });
    }
    const project = {
      id: keystoneId(),
      name: input.name,
      domain_id: input.domain_id,
      enabled: input.enabled ?? true,
      description: input.description ?? '',
      tags: input.tags ?? [],
      is_domain: false,
      parent_id: input.domain_id,
    };
    state.projects.set(project.id, project);
    sendJson(response, 201, { project });
  });
  const notFound = (response: ServerResponse, what: string) =>
    sendJson(response, 404, { error: { code: 404, message: `Could not find ${what}.`, title: 'Not Found' } });
  route('GET', /^\/identity\/v3\/projects\/([^/]+)$/, (_request, response, _body, match) => {
    const project = state.projects.get(match[1]!);
    return project === undefined ? notFound(response, `project: ${match[1]}`) : sendJson(response, 200, { project });
  });
  route('PATCH', /^\/identity\/v3\/projects\/([^/]+)$/, (_request, response, body, match) => {
    const project = state.projects.get(match[1]!);
    if (project === undefined) return notFound(response, `project: ${match[1]}`);
    Object.assign(project, JSON.parse(body).project);
    sendJson(response, 200, { project });
  });
  route('DELETE', /^\/identity\/v3\/projects\/([^/]+)$/, (_request, response, _body, match) => {
    if (!state.projects.delete(match[1]!)) return notFound(response, `project: ${match[1]}`);
    for (const grant of state.grants) if (grant.startsWith(`${match[1]}|`)) state.grants.delete(grant);
    sendJson(response, 204);
  });

  route('GET', /^\/identity\/v3\/users$/, (request, response) => {
    const query = queryOf(request);
    const users = [...state.users.values()].filter(
      (user) =>
        (!query.has('name') || user.name === query.get('name')) &&
        (!query.has('domain_id') || user.domain_id === query.get('domain_id')),
    );
    sendList(state, response, 'users', users);
  });
  route('POST', /^\/identity\/v3\/users$/, (_request, response, body) => {
    const input = JSON.parse(body).user;
    const user = { id: keystoneId(), name: input.name, domain_id: input.domain_id, enabled: input.enabled ?? true };
    state.users.set(user.id, user);
    sendJson(response, 201, { user });
  });
  route('GET', /^\/identity\/v3\/roles$/, (request, response) => {
    const name = queryOf(request).get('name');
    sendList(
      state,
      response,
      'roles',
      [...state.roles.values()].filter((role) => name === null || role.name === name),
    );
  });

  const grantKey = (match: RegExpExecArray) => `${match[1]}|${match[2]}|${match[3]}`;
  const grantPath = /^\/identity\/v3\/projects\/([^/]+)\/users\/([^/]+)\/roles\/([^/]+)$/;
  route('PUT', grantPath, (_request, response, _body, match) => {
    if (!state.projects.has(match[1]!) || !state.users.has(match[2]!) || !state.roles.has(match[3]!))
      return notFound(response, 'grant target');
    state.grants.add(grantKey(match));
    sendJson(response, 204);
  });
  route('HEAD', grantPath, (_request, response, _body, match) =>
    sendJson(response, state.grants.has(grantKey(match)) ? 204 : 404),
  );
  route('DELETE', grantPath, (_request, response, _body, match) =>
    state.grants.delete(grantKey(match)) ? sendJson(response, 204) : notFound(response, 'grant'),
  );
  route('GET', /^\/identity\/v3\/role_assignments$/, (request, response) => {
    const query = queryOf(request);
    const names = query.has('include_names');
    const assignments = [...state.grants]
      .map((grant) => grant.split('|') as [string, string, string])
      .filter(
        ([project, user]) =>
          (!query.has('scope.project.id') || project === query.get('scope.project.id')) &&
          (!query.has('user.id') || user === query.get('user.id')),
      )
      .map(([project, user, role]) => ({
        role: { id: role, ...(names ? { name: state.roles.get(role)?.name } : {}) },
        user: { id: user, ...(names ? { name: state.users.get(user)?.name, domain: { id: 'default' } } : {}) },
        scope: { project: { id: project, ...(names ? { name: state.projects.get(project)?.name } : {}) } },
      }));
    sendList(state, response, 'role_assignments', assignments);
  });
}
