import { type Logger, parseWith, Secret } from '@ocx/core';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ApiVersionSchema } from './api-version.js';

/** PEM text, given as a string or a Buffer (not a file path). */
export type Pem = string | Buffer;

/** Mutual-TLS material: Keylime's server CA, and the tenant's client certificate and key. */
export interface KeylimeTlsOptions {
  /** The CA that signed the verifier's and registrar's server certificates; only it is trusted. */
  ca: Pem | readonly Pem[];
  /** The client certificate (from the CA the servers trust, `trusted_client_ca`). */
  cert: Pem;
  /** The client's private key. Registered as a secret: it never appears in errors or logs. */
  key: Pem | Secret;
  passphrase?: string | Secret;
  /**
   * The name to check the servers' certificates against, when it differs from the URLs' host
   * (Keylime's generated certificates name the host they were made for).
   */
  servername?: string;
  /**
   * Accept any server certificate. Only for a lab with throwaway certificates; every client made
   * with it emits a process warning.
   */
  dangerouslyDisableTlsVerification?: boolean;
}

/** Options of {@link createKeylimeClient}. */
export interface KeylimeClientOptions {
  /** The verifier, e.g. `https://verifier.example:8881`. HTTPS only, as the verifier is. */
  verifier: { url: string };
  /** The registrar's TLS (admin) port, e.g. `https://registrar.example:8891`. */
  registrar: { url: string };
  tls: KeylimeTlsOptions;
  /** Use this API version when a server offers it; otherwise the highest shared 2.x is used. */
  apiVersion?: string;
  /**
   * A dispatcher to send every call through instead of the one built from `tls`. It must present
   * the client certificate and verify the servers itself; `tls` is then not used for connections.
   */
  dispatcher?: Dispatcher;
  /** Per-attempt timeout in milliseconds. Default 30000. */
  timeoutMs?: number;
  logger?: Logger;
  /** Retries of idempotent calls after the first attempt. Default 2. */
  retries?: number;
}

const pem = z.union([z.string().min(1), z.instanceof(Buffer)]);
const secretText = z.union([
  z.string().min(1),
  z.custom<Secret>((value) => Secret.is(value), 'expected a string or Secret'),
]);

const httpsUrl = (name: string) =>
  z
    .string()
    .url('must be a URL')
    .refine((url) => url.startsWith('https://'), `must be an https:// URL: the ${name} only speaks TLS`);

/** The schema of {@link KeylimeClientOptions}; strict, so misspelled options are refused. */
export const KeylimeClientOptionsSchema = z
  .object({
    verifier: z.object({ url: httpsUrl('verifier') }).strict(),
    registrar: z.object({ url: httpsUrl('registrar admin port') }).strict(),
    tls: z
      .object({
        ca: z.union([pem, z.array(pem).min(1)]),
        cert: pem,
        key: z.union([pem, z.custom<Secret>((value) => Secret.is(value), 'expected PEM text or a Secret')]),
        passphrase: secretText.optional(),
        servername: z.string().min(1).optional(),
        dangerouslyDisableTlsVerification: z.boolean().optional(),
      })
      .strict(),
    apiVersion: ApiVersionSchema.refine(
      (version) => version.startsWith('2.'),
      'must be a 2.x version (pull mode)',
    ).optional(),
    dispatcher: z
      .custom<Dispatcher>(
        (value) => typeof (value as Dispatcher | undefined)?.dispatch === 'function',
        'expected an undici Dispatcher',
      )
      .optional(),
    timeoutMs: z.number().int().positive().optional(),
    logger: z
      .custom<Logger>((value) => typeof (value as Logger | undefined)?.warn === 'function', 'expected a Logger')
      .optional(),
    retries: z.number().int().min(0).max(10).optional(),
  })
  .strict();

/** Parse client options at construction: a bad option is an `OcxError` (`validation`) naming its path. */
export function parseKeylimeClientOptions(options: KeylimeClientOptions): z.output<typeof KeylimeClientOptionsSchema> {
  return parseWith(KeylimeClientOptionsSchema, options, { what: 'Keylime client options' });
}
