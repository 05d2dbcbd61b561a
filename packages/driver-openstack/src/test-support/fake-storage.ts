import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type TestServer } from '@ocx/core/simulation';
import { acceptedToken, type FakeState, queryOf } from './fake-state.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string, match: RegExpExecArray) => void;

/** Register the fake Cinder (`/volume`), Neutron (`/network`), Swift (`/object`) and Glance (`/image`). */
export function registerFakeStorage(server: TestServer, state: FakeState, now: () => number): void {
  const route = (method: string, path: RegExp, handler: Handler) =>
    server.route(method, path, (request, response, body) => {
      const token = request.headers['x-auth-token'];
      const pathname = new URL(request.url ?? '/', 'http://fake').pathname;
      state.log.push({ method, path: pathname, token: Array.isArray(token) ? token[0] : token });
      if (acceptedToken(state, request, now()) === undefined) return sendJson(response, 401, { error: 'Unauthorized' });
      handler(request, response, body, path.exec(pathname)!);
    });

  // Cinder
  route('GET', /^\/volume\/?$/, (_request, response) =>
    sendJson(response, 200, {
      versions: [
        {
          id: 'v3.0',
          status: 'CURRENT',
          version: '3.70',
          min_version: '3.0',
          updated: '2022-08-31T00:00:00Z',
          links: [],
        },
      ],
    }),
  );
  const volumeBody = (volume: FakeState['volumes'][number]) => ({
    id: volume.id,
    name: volume.name,
    status: volume.status,
    size: volume.size,
    created_at: volume.created_at,
    volume_type: '__DEFAULT__',
    'os-vol-tenant-attr:tenant_id': volume.project,
    attachments: [],
  });
  route('GET', /^\/volume\/v3\/[^/]+\/volumes\/detail$/, (request, response) => {
    const query = queryOf(request);
    const all = state.volumes.filter(
      (volume) => !query.has('project_id') || volume.project === query.get('project_id'),
    );
    const from = query.has('marker') ? all.findIndex((volume) => volume.id === query.get('marker')) + 1 : 0;
    sendJson(response, 200, { volumes: all.slice(from, from + Number(query.get('limit') ?? 1000)).map(volumeBody) });
  });
  route('GET', /^\/volume\/v3\/[^/]+\/volumes\/((?!detail$|summary$)[^/]+)$/, (_request, response, _body, match) => {
    const volume = state.volumes.find((candidate) => candidate.id === match[1]);
    return volume === undefined
      ? sendJson(response, 404, { itemNotFound: { code: 404, message: `Volume ${match[1]} could not be found.` } })
      : sendJson(response, 200, { volume: volumeBody(volume) });
  });
  route('DELETE', /^\/volume\/v3\/[^/]+\/volumes\/((?!detail$|summary$)[^/]+)$/, (_request, response, _body, match) => {
    const index = state.volumes.findIndex((candidate) => candidate.id === match[1]);
    if (index === -1) return sendJson(response, 404, { itemNotFound: { code: 404, message: 'not found' } });
    state.volumes.splice(index, 1);
    sendJson(response, 202);
  });
  const cinderQuotas = (project: string) => {
    let set = state.cinderQuotas.get(project);
    if (set === undefined) {
      set = {
        volumes: { limit: 10, in_use: 0, reserved: 0 },
        gigabytes: { limit: 1000, in_use: 0, reserved: 0 },
        snapshots: { limit: 10, in_use: 0, reserved: 0 },
      };
      state.cinderQuotas.set(project, set);
    }
    return set;
  };
  route('GET', /^\/volume\/v3\/[^/]+\/os-quota-sets\/([^/]+)$/, (_request, response, _body, match) =>
    sendJson(response, 200, { quota_set: { id: match[1], ...cinderQuotas(match[1]!) } }),
  );
  route('PUT', /^\/volume\/v3\/[^/]+\/os-quota-sets\/([^/]+)$/, (_request, response, body, match) => {
    const set = cinderQuotas(match[1]!);
    for (const [key, value] of Object.entries(JSON.parse(body).quota_set as Record<string, number>))
      set[key]!.limit = value;
    sendJson(response, 200, {
      quota_set: Object.fromEntries(Object.entries(set).map(([key, detail]) => [key, detail.limit])),
    });
  });

  // Neutron
  route('GET', /^\/network\/v2\.0\/floatingips$/, (request, response) => {
    const query = queryOf(request);
    const all = state.floatingIps.filter(
      (address) => !query.has('project_id') || address.project_id === query.get('project_id'),
    );
    const from = query.has('marker') ? all.findIndex((address) => address.id === query.get('marker')) + 1 : 0;
    sendJson(response, 200, { floatingips: all.slice(from, from + Number(query.get('limit') ?? 1000)) });
  });
  route('DELETE', /^\/network\/v2\.0\/floatingips\/([^/]+)$/, (_request, response, _body, match) => {
    const index = state.floatingIps.findIndex((candidate) => candidate.id === match[1]);
    if (index === -1)
      return sendJson(response, 404, {
        NeutronError: { type: 'FloatingIPNotFound', message: 'not found', detail: '' },
      });
    state.floatingIps.splice(index, 1);
    sendJson(response, 204);
  });
  const neutronQuotas = (project: string) => {
    let set = state.neutronQuotas.get(project);
    if (set === undefined) {
      set = { floatingip: { limit: 50, used: 0, reserved: 0 }, network: { limit: 100, used: 0, reserved: 0 } };
      state.neutronQuotas.set(project, set);
    }
    return set;
  };
  route('GET', /^\/network\/v2\.0\/quotas\/([^/]+)\/details\.json$/, (_request, response, _body, match) =>
    sendJson(response, 200, { quota: neutronQuotas(match[1]!) }),
  );
  route('PUT', /^\/network\/v2\.0\/quotas\/([^/]+)$/, (_request, response, body, match) => {
    const set = neutronQuotas(match[1]!);
    for (const [key, value] of Object.entries(JSON.parse(body).quota as Record<string, number>))
      set[key]!.limit = value;
    sendJson(response, 200, {
      quota: Object.fromEntries(Object.entries(set).map(([key, detail]) => [key, detail.limit])),
    });
  });

  // Swift
  const account = (project: string) => {
    let found = state.swiftAccounts.get(project);
    if (found === undefined) {
      found = { bytes: 0, objects: 0, containers: 0 };
      state.swiftAccounts.set(project, found);
    }
    return found;
  };
  route('HEAD', /^\/object\/v1\/AUTH_([^/]+)$/, (_request, response, _body, match) => {
    const found = account(match[1]!);
    response.writeHead(204, {
      'x-account-bytes-used': String(found.bytes),
      'x-account-object-count': String(found.objects),
      'x-account-container-count': String(found.containers),
      ...(found.quotaBytes === undefined ? {} : { 'x-account-meta-quota-bytes': found.quotaBytes }),
      'x-openstack-request-id': `tx${Date.now()}`,
    });
    response.end();
  });
  route('POST', /^\/object\/v1\/AUTH_([^/]+)$/, (request, response, _body, match) => {
    const found = account(match[1]!);
    const quota = request.headers['x-account-meta-quota-bytes'];
    if (request.headers['x-remove-account-meta-quota-bytes'] !== undefined) delete found.quotaBytes;
    else if (typeof quota === 'string') found.quotaBytes = quota;
    response.writeHead(204);
    response.end();
  });
  route('GET', /^\/object\/v1\/AUTH_([^/]+)$/, (_request, response) => sendJson(response, 200, []));

  // Glance
  route('GET', /^\/image\/v2\/images\/([^/]+)$/, (_request, response, _body, match) => {
    const image = state.images.get(match[1]!);
    if (image === undefined) return sendJson(response, 404, '404 Not Found\n\nNo image found with ID');
    sendJson(response, 200, {
      id: image.id,
      name: image.name,
      owner: image.owner,
      visibility: image.visibility,
      status: image.status,
    });
  });
  route('POST', /^\/image\/v2\/images\/([^/]+)\/members$/, (_request, response, body, match) => {
    const image = state.images.get(match[1]!)!;
    const member = JSON.parse(body).member as string;
    if (image.members.has(member)) return sendJson(response, 409, 'Member already exists');
    image.members.set(member, 'pending');
    sendJson(response, 200, { image_id: image.id, member_id: member, status: 'pending' });
  });
  route('GET', /^\/image\/v2\/images\/([^/]+)\/members$/, (_request, response, _body, match) => {
    const image = state.images.get(match[1]!)!;
    sendJson(response, 200, {
      members: [...image.members].map(([member, status]) => ({ image_id: image.id, member_id: member, status })),
    });
  });
  route('PUT', /^\/image\/v2\/images\/([^/]+)\/members\/([^/]+)$/, (_request, response, body, match) => {
    const image = state.images.get(match[1]!)!;
    image.members.set(match[2]!, JSON.parse(body).status);
    sendJson(response, 200, { image_id: image.id, member_id: match[2], status: JSON.parse(body).status });
  });
}
