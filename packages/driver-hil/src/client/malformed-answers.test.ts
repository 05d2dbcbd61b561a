import { OcxError } from '@ocx/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN, type HilSimulator } from '../simulator/index.js';
import { createHilClient, type HilClient } from './hil-client.js';

/** Malformed answers from HIL (wrong JSON shape, HTML, empty, truncated) are typed errors naming the backend and the call. */
describe('malformed answers from HIL', () => {
  let hil: HilSimulator;
  let client: HilClient;
  beforeAll(async () => {
    hil = await createHilSimulator({ nodes: 2, projects: ['alpha'], actionDelayMs: 1 });
    client = createHilClient({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: { username: DEFAULT_SIMULATOR_ADMIN.username, password: DEFAULT_SIMULATOR_ADMIN.password },
      actionPollMs: 1,
      actionMaxPollMs: 5,
      retries: 0,
    });
  });
  afterEach(() => {
    hil.server.clearFaults();
    hil.obmdServer.clearFaults();
  });
  afterAll(async () => {
    await client.close();
    await hil.close();
  });

  const failure = async (promise: Promise<unknown>): Promise<OcxError> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(OcxError.is(error), `expected an OcxError, got ${String(error)}`).toBe(true);
    return error as OcxError;
  };

  const expectNamed = (error: OcxError, operation: string): void => {
    expect(error.backend).toBe('hil');
    expect(error.operation).toBe(operation);
    expect(error.message).toContain('hil');
    expect(error.message).toContain(operation);
  };

  it('a JSON body of the wrong shape is a validation error (server fault) naming the field', async () => {
    hil.server.inject({ kind: 'status', status: 200, body: { nodes: ['node-001'] } }, { path: '/v0/nodes/free' });
    const error = await failure(client.nodes.list('free'));
    expect(error.code).toBe('validation');
    expect(error.fault).toBe('server');
    expectNamed(error, 'list_nodes');
  });

  it('a node whose metadata is not HIL-encoded strings is refused, naming the field', async () => {
    const body = { name: 'node-001', project: null, nics: [], metadata: { rack: 7 } };
    hil.server.inject({ kind: 'status', status: 200, body }, { path: '/v0/node/node-001' });
    const error = await failure(client.nodes.show('node-001'));
    expect(error.code).toBe('validation');
    expect(error.issues.map((issue) => issue.path)).toContain('metadata.rack');
    expectNamed(error, 'show_node');
  });

  it('an HTML page where JSON was expected is a protocol error', async () => {
    const html = '<!DOCTYPE html><html><head><title>Welcome to nginx</title></head><body>hi</body></html>';
    hil.server.inject(
      { kind: 'status', status: 200, body: html, headers: { 'content-type': 'text/html' } },
      { path: '/v0/projects' },
    );
    const error = await failure(client.projects.list());
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('HTML');
    expectNamed(error, 'list_projects');
  });

  it('an empty body where JSON was expected is a protocol error', async () => {
    hil.server.inject({ kind: 'status', status: 200 }, { path: '/v0/projects' });
    const error = await failure(client.projects.list());
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('empty body');
    expectNamed(error, 'list_projects');
  });

  it('a truncated body is a typed error, not a crash', async () => {
    hil.server.inject({ kind: 'truncate', body: JSON.stringify(['node-001', 'node-002']) }, { path: '/v0/nodes/all' });
    const error = await failure(client.nodes.list('all'));
    expect(['protocol', 'network']).toContain(error.code);
    expect(error.backend).toBe('hil');
  });

  it("a proxy's HTML 502 is an http error carrying the page title, retryable", async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';
    hil.server.inject(
      { kind: 'status', status: 502, body: html, headers: { 'content-type': 'text/html' } },
      { path: '/v0/projects' },
    );
    const error = await failure(client.projects.list());
    expect(error.code).toBe('http');
    expect(error.status).toBe(502);
    expect(error.retryable).toBe(true);
    expect(error.backendMessage).toContain('502 Bad Gateway');
    expectNamed(error, 'list_projects');
  });

  it('a plain-text 500 keeps its text as ServerError', async () => {
    hil.server.inject({ kind: 'status', status: 500, body: 'database is locked' }, { path: '/v0/projects' });
    const error = await failure(client.projects.list());
    expect(error).toMatchObject({
      code: 'http',
      status: 500,
      backendErrorType: 'ServerError',
      backendMessage: 'database is locked',
    });
  });

  it('a 202 without a status_id is a validation error naming connect_network', async () => {
    await client.projects.connectNode('alpha', 'node-001');
    await client.networks.create('alpha-net', { owner: 'alpha', access: 'alpha', netId: '' });
    hil.server.inject({ kind: 'status', status: 202, body: { id: 'x' } }, { path: /connect_network$/ });
    const error = await failure(
      client.networking.connectNetwork({ node: 'node-001', nic: 'eth0', network: 'alpha-net' }),
    );
    expect(error.code).toBe('validation');
    expectNamed(error, 'node_connect_network');
    expect(hil.state.pendingActions()).toEqual([]);
  });

  it('an unknown action status is a validation error naming show_networking_action', async () => {
    hil.server.inject(
      {
        kind: 'status',
        status: 200,
        body: {
          status: 'WORKING',
          node: 'node-001',
          nic: 'eth0',
          type: 'modify_port',
          channel: 'vlan/native',
          new_network: 'alpha-net',
        },
      },
      { path: /^\/v0\/networking_action\// },
    );
    const error = await failure(
      client.networking.connectNetwork({ node: 'node-001', nic: 'eth0', network: 'alpha-net' }),
    );
    expect(error.code).toBe('validation');
    expectNamed(error, 'show_networking_action');
  });

  it("OBMd's malformed power status is a validation error naming node_power_status", async () => {
    await client.obm.enable('node-001');
    hil.obmdServer.inject({ kind: 'status', status: 200, body: { power: 'maybe' } }, { path: /power_status$/ });
    const error = await failure(client.obm.powerStatus('node-001'));
    expect(error.code).toBe('validation');
    expectNamed(error, 'node_power_status');
    await client.obm.disable('node-001');
  });
});
