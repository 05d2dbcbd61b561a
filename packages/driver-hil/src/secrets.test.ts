import { inspect } from 'node:util';
import { type Logger, OcxError } from '@ocx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHilClient } from './client/hil-client.js';
import { createHilDriver } from './driver.js';
import { createHilSimulator, type HilSimulator } from './simulator/index.js';

/** Everything a logger received, as text. */
function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** Every way an error can be shown: message, JSON, inspect (with its cause), stack. */
function errorText(error: unknown): string {
  const ocx = error as OcxError;
  return [String(error), JSON.stringify(ocx.toJSON?.() ?? {}), inspect(error, { depth: 5 }), ocx.stack ?? ''].join(
    '\n',
  );
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

const PASSWORD = 'Tr0ub4dor&3-hil-password';
const TOKEN = 'gAAAAABkeystone-token-7f3a9c';

describe('no credential appears in an error or a log line', () => {
  let hil: HilSimulator;
  beforeAll(async () => {
    hil = await createHilSimulator({
      nodes: 2,
      projects: ['alpha'],
      users: [{ name: 'landlord', password: PASSWORD, isAdmin: true }],
      actionDelayMs: 1,
    });
  });
  afterAll(() => hil.close());

  it('the Basic password and header stay out of errors, even when a server echoes them', async () => {
    const logger = capturingLogger();
    const client = createHilClient({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: { username: 'landlord', password: PASSWORD },
      logger,
      retries: 0,
    });
    const header = `Basic ${Buffer.from(`landlord:${PASSWORD}`).toString('base64')}`;
    hil.server.inject(
      { kind: 'status', status: 500, body: `bad request from landlord:${PASSWORD} (Authorization: ${header})` },
      { path: '/v0/projects' },
    );
    const error = await failure(client.projects.list());
    expect(OcxError.is(error)).toBe(true);
    const text = `${errorText(error)}\n${logger.lines.join('\n')}`;
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(`landlord:${PASSWORD}`).toString('base64'));
    expect(logger.lines.length).toBeGreaterThan(0);
    await client.close();
  });

  it('a Keystone token stays out of errors and logs', async () => {
    const keystone = await createHilSimulator({
      auth: 'keystone',
      keystoneTokens: { [TOKEN]: { project: 'alpha', roles: ['admin'] } },
      nodes: 1,
    });
    const logger = capturingLogger();
    const client = createHilClient({
      endpoint: keystone.url,
      auth: { keystone: { getToken: async () => ({ token: TOKEN }) } },
      logger,
      retries: 0,
    });
    expect(await client.nodes.list('free')).toEqual(['node-001']);
    keystone.server.inject(
      { kind: 'status', status: 409, body: { type: 'BlockedError', msg: `token ${TOKEN} is busy` } },
      { path: '/v0/projects' },
    );
    const error = await failure(client.projects.list());
    const text = `${errorText(error)}\n${logger.lines.join('\n')}`;
    expect(text).not.toContain(TOKEN);
    await client.close();
    await keystone.close();
  });

  it("the OBMd token in HIL's 307 Location stays out of errors and logs", async () => {
    const logger = capturingLogger();
    const client = createHilClient({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: { username: 'landlord', password: PASSWORD },
      logger,
      retries: 0,
      timeoutMs: 300,
    });
    await client.projects.connectNode('alpha', 'node-001');
    await client.obm.enable('node-001');
    const obmdToken = hil.state.raw.nodes.get('node-001')!.obmToken!;
    expect(obmdToken.length).toBeGreaterThan(8);
    await client.obm.powerOn('node-001');

    // OBMd fails, echoing the URL it was called with; then OBMd resets the connection; then hangs.
    hil.obmdServer.inject(
      { kind: 'status', status: 500, body: `failed: POST /node/node-001/power_on?token=${obmdToken}` },
      { path: /power_on$/ },
    );
    const echoed = await failure(client.obm.powerOn('node-001'));
    hil.obmdServer.inject({ kind: 'reset' }, { path: /power_off$/ });
    const reset = await failure(client.obm.powerOff('node-001'));
    hil.obmdServer.inject({ kind: 'hang' }, { path: /power_status$/ });
    const hung = await failure(client.obm.powerStatus('node-001'));

    for (const error of [echoed, reset, hung]) {
      expect(OcxError.is(error)).toBe(true);
      expect(errorText(error)).not.toContain(obmdToken);
    }
    expect((hung as OcxError).code).toBe('timeout');
    expect((reset as OcxError).code).toBe('network');
    expect(logger.lines.some((line) => line.includes('/node/node-001/power_on'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(obmdToken);
    await client.obm.disable('node-001');
    await client.projects.detachNode('alpha', 'node-001');
    await client.close();
  });

  it("a switch's password and a new user's password are registered as secrets", async () => {
    const client = createHilClient({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: { username: 'landlord', password: PASSWORD },
      retries: 0,
    });
    const switchPassword = 'sw1tch-secret-password';
    const userPassword = 'n3w-user-secret-password';
    hil.server.inject(
      { kind: 'status', status: 500, body: `cannot log in with ${switchPassword}` },
      { path: '/v0/switch/sw9' },
    );
    const switchError = await failure(
      client.switches.register('sw9', {
        type: 'http://schema.massopencloud.org/haas/v0/switches/mock',
        hostname: 'h',
        username: 'u',
        password: switchPassword,
      }),
    );
    expect(errorText(switchError)).not.toContain(switchPassword);
    hil.server.inject(
      {
        kind: 'status',
        status: 409,
        body: { type: 'DuplicateError', msg: `user with password ${userPassword} exists` },
      },
      { path: /\/auth\/basic\/user\// },
    );
    const userError = await failure(client.users.create('newbie', { password: userPassword }));
    expect(errorText(userError)).not.toContain(userPassword);
    await client.close();
  });

  it('OBMd receives HIL credentials only when its origin is allowed', async () => {
    const base = {
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: { username: 'landlord', password: PASSWORD },
      retries: 0,
    };
    await createHilClient(base).projects.connectNode('alpha', 'node-002');
    const strict = createHilClient(base);
    const trusting = createHilClient({ ...base, allowedOrigins: [hil.obmdUrl] });
    await strict.obm.enable('node-002');
    hil.obmdServer.reset();
    await strict.obm.powerOn('node-002');
    await trusting.obm.powerOff('node-002');
    const [toStrict, toTrusting] = hil.obmdServer.requests;
    expect(toStrict?.path).toBe('/node/node-002/power_on');
    expect(toStrict?.headers.authorization).toBeUndefined();
    expect(toTrusting?.path).toBe('/node/node-002/power_off');
    expect(toTrusting?.headers.authorization).toMatch(/^Basic /);
    await strict.close();
    await trusting.close();
  });

  it("a power call is not followed to OBMd unless OBMd's origin is in obmdOrigins", async () => {
    const unlisted = createHilClient({
      endpoint: hil.url,
      auth: { username: 'landlord', password: PASSWORD },
      retries: 0,
    });
    await unlisted.projects.connectNode('alpha', 'node-001').catch(() => undefined);
    await unlisted.obm.enable('node-001');
    hil.obmdServer.reset();
    const error = (await failure(unlisted.obm.powerOn('node-001'))) as OcxError;
    expect(error).toMatchObject({ code: 'protocol', status: 307 });
    expect(error.message).toContain(new URL(hil.obmdUrl).origin);
    expect(error.message).toContain('obmdOrigins');
    expect(errorText(error)).not.toMatch(/token=/);
    expect(hil.obmdServer.requests).toEqual([]);
    await unlisted.close();
  });

  it("the driver's options and errors show no password", async () => {
    const driver = createHilDriver({
      endpoint: hil.url,
      obmdOrigins: [hil.obmdUrl],
      auth: { username: 'landlord', password: 'wrong-password-xyz' },
      retries: 0,
    });
    const error = await failure(driver.hardware.listFreeNodes());
    expect((error as OcxError).code).toBe('auth');
    expect(errorText(error)).not.toContain('wrong-password-xyz');
    const health = await driver.health();
    expect(health.ok).toBe(false);
    expect(JSON.stringify(health)).not.toContain('wrong-password-xyz');
    await driver.dispose();
  });
});
