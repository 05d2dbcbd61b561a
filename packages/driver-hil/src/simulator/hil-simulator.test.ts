import { OcxError } from '@ocx/core';
import { createTestServer } from '@ocx/core/testing';
import { describe, expect, it } from 'vitest';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN } from './index.js';

const basic = (username: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
});
const admin = basic(DEFAULT_SIMULATOR_ADMIN.username, DEFAULT_SIMULATOR_ADMIN.password);

describe('createHilSimulator', () => {
  it('seeds any number of cabled nodes with sortable names', async () => {
    const hil = await createHilSimulator({ nodes: 1200, actionDelayMs: 0 });
    const free = hil.state.freeNodes();
    expect(free).toHaveLength(1200);
    expect(free[0]).toBe('node-0001');
    expect(free.at(-1)).toBe('node-1200');
    expect(hil.state.node('node-0042')?.nics).toEqual([
      expect.objectContaining({
        label: 'eth0',
        switch: 'switch0',
        port: 'gi1/0/42',
        networks: {},
        pendingAction: false,
      }),
    ]);
    expect(() => hil.addNode({ name: 'node-0001' })).toThrow(/already exists/);
    await hil.close();
    await hil.close();
  });

  it('refuses bad options, naming the field', async () => {
    const error = await createHilSimulator({ nodes: -1 }).catch((caught: unknown) => caught);
    expect(OcxError.is(error) && error.issues[0]?.path).toBe('nodes');
  });

  it("answers unknown routes and wrong methods with werkzeug's HTML pages", async () => {
    const hil = await createHilSimulator({ nodes: 1 });
    const unknown = await fetch(`${hil.url}/v0/no/such/call`, { headers: admin });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('<title>404 Not Found</title>');
    const wrongMethod = await fetch(`${hil.url}/v0/projects`, { method: 'POST', headers: admin });
    expect(wrongMethod.status).toBe(405);
    // werkzeug lists the rule's methods (HEAD and OPTIONS added by Flask) in Python 2 set order.
    expect(wrongMethod.headers.get('allow')).toBe('HEAD, OPTIONS, GET');
    expect((await fetch(`${hil.url}/projects`, { headers: admin })).status).toBe(404);
    await hil.close();
  });

  it('with require_authentication off, anonymous calls are allowed but are not admin', async () => {
    const hil = await createHilSimulator({ nodes: 2, requireAuthentication: false });
    expect(await (await fetch(`${hil.url}/v0/nodes/free`)).json()).toEqual(['node-001', 'node-002']);
    const projects = await fetch(`${hil.url}/v0/projects`);
    expect(projects.status).toBe(401);
    expect(await projects.json()).toEqual({ type: 'AuthorizationError', msg: 'This operation is administrator-only.' });
    await hil.close();
  });

  it('with null auth everyone is an admin and there is no user API', async () => {
    const hil = await createHilSimulator({ nodes: 1, auth: 'null', projects: ['p'] });
    expect(await (await fetch(`${hil.url}/v0/projects`)).json()).toEqual(['p']);
    expect((await fetch(`${hil.url}/v0/auth/basic/users`)).status).toBe(404);
    expect(await (await fetch(`${hil.url}/v0/active_extensions`)).json()).toContain('hil.ext.auth.null');
    await hil.close();
  });

  it('applies networking actions in the order they were queued', async () => {
    const hil = await createHilSimulator({
      nodes: [
        { name: 'a', project: 'p' },
        { name: 'b', project: 'p' },
      ],
      projects: ['p'],
      actionDelayMs: 5,
    });
    const put = await fetch(`${hil.url}/v0/network/n`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ owner: 'p', access: 'p', net_id: '' }),
    });
    expect(put.status).toBe(200);
    hil.actions.pause();
    for (const node of ['b', 'a']) {
      const queued = await fetch(`${hil.url}/v0/node/${node}/nic/eth0/connect_network`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ network: 'n' }),
      });
      expect(queued.status).toBe(202);
    }
    expect(hil.state.pendingActions().map((action) => action.node)).toEqual(['b', 'a']);
    hil.actions.failNext({ node: 'a' });
    hil.actions.resume();
    while (hil.state.pendingActions().length > 0) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(hil.state.actions().map((action) => [action.node, action.status])).toEqual([
      ['b', 'DONE'],
      ['a', 'ERROR'],
    ]);
    expect(hil.state.node('a')?.nics[0]?.networks).toEqual({});
    expect(hil.state.node('b')?.nics[0]?.networks).toEqual({ 'vlan/native': 'n' });
    await hil.close();
  });

  it('a maintenance pool takes detached nodes and notifies the maintenance service, which frees them', async () => {
    const service = await createTestServer();
    const hil = await createHilSimulator({
      nodes: [{ name: 'n1', project: 'p' }],
      projects: ['p'],
      maintenancePool: { project: 'maint', url: `${service.url}/scrub` },
    });
    service.route('POST', '/scrub', async (_request, response, body) => {
      response.writeHead(200).end();
      // The maintenance service scrubs the node, then detaches it from the maintenance project.
      const { node } = JSON.parse(body) as { node: string };
      await fetch(`${hil.url}/v0/project/maint/detach_node`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ node }),
      });
    });
    const detached = await fetch(`${hil.url}/v0/project/p/detach_node`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ node: 'n1' }),
    });
    expect(detached.status).toBe(200);
    expect(hil.state.node('n1')?.project).toBe('maint');
    const deadline = Date.now() + 2_000;
    while (hil.state.node('n1')?.project !== null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(hil.state.node('n1')?.project).toBeNull();
    expect(service.requests.map((request) => [request.method, request.path, request.body])).toEqual([
      ['POST', '/scrub', '{"node": "n1"}'],
    ]);
    await hil.close();
    await service.close();
  });

  it("OBMd refuses a power call without HIL's current token", async () => {
    const hil = await createHilSimulator({ nodes: [{ name: 'n1', project: 'p' }], projects: ['p'] });
    const noToken = await fetch(`${hil.obmdUrl}/node/n1/power_on`, { method: 'POST' });
    expect(noToken.status).toBe(401);
    await fetch(`${hil.url}/v0/node/n1/obm`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ enabled: true }),
    });
    const redirect = await fetch(`${hil.url}/v0/node/n1/power_on`, {
      method: 'POST',
      headers: admin,
      redirect: 'manual',
    });
    expect(redirect.status).toBe(307);
    const location = redirect.headers.get('location')!;
    expect(location.startsWith(`${hil.obmdUrl}/node/n1/power_on?token=`)).toBe(true);
    expect((await fetch(location, { method: 'POST' })).status).toBe(200);
    expect(hil.state.node('n1')?.power).toBe('on');
    await fetch(`${hil.url}/v0/node/n1/obm`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ enabled: false }),
    });
    expect((await fetch(location, { method: 'POST' })).status).toBe(401);
    await hil.close();
  });

  it('OBMd knows only the nodes registered with it, under its one admin token', async () => {
    const hil = await createHilSimulator({ nodes: 0, projects: ['p'] });
    const register = await fetch(`${hil.url}/v0/node/late`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ obmd: { uri: `${hil.obmdUrl}/node/late`, admin_token: hil.obmdAdminToken } }),
    });
    expect(register.status).toBe(200);
    await fetch(`${hil.url}/v0/project/p/connect_node`, { method: 'POST', headers: admin, body: '{"node": "late"}' });
    const enable = () =>
      fetch(`${hil.url}/v0/node/late/obm`, { method: 'PUT', headers: admin, body: '{"enabled": true}' });
    // HIL registered the node, OBMd did not: the token request is a 404, so HIL's OBMError is a 500.
    expect((await enable()).status).toBe(500);
    const obmdAdmin = { authorization: `Basic ${Buffer.from(`admin:${hil.obmdAdminToken}`).toString('base64')}` };
    const wrongAdmin = { authorization: `Basic ${Buffer.from(`admin:${'0'.repeat(32)}`).toString('base64')}` };
    const body = JSON.stringify({ type: 'ipmi', info: { addr: '10.0.0.4', user: 'u', pass: 'p' } });
    expect((await fetch(`${hil.obmdUrl}/node/late`, { method: 'PUT', headers: wrongAdmin, body })).status).toBe(404);
    expect((await fetch(`${hil.obmdUrl}/node/late`, { method: 'PUT', headers: obmdAdmin, body })).status).toBe(200);
    expect((await fetch(`${hil.obmdUrl}/node/late`, { method: 'PUT', headers: obmdAdmin, body })).status).toBe(500);
    expect((await enable()).status).toBe(200);
    expect(hil.state.node('late')?.obmEnabled).toBe(true);
    await hil.close();
  });
});
