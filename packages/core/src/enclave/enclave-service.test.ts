import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { createMemoryStore } from '../store/memory-store.js';
import { CrashSwitch, createBackends, enclaveRequest, exchangeOver, expectInvariants } from './__tests__/harness.js';

describe('exchange.enclaves', () => {
  it('builds an 8-node enclave across three landlords; a failing node is quarantined, never joined', async () => {
    const backends = createBackends({ failingAgents: ['node-003'] });
    const exchange = await exchangeOver(backends);
    const transitions: string[] = [];
    const failures: unknown[] = [];
    exchange.events.on('enclave.node', (event) => transitions.push(`${event.node}:${event.from}>${event.to}`));
    exchange.events.on('attestation.failed', (event) => failures.push(event));
    // Every attach to the enclave network must find the node's agent already passed.
    const enclaveAttach: string[] = [];
    const hardware = backends.hardware.hardware!;
    const original = hardware.attachNetwork.bind(hardware);
    hardware.attachNetwork = async (input, options) => {
      if (input.network.endsWith('-net')) {
        expect(backends.attestor.ext!.state.agents.get(input.node)?.verdict).toBe('pass');
        enclaveAttach.push(input.node);
      }
      return original(input, options);
    };

    const enclave = await exchange.enclaves.create(enclaveRequest('genomics', 8), {
      actor: { kind: 'user', id: 'alice' },
    });
    expect(enclave.status).toBe('degraded');
    expect(enclave.nodes.filter((node) => node.state === 'joined')).toHaveLength(7);
    expect(enclave.nodes.find((node) => node.node === 'node-003')).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('PCR'),
    });
    expect(enclaveAttach).not.toContain('node-003');
    expect(failures).toEqual([expect.objectContaining({ node: 'node-003', revoked: false })]);
    expect(transitions.filter((entry) => entry.startsWith('node-001:'))).toEqual([
      'node-001:requested>allocated',
      'node-001:allocated>airlock',
      'node-001:airlock>provisioning',
      'node-001:provisioning>attesting',
      'node-001:attesting>joined',
    ]);
    await expectInvariants(exchange, backends);
    expect((await exchange.audit.query({ action: 'enclave.create' }))[0]?.actor.id).toBe('alice');
  });

  it('grows by 2 and shrinks by 4, returning nodes to the pool', async () => {
    const backends = createBackends();
    const exchange = await exchangeOver(backends);
    await exchange.enclaves.create(enclaveRequest('genomics', 4));
    const grown = await exchange.enclaves.grow('genomics-enclave', 2);
    expect(grown.nodes.filter((node) => node.state === 'joined')).toHaveLength(6);
    const shrunk = await exchange.enclaves.shrink('genomics-enclave', 4);
    expect(shrunk.nodes.filter((node) => node.state === 'joined')).toHaveLength(2);
    expect(shrunk.status).toBe('ready');
    expect(await backends.hardware.hardware!.listFreeNodes()).toHaveLength(14);
    await expectInvariants(exchange, backends);
    await expect(exchange.enclaves.shrink('genomics-enclave', 3)).rejects.toMatchObject({
      code: 'validation',
      issues: [{ path: 'count' }],
    });
  });

  it('destroy releases every node, quarantined ones too, and deletes the networks', async () => {
    const backends = createBackends({ failingAgents: ['node-002'] });
    const exchange = await exchangeOver(backends);
    await exchange.enclaves.create(enclaveRequest('genomics', 3));
    const destroyed = await exchange.enclaves.destroy('genomics-enclave');
    expect(destroyed.status).toBe('released');
    expect(destroyed.nodes.every((node) => node.state === 'released')).toBe(true);
    expect(await backends.hardware.hardware!.listFreeNodes()).toHaveLength(16);
    expect(backends.hardware.ext!.state.networks.size).toBe(0);
    expect(backends.attestor.ext!.state.agents.size).toBe(0);
    expect(backends.provisioner.ext!.state.disks.size).toBe(0);
  });

  it('bursts nodes from one project to another, re-attesting them', async () => {
    const backends = createBackends();
    const exchange = await exchangeOver(backends);
    await exchange.enclaves.create(enclaveRequest('alpha', 4));
    await exchange.enclaves.create(enclaveRequest('beta', 1));
    const result = await exchange.enclaves.burst({ from: 'alpha-enclave', to: 'beta-enclave', count: 2 });
    expect(result.moved).toHaveLength(2);
    expect(result.from.nodes.filter((node) => node.state === 'joined')).toHaveLength(2);
    expect(result.to.nodes.filter((node) => node.state === 'joined')).toHaveLength(3);
    for (const node of result.moved) expect(backends.hardware.ext!.state.nodes.get(node)?.project).toBe('beta');
    await expectInvariants(exchange, backends);
  });

  it('an abort cancels cleanly: everything started is rolled back', async () => {
    const backends = createBackends();
    const controller = new AbortController();
    let provisions = 0;
    const exchange = await exchangeOver(backends, {
      plan: ({ method }) => {
        if (method === 'provision' && ++provisions === 3) controller.abort(new Error('user cancelled'));
        return undefined;
      },
    });
    const error = await exchange.enclaves
      .create(enclaveRequest('genomics', 6), { signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(OcxError.is(error) && error.code).toBe('aborted');
    const enclave = await exchange.enclaves.get('genomics-enclave');
    expect(enclave.status).toBe('released');
    expect(await backends.hardware.hardware!.listFreeNodes()).toHaveLength(16);
    await expectInvariants(exchange, backends);
  });

  it('a backend fault on one node rolls it back and replaces it with another free node', async () => {
    const backends = createBackends();
    const exchange = await exchangeOver(backends, {
      plan: ({ method, input }) =>
        method === 'provision' && (input as { node: string }).node === 'node-002'
          ? new OcxError({ code: 'http', status: 500, message: 'M2 failed', retryable: true })
          : undefined,
    });
    const enclave = await exchange.enclaves.create(enclaveRequest('genomics', 3));
    expect(enclave.status).toBe('ready');
    expect(enclave.nodes.find((node) => node.node === 'node-002')).toMatchObject({
      state: 'released',
      reason: expect.stringContaining('M2 failed'),
    });
    expect(enclave.nodes.filter((node) => node.state === 'joined').map((node) => node.node)).toEqual([
      'node-001',
      'node-003',
      'node-004',
    ]);
    await expectInvariants(exchange, backends);
  });

  it('resumes after a crash: no leaked node, none allocated twice', async () => {
    const backends = createBackends({ failingAgents: ['node-004'] });
    const store = createMemoryStore();
    const crash = new CrashSwitch(25);
    const dying = await exchangeOver(backends, { store, crash });
    crash.tripAfterWrites = crash.writes + 25;
    await expect(dying.enclaves.create(enclaveRequest('genomics', 6))).rejects.toBeDefined();
    expect(crash.tripped).toBe(true);
    const survivor = await exchangeOver(backends, { store });
    const resumed = await survivor.enclaves.resume();
    expect(resumed.enclaves).toEqual(['genomics-enclave']);
    const enclave = await survivor.enclaves.get('genomics-enclave');
    expect(enclave.nodes.filter((node) => node.state === 'joined')).toHaveLength(5);
    expect(enclave.nodes.filter((node) => node.state === 'rejected')).toHaveLength(1);
    await expectInvariants(survivor, backends);
  });

  it('refuses malformed requests naming the field, and changes nothing', async () => {
    const backends = createBackends();
    const exchange = await exchangeOver(backends);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ nodes: 0 }, 'nodes'],
      [{ project: '' }, 'project'],
      [{ image: '' }, 'image'],
      [{ hardware: { landlord: 'hw' } }, 'hardware.service'],
      [{ policy: { pcrs: { x: ['zz'] } } }, 'policy.pcrs.x'],
      [{ concurrency: 0 }, 'concurrency'],
      [{ colour: 'red' }, ''],
    ];
    for (const [change, path] of cases) {
      const error = await exchange.enclaves
        .create({ ...enclaveRequest('genomics', 2), ...change } as never)
        .catch((caught: unknown) => caught);
      expect(OcxError.is(error) && error.code, JSON.stringify(change)).toBe('validation');
      expect(
        (error as OcxError).issues.map((issue) => issue.path).some((issuePath) => issuePath.startsWith(path)),
      ).toBe(true);
    }
    const wrongKind = await exchange.enclaves
      .create({ ...enclaveRequest('genomics', 2), provisioner: { landlord: 'tenant', service: 'keylime' } })
      .catch((caught: unknown) => caught);
    expect(OcxError.is(wrongKind) && wrongKind.code).toBe('capability');
    expect(await exchange.enclaves.list()).toEqual([]);
    expect(await backends.hardware.hardware!.listFreeNodes()).toHaveLength(16);
  });
});

describe('exchange.enclaves.releaseNodes', () => {
  it('returns chosen nodes, quarantined ones included, and refuses nodes it does not hold', async () => {
    const backends = createBackends({ failingAgents: ['node-002'] });
    const exchange = await exchangeOver(backends);
    await exchange.enclaves.create(enclaveRequest('genomics', 3));
    const after = await exchange.enclaves.releaseNodes('genomics-enclave', ['node-002']);
    expect(after.nodes.find((node) => node.node === 'node-002')?.state).toBe('released');
    expect(after.status).toBe('degraded');
    expect(backends.hardware.ext!.state.nodes.get('node-002')?.project).toBeNull();
    await expect(exchange.enclaves.releaseNodes('genomics-enclave', ['node-009'])).rejects.toMatchObject({
      code: 'not-found',
      issues: [{ path: 'nodes.0' }],
    });
    await expectInvariants(exchange, backends);
  });
});

describe('nodes that failed attestation', () => {
  it('are never picked again for the same enclave', async () => {
    const backends = createBackends({ nodes: 4, failingAgents: ['node-001'] });
    const exchange = await exchangeOver(backends);
    await exchange.enclaves.create(enclaveRequest('genomics', 1));
    await exchange.enclaves.releaseNodes('genomics-enclave', ['node-001']);
    const grown = await exchange.enclaves.grow('genomics-enclave', 2);
    expect(grown.nodes.filter((node) => node.state === 'joined').map((node) => node.node)).toEqual([
      'node-002',
      'node-003',
    ]);
    expect(grown.nodes.find((node) => node.node === 'node-001')?.state).toBe('released');
  });
});
