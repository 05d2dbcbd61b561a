import { OcxError, validateDriver } from '@ocx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHilDriver, type HilDriverOptions } from './driver.js';
import type { HilProgressEvent } from './pool-support.js';
import { createHilSimulator, DEFAULT_SIMULATOR_ADMIN, type HilSimulator } from './simulator/index.js';

const admin = { username: DEFAULT_SIMULATOR_ADMIN.username, password: DEFAULT_SIMULATOR_ADMIN.password };

function constructionError(options: unknown): OcxError {
  try {
    createHilDriver(options as HilDriverOptions);
  } catch (error) {
    expect(OcxError.is(error)).toBe(true);
    return error as OcxError;
  }
  throw new Error('expected createHilDriver to throw');
}

describe('createHilDriver', () => {
  it('is a valid v1 driver with the hardware capability and the client under ext', () => {
    const driver = createHilDriver({ endpoint: 'http://127.0.0.1:1', auth: admin });
    expect(validateDriver(driver)).toBe(driver);
    expect(driver.capabilities).toEqual({ hardware: { maintenancePool: false, power: true } });
    expect(Object.keys(driver).sort()).toEqual([
      'capabilities',
      'dispose',
      'ext',
      'hardware',
      'health',
      'name',
      'specificationVersion',
    ]);
    expect(typeof driver.ext.networking.connectNetwork).toBe('function');
    expect(
      createHilDriver({ endpoint: 'http://127.0.0.1:1', maintenancePool: { project: 'scrub' } }).capabilities.hardware
        ?.maintenancePool,
    ).toBe(true);
  });

  it.each([
    [{ endpoint: 'not a url' }, 'endpoint'],
    [{ endpoint: 'ftp://hil' }, 'endpoint'],
    [{ endpoint: 'http://hil', auth: { username: 'a' } }, 'auth'],
    [{ endpoint: 'http://hil', timeoutMs: -1 }, 'timeoutMs'],
    [{ endpoint: 'http://hil', actionPollMs: 100, actionMaxPollMs: 10 }, 'actionMaxPollMs'],
    [{ endpoint: 'http://hil', maintenancePool: { project: 'a/b' } }, 'maintenancePool.project'],
    [{ endpoint: 'http://hil', releaseWaitMs: 0 }, 'releaseWaitMs'],
    [{ endpoint: 'http://hil', bogus: true }, ''],
  ])('a bad option is a validation error naming its path: %j', (options, path) => {
    const error = constructionError(options);
    expect(error.code).toBe('validation');
    expect(error.issues.some((issue) => issue.path === path)).toBe(true);
  });
});

describe('the HIL hardware pool', () => {
  let hil: HilSimulator;
  beforeAll(async () => {
    hil = await createHilSimulator({
      nodes: 3,
      actionDelayMs: 1,
      users: [
        { name: 'admin', password: admin.password, isAdmin: true },
        { name: 'ten', password: 'tenant-password', projects: ['ten-proj'] },
      ],
    });
  });
  afterAll(() => hil.close());

  it('reports progress and returns a networked, powered node to the free pool', async () => {
    const events: HilProgressEvent[] = [];
    const driver = createHilDriver({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: admin,
      actionPollMs: 1,
      actionMaxPollMs: 5,
      onProgress: (event) => events.push(event),
    });
    const pool = driver.hardware;
    await pool.ensureProject('demo');
    await pool.allocate({ project: 'demo', node: 'node-001' });
    await pool.createNetwork({ project: 'demo', network: 'demo-net' });
    await pool.attachNetwork({ node: 'node-001', nic: 'eth0', network: 'demo-net' });
    await pool.attachNetwork({ node: 'node-001', nic: 'eth0', network: 'demo-net' });
    await pool.power({ node: 'node-001', action: 'cycle' });
    expect(await pool.powerStatus('node-001')).toBe('on');
    expect(hil.state.node('node-001')).toMatchObject({ project: 'demo', obmEnabled: true, power: 'on' });
    expect(await pool.release({ project: 'demo', node: 'node-001' })).toEqual({ pool: 'free' });
    expect(hil.state.node('node-001')).toMatchObject({ project: null, obmEnabled: false, power: 'off' });
    expect(events.map((event) => event.step)).toEqual([
      'allocated',
      'network-attached',
      'network-attached',
      'powered',
      'release-started',
      'release-powered-off',
      'network-detached',
      'release-obm-disabled',
      'released',
    ]);
    await pool.deleteNetwork({ network: 'demo-net' });
    await driver.dispose();
    await driver.dispose();
  });

  it('refuses to release a node of another project, and detaching twice is fine', async () => {
    const driver = createHilDriver({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: admin,
      actionPollMs: 1,
      actionMaxPollMs: 5,
    });
    const pool = driver.hardware;
    await pool.allocate({ project: 'ten-proj', node: 'node-002' });
    await expect(pool.release({ project: 'demo', node: 'node-002' })).rejects.toMatchObject({ code: 'conflict' });
    await pool.createNetwork({ project: 'ten-proj', network: 'ten-net' });
    await expect(pool.createNetwork({ project: 'demo', network: 'ten-net' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await pool.detachNetwork({ node: 'node-002', nic: 'eth0', network: 'ten-net' });
    await expect(pool.detachNetwork({ node: 'node-002', nic: 'eth0', network: 'no-such-net' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(await pool.release({ project: 'ten-proj', node: 'node-002' })).toEqual({ pool: 'free' });
    await pool.deleteNetwork({ network: 'ten-net' });
    await driver.dispose();
  });

  it("release waits out another client's pending action, then detaches what it attached", async () => {
    const driver = createHilDriver({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: admin,
      actionPollMs: 2,
      actionMaxPollMs: 5,
    });
    await driver.hardware.allocate({ project: 'demo', node: 'node-003' });
    await driver.hardware.createNetwork({ project: 'demo', network: 'other-net' });
    hil.actions.pause();
    // Another client queued a connect and went away: nothing is attached yet, but an action is pending.
    const other = createHilDriver({ endpoint: hil.url, obmdOrigins: [hil.obmdUrl], auth: admin });
    await other.ext.networking.connectNetwork({ node: 'node-003', nic: 'eth0', network: 'other-net' }, { wait: false });
    await other.dispose();
    setTimeout(() => hil.actions.resume(), 60);
    expect(await driver.hardware.release({ project: 'demo', node: 'node-003' })).toEqual({ pool: 'free' });
    expect(hil.state.node('node-003')).toMatchObject({ project: null, obmEnabled: false });
    expect(hil.state.node('node-003')?.nics[0]?.networks).toEqual({});
    expect(hil.state.pendingActions()).toEqual([]);
    await driver.hardware.deleteNetwork({ network: 'other-net' });
    await driver.dispose();
  });

  it("a tenant's ensureProject succeeds for its own project and fails for others", async () => {
    const driver = createHilDriver({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: { username: 'ten', password: 'tenant-password' },
    });
    await driver.hardware.ensureProject('ten-proj');
    await expect(driver.hardware.ensureProject('not-mine')).rejects.toMatchObject({ code: 'auth' });
    await driver.dispose();
  });

  it('bad input is refused before any request and changes nothing', async () => {
    const driver = createHilDriver({ endpoint: hil.url, obmdOrigins: [hil.obmdUrl], auth: admin });
    hil.server.reset();
    const calls: Array<[string, Promise<unknown>]> = [
      ['project', driver.hardware.allocate({ project: '', node: 'node-003' })],
      ['node', driver.hardware.allocate({ project: 'demo', node: '../node-003' })],
      ['channel', driver.hardware.attachNetwork({ node: 'node-003', nic: 'eth0', network: 'n', channel: '' })],
      ['action', driver.hardware.power({ node: 'node-003', action: 'explode' as 'on' })],
      ['device', driver.hardware.setBootDevice({ node: 'node-003', device: 'floppy' as 'pxe' })],
      ['node', driver.hardware.getNode('a/b')],
      ['project', driver.hardware.listProjectNodes('')],
    ];
    for (const [field, call] of calls) {
      const error = await call.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(OcxError.is(error)).toBe(true);
      expect((error as OcxError).code).toBe('validation');
      expect((error as OcxError).issues.map((issue) => issue.path)).toContain(field);
    }
    expect(hil.server.requests).toEqual([]);
    expect(hil.state.node('node-003')?.project).toBeNull();
    await driver.dispose();
  });

  it('health reports the round trip, and a dead endpoint as not ok', async () => {
    const driver = createHilDriver({ endpoint: hil.url, obmdOrigins: [hil.obmdUrl], auth: admin });
    const health = await driver.health();
    expect(health.ok).toBe(true);
    expect(health.checks.hil?.latencyMs).toBeGreaterThanOrEqual(0);
    const dead = createHilDriver({ endpoint: 'http://127.0.0.1:9', auth: admin, retries: 0, timeoutMs: 500 });
    expect((await dead.health()).ok).toBe(false);
    await driver.dispose();
    await dead.dispose();
  });
});
