import { OcxError } from '@ocx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHilClient, type HilClient } from '../client/hil-client.js';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN, type HilSimulator } from './index.js';

// Repeated calls, as CCI-MOC/hil answers them. Source: hil/api.py (each route's function and the
// helpers `_must_find`, `_must_find_n`, `_assert_absent`, `_assert_absent_n`); statuses from
// hil/errors.py (NotFoundError 404, DuplicateError 409, BlockedError 409, BadArgumentError 400).

const admin = {
  authorization: `Basic ${Buffer.from(`${DEFAULT_SIMULATOR_ADMIN.username}:${DEFAULT_SIMULATOR_ADMIN.password}`).toString('base64')}`,
};

let hil: HilSimulator;
let client: HilClient;
beforeAll(async () => {
  // Actions take 60 ms, so a repeated call can land while the first one's action is pending.
  hil = await createHilSimulator({ nodes: 3, projects: ['alpha'], actionDelayMs: 60 });
  client = createHilClient({ endpoint: hil.url, auth: DEFAULT_SIMULATOR_ADMIN, retries: 0, actionPollMs: 5 });
});
afterAll(async () => hil?.close());

async function call(method: string, path: string, json?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${hil.url}/v0${path}`, {
    method,
    headers: { ...admin, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text
  }
  return { status: response.status, body };
}

async function waitDone(statusId: string): Promise<void> {
  for (let tries = 0; tries < 400; tries += 1) {
    const action = await call('GET', `/networking_action/${statusId}`);
    if ((action.body as { status: string }).status !== 'PENDING') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`networking action ${statusId} stayed PENDING`);
}

const error = (type: string, msg: string) => ({ type, msg });

describe('HIL simulator: repeated calls answer as hil/api.py does', () => {
  it('project_connect_node twice: 409 BlockedError "Node is already owned by a project."', async () => {
    // Real: project_connect_node — `if node.project is not None: raise BlockedError(...)`.
    expect((await call('POST', '/project/alpha/connect_node', { node: 'node-001' })).status).toBe(200);
    expect(await call('POST', '/project/alpha/connect_node', { node: 'node-001' })).toEqual({
      status: 409,
      body: error('BlockedError', 'Node is already owned by a project.'),
    });
  });

  it('node_connect_network twice: 409 while the first is pending, 409 "already attached" once it is done', async () => {
    // Real: node_connect_network — `if nic.current_action: BlockedError("A networking operation is
    // already active on the nic.")`, then `_have_attachment(...network...)`: BlockedError("The
    // network is already attached to the nic.").
    expect((await call('PUT', '/network/alpha-net', { owner: 'alpha', access: 'alpha', net_id: '' })).status).toBe(200);
    const first = await call('POST', '/node/node-001/nic/eth0/connect_network', { network: 'alpha-net' });
    expect(first.status).toBe(202);
    expect(await call('POST', '/node/node-001/nic/eth0/connect_network', { network: 'alpha-net' })).toEqual({
      status: 409,
      body: error('BlockedError', 'A networking operation is already active on the nic.'),
    });
    await waitDone((first.body as { status_id: string }).status_id);
    expect(await call('POST', '/node/node-001/nic/eth0/connect_network', { network: 'alpha-net' })).toEqual({
      status: 409,
      body: error('BlockedError', 'The network is already attached to the nic.'),
    });
  });

  it('node_detach_network twice: 409 while the first is pending, 400 BadArgumentError "not attached" after', async () => {
    // Real: node_detach_network — the pending-action check comes first (BlockedError), then
    // `attachment is None`: BadArgumentError("The network is not attached to the nic.").
    const first = await call('POST', '/node/node-001/nic/eth0/detach_network', { network: 'alpha-net' });
    expect(first.status).toBe(202);
    expect(await call('POST', '/node/node-001/nic/eth0/detach_network', { network: 'alpha-net' })).toEqual({
      status: 409,
      body: error('BlockedError', 'A networking operation is already active on the nic.'),
    });
    await waitDone((first.body as { status_id: string }).status_id);
    expect(await call('POST', '/node/node-001/nic/eth0/detach_network', { network: 'alpha-net' })).toEqual({
      status: 400,
      body: error('BadArgumentError', 'The network is not attached to the nic.'),
    });
    // The client: BadArgumentError keeps HIL's 400 as an `http` error with the type.
    const refused = await client.networking
      .detachNetwork({ node: 'node-001', nic: 'eth0', network: 'alpha-net' })
      .catch((caught: unknown) => caught);
    expect(OcxError.is(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'http', status: 400, backendErrorType: 'BadArgumentError' });
  });

  it('project_detach_node twice: 404 NotFoundError "Node not in project"; the client says not-found', async () => {
    // Real: project_detach_node — `if node not in project.nodes: raise NotFoundError("Node not in project")`.
    expect((await call('POST', '/project/alpha/detach_node', { node: 'node-001' })).status).toBe(200);
    expect(await call('POST', '/project/alpha/detach_node', { node: 'node-001' })).toEqual({
      status: 404,
      body: error('NotFoundError', 'Node not in project'),
    });
    const refused = await client.projects.detachNode('alpha', 'node-001').catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'not-found', status: 404, backendErrorType: 'NotFoundError' });
  });

  it('node_delete_nic, node_delete, network_delete twice: 404 "<Class> <name> does not exist."', async () => {
    // Real: node_delete_nic → `_must_find_n`: "Nic eth0 on Node node-001 does not exist.";
    // node_delete and network_delete → `_must_find`: "Node node-001 does not exist." and so on.
    expect((await call('DELETE', '/node/node-001/nic/eth0')).status).toBe(200);
    expect(await call('DELETE', '/node/node-001/nic/eth0')).toEqual({
      status: 404,
      body: error('NotFoundError', 'Nic eth0 on Node node-001 does not exist.'),
    });
    expect((await call('DELETE', '/node/node-001')).status).toBe(200);
    expect(await call('DELETE', '/node/node-001')).toEqual({
      status: 404,
      body: error('NotFoundError', 'Node node-001 does not exist.'),
    });
    expect((await call('DELETE', '/network/alpha-net')).status).toBe(200);
    expect(await call('DELETE', '/network/alpha-net')).toEqual({
      status: 404,
      body: error('NotFoundError', 'Network alpha-net does not exist.'),
    });
    const refused = await client.nodes.delete('node-001').catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'not-found', status: 404 });
  });

  it('creating twice: 409 DuplicateError "<Class> <name> already exists." (with a dot; NICs without)', async () => {
    // Real: `_assert_absent` ("%s %s already exists.") for projects, nodes and networks;
    // `_assert_absent_n` ("%s %s on %s %s already exists", no dot) for a node's NIC.
    expect(await call('PUT', '/project/alpha')).toEqual({
      status: 409,
      body: error('DuplicateError', 'Project alpha already exists.'),
    });
    expect(await call('PUT', '/node/node-002/nic/eth0', { macaddr: 'aa:bb:cc:dd:ee:ff' })).toEqual({
      status: 409,
      body: error('DuplicateError', 'Nic eth0 on Node node-002 already exists'),
    });
    const refused = await client.projects.create('alpha').catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'conflict', status: 409, backendErrorType: 'DuplicateError' });
  });

  it('network access granted twice is 409 DuplicateError, revoked twice is 404 NotFoundError', async () => {
    // Real: network_grant_project_access — DuplicateError('Network %s is already in project %s');
    // network_revoke_project_access — NotFoundError("Network %r is not in project %r") (Python 2 reprs).
    expect((await call('PUT', '/project/beta')).status).toBe(200);
    expect((await call('PUT', '/network/public-net', { owner: 'admin', access: '', net_id: '' })).status).toBe(200);
    expect((await call('PUT', '/network/public-net/access/beta')).status).toBe(200);
    expect(await call('PUT', '/network/public-net/access/beta')).toEqual({
      status: 409,
      body: error('DuplicateError', 'Network public-net is already in project beta'),
    });
    expect((await call('DELETE', '/network/public-net/access/beta')).status).toBe(200);
    expect(await call('DELETE', '/network/public-net/access/beta')).toEqual({
      status: 404,
      body: error('NotFoundError', "Network u'public-net' is not in project u'beta'"),
    });
  });
});
