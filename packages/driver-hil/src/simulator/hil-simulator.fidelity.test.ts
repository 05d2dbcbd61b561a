import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN, type HilSimulator } from './index.js';

const admin = {
  authorization: `Basic ${Buffer.from(`${DEFAULT_SIMULATOR_ADMIN.username}:${DEFAULT_SIMULATOR_ADMIN.password}`).toString('base64')}`,
};
const PLAIN_500 =
  'The server encountered an internal error and was unable to complete your request.  Either the server is overloaded or there is an error in the application.';

let hil: HilSimulator;
beforeAll(async () => {
  hil = await createHilSimulator({ nodes: 3, projects: ['alpha'], actionDelayMs: 1 });
});
afterAll(async () => hil?.close());

async function call(
  method: string,
  path: string,
  json?: unknown,
): Promise<{ status: number; text: string; body: unknown }> {
  const response = await fetch(`${hil.url}/v0${path}`, {
    method,
    headers: { ...admin, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}

async function waitDone(statusId: string): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    const action = await call('GET', `/networking_action/${statusId}`);
    if ((action.body as { status: string }).status !== 'PENDING') return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`networking action ${statusId} stayed PENDING`);
}

const nicOf = async (node: string) =>
  ((await call('GET', `/node/${node}`)).body as { nics: { networks: unknown }[] }).nics[0];

describe('HIL simulator: NICs, networks and cleanup as hil/api.py answers', () => {
  it('refuses to delete a NIC of a node in a project: 409 BlockedError', async () => {
    // Real: hil/api.py node_delete_nic after CCI-MOC/hil#1041 — `if node.project: raise
    // BlockedError("Nic is on a node that belongs to a project. Remove node from project and try again")`.
    expect((await call('POST', '/project/alpha/connect_node', { node: 'node-001' })).status).toBe(200);
    const refused = await call('DELETE', '/node/node-001/nic/eth0');
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      type: 'BlockedError',
      msg: 'Nic is on a node that belongs to a project. Remove node from project and try again',
    });
    expect(hil.state.node('node-001')?.nics).toHaveLength(1);
  });

  it('shows `networks` for every NIC: the attached channel while attached, {} once detached', async () => {
    // Real: hil/api.py show_node builds each NIC's 'networks' from its attachments
    // ({channel: network}); a NIC without attachments shows {} — the key is always there.
    expect((await nicOf('node-001'))?.networks).toEqual({});
    expect((await call('PUT', '/network/alpha-net', { owner: 'alpha', access: 'alpha', net_id: '' })).status).toBe(200);
    const connect = await call('POST', '/node/node-001/nic/eth0/connect_network', { network: 'alpha-net' });
    expect(connect.status).toBe(202);
    await waitDone((connect.body as { status_id: string }).status_id);
    expect((await nicOf('node-001'))?.networks).toEqual({ 'vlan/native': 'alpha-net' });
    const detach = await call('POST', '/node/node-001/nic/eth0/detach_network', { network: 'alpha-net' });
    expect(detach.status).toBe(202);
    await waitDone((detach.body as { status_id: string }).status_id);
    expect((await nicOf('node-001'))?.networks).toEqual({});
    expect(hil.state.node('node-001')?.nics[0]?.networks).toEqual({});
  });

  it('cleans up everything a test made: detach node, delete the NIC (its finished action goes too), delete node', async () => {
    // Real: project_detach_node (no attachments, no pending action); node_delete_nic deletes the
    // NIC's finished networking action with it (#1041, which fixed #1039's IntegrityError 500);
    // node_delete once the node has no NICs; network_delete once nothing is attached.
    for (const [method, path, json] of [
      ['POST', '/project/alpha/detach_node', { node: 'node-001' }],
      ['DELETE', '/node/node-001/nic/eth0', undefined],
      ['DELETE', '/node/node-001', undefined],
      ['DELETE', '/network/alpha-net', undefined],
    ] as const) {
      const answer = await call(method, path, json);
      expect({ method, path, status: answer.status, text: answer.text }).toEqual({
        method,
        path,
        status: 200,
        text: '',
      });
    }
    expect(hil.state.node('node-001')).toBeUndefined();
  });
});

describe('HIL simulator: registering a node and its OBMd as hil/api.py and hil/model.py do', () => {
  it('checks the shape of `obmd` in the schema: a 400 ValidationError, and no node', async () => {
    // Real: node_register's Schema({'obmd': {'uri': basestring, 'admin_token': basestring}, …}):
    // a missing or non-string field fails _do_validation with a 400 ValidationError.
    for (const obmd of [{ uri: 'http://obmd/node/x' }, { uri: 7, admin_token: 't' }, 'http://obmd/node/x']) {
      const answer = await call('PUT', '/node/bad-shape', { obmd });
      expect(answer.status).toBe(400);
      expect((answer.body as { type: string }).type).toBe('ValidationError');
    }
    expect(hil.state.node('bad-shape')).toBeUndefined();
  });

  it('stores any URI; enabling OBM then fails as requests and Node.enable_obm fail', async () => {
    // Real: node_register stores obmd['uri'] as given (no scheme check). enable_obm calls
    // requests.request(method, obmd_uri + '/token'): an unknown scheme (InvalidSchema) or no
    // listener (ConnectionError) escapes uncaught → werkzeug's plain 500; an OBMd that answers
    // non-2xx is OBMError("Failed to get a token for node") → 500.
    const cases = [
      { node: 'ftp-obmd', uri: 'ftp://127.0.0.1/node/ftp-obmd', text: PLAIN_500 },
      { node: 'no-obmd', uri: 'http://127.0.0.1:9/node/no-obmd', text: PLAIN_500 },
      { node: 'unknown-to-obmd', uri: `${hil.obmdUrl}/node/unknown-to-obmd`, text: 'Failed to get a token for node' },
    ];
    for (const { node, uri, text } of cases) {
      const registered = await call('PUT', `/node/${node}`, { obmd: { uri, admin_token: hil.obmdAdminToken } });
      expect(registered.status).toBe(200);
      expect((await call('POST', '/project/alpha/connect_node', { node })).status).toBe(200);
      const enabled = await call('PUT', `/node/${node}/obm`, { enabled: true });
      expect({ node, status: enabled.status }).toEqual({ node, status: 500 });
      expect(enabled.text).toContain(`<p>${text}</p>`);
      expect(hil.state.node(node)?.obmEnabled).toBe(false);
    }
  });
});
