import { OcxError, validateDriver } from '@ocx/core';
import { createTestCertificates, type TestCertificates } from '@ocx/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeylimeDriver, type KeylimeDriverOptions } from './index.js';
import { createKeylimeSimulator, type KeylimeSimulator } from './simulator/index.js';

let certificates: TestCertificates;
let simulator: KeylimeSimulator;

beforeAll(async () => {
  certificates = await createTestCertificates();
  simulator = await createKeylimeSimulator({ certificates });
});
afterAll(async () => simulator?.close());

const options = (): KeylimeDriverOptions => ({
  verifier: { url: simulator.verifier.url },
  registrar: { url: simulator.registrar.url },
  tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
  retries: 0,
  timeoutMs: 1_000,
});

function validationPath(make: () => unknown): string | undefined {
  try {
    make();
  } catch (error) {
    if (OcxError.is(error) && error.code === 'validation') return error.issues[0]?.path;
    throw error;
  }
  return undefined;
}

describe('createKeylimeDriver', () => {
  it('is a valid v1 driver that declares continuous attestation and nothing else', async () => {
    const driver = createKeylimeDriver(options());
    expect(validateDriver(driver)).toBe(driver);
    expect(driver.name).toBe('keylime');
    expect(driver.capabilities).toEqual({ attestor: { continuous: true } });
    for (const absent of ['hardware', 'provisioner', 'tenancy', 'quotas', 'meters'] as const)
      expect(driver[absent]).toBeUndefined();
    expect(typeof driver.ext.verifier.agents.add).toBe('function');
    await driver.dispose();
    await driver.dispose();
  });

  it('a bad option fails at once, naming its path', () => {
    expect(validationPath(() => createKeylimeDriver({ ...options(), attestor: { maxWaitMs: -1 } }))).toBe(
      'attestor.maxWaitMs',
    );
    expect(
      validationPath(() => createKeylimeDriver({ ...options(), verifier: { url: 'http://127.0.0.1:8881' } })),
    ).toBe('verifier.url');
    expect(validationPath(() => createKeylimeDriver({ ...options(), tls: undefined as never }))).toBe('tls');
    expect(validationPath(() => createKeylimeDriver({ ...options(), apiVersion: '3.0' }))).toBe('apiVersion');
    expect(validationPath(() => createKeylimeDriver({ ...options(), colour: 'blue' } as never))).toBe('');
  });

  it('health reports each server, and a server that does not answer', async () => {
    const driver = createKeylimeDriver(options());
    const healthy = await driver.health();
    expect(healthy.ok).toBe(true);
    expect(Object.keys(healthy.checks).sort()).toEqual(['keylime-registrar', 'keylime-verifier']);
    simulator.registrar.server.inject({ kind: 'reset', times: Number.POSITIVE_INFINITY });
    const sick = await driver.health();
    simulator.registrar.server.clearFaults();
    expect(sick.ok).toBe(false);
    expect(sick.checks['keylime-verifier']?.ok).toBe(true);
    expect(sick.checks['keylime-registrar']).toMatchObject({
      ok: false,
      message: expect.stringContaining('keylime-registrar'),
    });
    await driver.dispose();
  });
});
