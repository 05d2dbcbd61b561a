import {
  type CallOptions,
  type Driver,
  type HealthReport,
  OcxError,
  silentLogger,
  TypedEmitter,
  validateDriver,
} from '@ocx/core';
import type { KeylimeAttestorEvents } from './attestor/attestor-events.js';
import { createKeylimeAttestor } from './attestor/keylime-attestor.js';
import { createKeylimeClient, type KeylimeClient } from './client/keylime-client.js';
import { type KeylimeDriverOptions, parseDriverOptions } from './driver-options.js';

/** `driver.ext`: the Keylime client (verifier and registrar APIs) and the attestor's events. */
export interface KeylimeExtension extends KeylimeClient {
  /** `attestation.changed` and `attestation.revoked`, emitted by `attestor.watch`. */
  readonly events: TypedEmitter<KeylimeAttestorEvents>;
}

/** The Keylime driver: an Attestor, with the full client under `ext`. */
export type KeylimeDriver = Driver<KeylimeExtension> & {
  readonly ext: KeylimeExtension;
  readonly attestor: NonNullable<Driver['attestor']>;
};

/**
 * A driver for a tenant's Keylime (verifier and registrar, REST API 2.x, mutual TLS). It
 * implements `Attestor` with continuous attestation: `watch` reports revocations as they happen.
 *
 * @example
 * ```ts
 * const keylime = createKeylimeDriver({
 *   verifier: { url: 'https://verifier.tenant.example:8881' },
 *   registrar: { url: 'https://registrar.tenant.example:8891' },
 *   tls: { ca: caPem, cert: tenantCertPem, key: Secret.from(tenantKeyPem) },
 * });
 * await keylime.attestor.enroll({ agent: uuid, node: 'node-7', policy: { pcrs: { 0: [firmwareDigest] } } });
 * const verdict = await keylime.attestor.waitForVerdict(uuid);
 * keylime.ext.events.on('attestation.revoked', ({ agent, reason }) => quarantine(agent, reason));
 * ```
 */
export function createKeylimeDriver(options: KeylimeDriverOptions): KeylimeDriver {
  const { name, attestor: attestorOptions, clock } = parseDriverOptions(options);
  const { name: _name, attestor: _attestor, clock: _clock, ...clientOptions } = options;
  const client = createKeylimeClient(clientOptions);
  const logger = options.logger ?? silentLogger;
  const events = new TypedEmitter<KeylimeAttestorEvents>(logger);
  const attestor = createKeylimeAttestor(client, {
    ...attestorOptions,
    events,
    logger,
    ...(clock === undefined ? {} : { clock }),
  });

  const check = async (label: string, ask: (options: CallOptions) => Promise<unknown>, callOptions: CallOptions) => {
    const started = performance.now();
    try {
      await ask(callOptions);
      return [label, { ok: true, latencyMs: Math.round(performance.now() - started) }] as const;
    } catch (error) {
      const message = OcxError.is(error) ? error.message : String(error);
      return [label, { ok: false, latencyMs: Math.round(performance.now() - started), message }] as const;
    }
  };

  const driver: KeylimeDriver = {
    specificationVersion: 'v1',
    name,
    capabilities: { attestor: { continuous: true } },
    attestor,
    ext: { verifier: client.verifier, registrar: client.registrar, close: client.close, events },
    async health(callOptions = {}): Promise<HealthReport> {
      const checks = await Promise.all([
        check('keylime-verifier', client.verifier.versionInfo, callOptions),
        check('keylime-registrar', client.registrar.versionInfo, callOptions),
      ]);
      return { ok: checks.every(([, result]) => result.ok), checks: Object.fromEntries(checks) };
    },
    dispose: () => client.close(),
  };
  return validateDriver(driver);
}
