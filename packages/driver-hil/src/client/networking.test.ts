import { OcxError } from '@ocx/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN, type HilSimulator } from '../simulator/index.js';
import type { HilClientOptions } from './client-options.js';
import { createHilClient, type HilClient } from './hil-client.js';

const admin = { username: DEFAULT_SIMULATOR_ADMIN.username, password: DEFAULT_SIMULATOR_ADMIN.password };

describe('networking actions', () => {
  let hil: HilSimulator;
  const clients: HilClient[] = [];
  const client = (options: Partial<HilClientOptions> = {}): HilClient => {
    const created = createHilClient({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: admin,
      actionPollMs: 2,
      actionMaxPollMs: 10,
      ...options,
    });
    clients.push(created);
    return created;
  };
  const nic = { node: 'node-001', nic: 'eth0' };

  beforeAll(async () => {
    hil = await createHilSimulator({
      nodes: [{ name: 'node-001', project: 'alpha' }],
      projects: ['alpha'],
      actionDelayMs: 15,
    });
    const setup = client();
    await setup.networks.create('net-a', { owner: 'alpha', access: 'alpha', netId: '' });
    await setup.networks.create('net-b', { owner: 'alpha', access: 'alpha', netId: '' });
  });
  afterEach(() => hil.actions.resume());
  afterAll(async () => {
    for (const item of clients) await item.close();
    await hil.close();
  });

  it('calls on one NIC through one client run in turn: no 409 for the second action', async () => {
    const hilClient = client();
    const [connected, detached] = await Promise.all([
      hilClient.networking.connectNetwork({ ...nic, network: 'net-a' }),
      hilClient.networking.detachNetwork({ ...nic, network: 'net-a' }),
    ]);
    expect(connected.status).toBe('DONE');
    expect(detached.status).toBe('DONE');
    expect(hil.state.node('node-001')?.nics[0]?.networks).toEqual({});
  });

  it('wait: false returns once queued, and the next call on the NIC still waits for it', async () => {
    const hilClient = client();
    const queued = await hilClient.networking.connectNetwork({ ...nic, network: 'net-a' }, { wait: false });
    expect(queued.status).toBe('PENDING');
    expect(hil.state.pendingActions().map((action) => action.id)).toEqual([queued.statusId]);
    const detached = await hilClient.networking.detachNetwork({ ...nic, network: 'net-a' });
    expect(detached.status).toBe('DONE');
    expect(hil.state.node('node-001')?.nics[0]?.networks).toEqual({});
  });

  it('another client sees the 409 (HIL allows one pending action per NIC)', async () => {
    hil.actions.pause();
    const first = client();
    const second = client();
    const pending = first.networking.connectNetwork({ ...nic, network: 'net-a' });
    while (hil.state.pendingActions().length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    await expect(second.networking.connectNetwork({ ...nic, network: 'net-b' })).rejects.toMatchObject({
      code: 'conflict',
      backendErrorType: 'BlockedError',
    });
    hil.actions.resume();
    await expect(pending).resolves.toMatchObject({ status: 'DONE' });
  });

  it('an action replaced before it was seen is verified by reading the node', async () => {
    // This client polls slowly; meanwhile another client queues the NIC's next action, which
    // deletes the finished one, so the slow client's poll gets 404 and must look at the node.
    const slow = client({ actionPollMs: 150, actionMaxPollMs: 150 });
    const fast = client();
    const waiting = slow.networking.connectNetwork({
      ...nic,
      network: 'net-b',
      channel: `vlan/${hil.state.networks().find((n) => n.name === 'net-b')!.netId}`,
    });
    while (Object.keys(hil.state.node('node-001')!.nics[0]!.networks).length < 2)
      await new Promise((resolve) => setTimeout(resolve, 2));
    await fast.networking.detachNetwork({ ...nic, network: 'net-a' }, { wait: false });
    await expect(waiting).resolves.toMatchObject({ status: 'DONE' });
    await fast.networking.detachNetwork({ ...nic, network: 'net-b' });
  });

  it('a wait longer than actionTimeoutMs is a timeout; the action stays queued', async () => {
    hil.actions.pause();
    const impatient = client({ actionTimeoutMs: 30 });
    const error = await impatient.networking
      .connectNetwork({ ...nic, network: 'net-a' })
      .catch((caught: unknown) => caught);
    expect(OcxError.is(error) && error.code).toBe('timeout');
    expect(hil.state.pendingActions()).toHaveLength(1);
    hil.actions.resume();
    await client()
      .networking.detachNetwork({ ...nic, network: 'net-a' })
      .catch(async () => {
        while (hil.state.pendingActions().length > 0) await new Promise((resolve) => setTimeout(resolve, 2));
        await client().networking.detachNetwork({ ...nic, network: 'net-a' });
      });
  });

  it('an aborted wait rejects as aborted at once', async () => {
    hil.actions.pause();
    const controller = new AbortController();
    const waiting = client().networking.connectNetwork({ ...nic, network: 'net-a' }, { signal: controller.signal });
    while (hil.state.pendingActions().length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    hil.actions.resume();
    while (hil.state.pendingActions().length > 0) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(hil.state.node('node-001')?.nics[0]?.networks).toEqual({ 'vlan/native': 'net-a' });
  });
});
