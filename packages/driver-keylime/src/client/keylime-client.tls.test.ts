import { OcxError } from '@ocx/core';
import { createTestCertificates, type TestCertificates } from '@ocx/core/testing';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKeylimeSimulator, type KeylimeSimulator } from '../simulator/index.js';
import { createKeylimeClient, type KeylimeClientOptions } from './index.js';

let certificates: TestCertificates;
let simulator: KeylimeSimulator;

beforeAll(async () => {
  certificates = await createTestCertificates();
  simulator = await createKeylimeSimulator({ certificates, agents: [{ uuid: 'agent-1' }] });
});
afterAll(async () => simulator?.close());

function options(tls: Partial<KeylimeClientOptions['tls']> = {}): KeylimeClientOptions {
  return {
    verifier: { url: simulator.verifier.url },
    registrar: { url: simulator.registrar.url },
    tls: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key, ...tls },
    retries: 0,
    timeoutMs: 5_000,
  };
}

async function tlsFailure(tls: Partial<KeylimeClientOptions['tls']>): Promise<OcxError> {
  const client = createKeylimeClient(options(tls));
  try {
    const error = await client.verifier.agents.list().catch((caught: unknown) => caught);
    expect(OcxError.is(error), `expected an OcxError, got ${String(error)}`).toBe(true);
    return error as OcxError;
  } finally {
    await client.close();
  }
}

describe('mutual TLS with a pinned CA', () => {
  it('works with the tenant certificate from the servers’ CA', async () => {
    const client = createKeylimeClient(options());
    expect(await client.registrar.agents.list()).toEqual(['agent-1']);
    await client.close();
  });

  it('a client certificate from another CA is a typed TLS error', async () => {
    const before = simulator.verifier.server.requests.length;
    const error = await tlsFailure({ cert: certificates.otherClient.cert, key: certificates.otherClient.key });
    expect(error.code).toBe('tls');
    // Refused in the handshake: nothing reached the verifier's routes.
    expect(simulator.verifier.server.requests.length).toBe(before);
  });

  it('a server certificate from a CA the client does not trust is a typed TLS error', async () => {
    const error = await tlsFailure({ ca: certificates.otherCa.cert });
    expect(error.code).toBe('tls');
  });

  it('a server certificate that does not name the host is a typed TLS error', async () => {
    const error = await tlsFailure({ servername: 'verifier.tenant.example' });
    expect(error.code).toBe('tls');
    expect(error.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|altname|does not match/i);
  });

  it('the client key never appears in an error', async () => {
    const error = await tlsFailure({ ca: certificates.otherCa.cert });
    const keyBody = certificates.client.key.split('\n')[1]!;
    expect(JSON.stringify(error.toJSON())).not.toContain(keyBody);
    expect(error.message).not.toContain(keyBody);
  });

  it('turning verification off takes the loudly named option, and warns', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const logged: string[] = [];
    const client = createKeylimeClient({
      ...options({ ca: certificates.otherCa.cert, dangerouslyDisableTlsVerification: true }),
      logger: { debug() {}, info() {}, warn: (message) => logged.push(message), error() {} },
    });
    expect(await client.verifier.agents.list()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/does not verify/),
      expect.objectContaining({ code: 'OCX_TLS_VERIFICATION_DISABLED' }),
    );
    expect(logged.some((message) => /does not verify/.test(message))).toBe(true);
    await client.close();
  });
});

describe('an injected dispatcher', () => {
  it('carries the calls, and its own client certificate', async () => {
    const good = new Agent({
      connect: { ca: certificates.ca.cert, cert: certificates.client.cert, key: certificates.client.key },
    });
    const client = createKeylimeClient({ ...options(), dispatcher: good });
    expect(await client.registrar.agents.list()).toEqual(['agent-1']);
    await client.close();
    await good.close();

    const foreign = new Agent({
      connect: { ca: certificates.ca.cert, cert: certificates.otherClient.cert, key: certificates.otherClient.key },
    });
    const refused = createKeylimeClient({ ...options(), dispatcher: foreign });
    expect(await refused.registrar.agents.list().catch((error: OcxError) => error.code)).toBe('tls');
    await refused.close();
    await foreign.close();
  });
});

describe('no plain HTTP, no silent downgrade', () => {
  it('an http:// verifier or registrar URL is refused at construction, naming the field', () => {
    for (const field of ['verifier', 'registrar'] as const) {
      const bad = { ...options(), [field]: { url: simulator.verifier.url.replace('https://', 'http://') } };
      const error = (() => {
        try {
          createKeylimeClient(bad);
          return undefined;
        } catch (caught) {
          return caught as OcxError;
        }
      })();
      expect(error?.code).toBe('validation');
      expect(error?.issues[0]?.path).toBe(`${field}.url`);
    }
  });

  it('options that would skip verification under another name are refused', () => {
    const sneaky = {
      ...options(),
      tls: { ...options().tls, rejectUnauthorized: false },
    } as unknown as KeylimeClientOptions;
    expect(() => createKeylimeClient(sneaky)).toThrow(/tls/);
  });
});
