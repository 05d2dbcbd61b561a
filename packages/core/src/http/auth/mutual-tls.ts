import { inspect } from 'node:util';
import { Agent } from 'undici';
import { z } from 'zod';
import { parseWith } from '../../errors/validation.js';
import { registerSecret } from '../../secrets/redact.js';
import { revealSecret, Secret } from '../../secrets/secret.js';
import type { AuthPlugin } from './auth-plugin.js';

/** PEM text. */
type Pem = string | Buffer;

/** Options of {@link mutualTls}. PEM texts, not file paths. */
export interface MutualTlsOptions {
  /** The CA(s) that signed the server's certificate. Only these are trusted: the CA is pinned. */
  ca: Pem | readonly Pem[];
  /** The client certificate (chain). */
  cert: Pem;
  /** The client's private key. */
  key: Pem | Secret;
  /** The key's passphrase, if it is encrypted. */
  passphrase?: string | Secret;
  /** The name to verify the server's certificate against, when it differs from the URL's host. */
  servername?: string;
  /** Most connections kept open per origin. Default 64. */
  connections?: number;
  /**
   * Accept any server certificate. Only for a lab with throwaway certificates: a man in the middle
   * can then read the landlord's traffic. Every client created with it emits a process warning.
   */
  dangerouslyDisableTlsVerification?: boolean;
}

const pem = z.union([z.string().min(1), z.instanceof(Buffer)]);
const secretText = z.union([
  z.string().min(1),
  z.custom<Secret>((value) => Secret.is(value), 'expected a string or Secret'),
]);

// Strict, so that `insecureSkipVerify`/`rejectUnauthorized` are refused instead of silently ignored.
const mutualTlsSchema = z
  .object({
    ca: z.union([pem, z.array(pem).min(1)]),
    cert: pem,
    key: z.union([pem, z.custom<Secret>((value) => Secret.is(value), 'expected PEM text or a Secret')]),
    passphrase: secretText.optional(),
    servername: z.string().min(1).optional(),
    connections: z.number().int().positive().default(64),
    dangerouslyDisableTlsVerification: z.boolean().default(false),
  })
  .strict();

/**
 * Mutual TLS: a plug-in whose dispatcher presents a client certificate and trusts only the given
 * CA (Keylime's verifier and registrar). Server certificates are verified unless the loudly named
 * `dangerouslyDisableTlsVerification` is set.
 *
 * @example
 * ```ts
 * const auth = mutualTls({ ca: caPem, cert: clientPem, key: Secret.from(clientKeyPem) });
 * const verifier = createHttpClient({ backend: 'keylime-verifier', baseUrl: 'https://verifier:8881', auth });
 * ```
 */
export function mutualTls(options: MutualTlsOptions): AuthPlugin {
  const parsed = parseWith(mutualTlsSchema, options, { what: 'mutualTls options' });
  const key = Secret.is(parsed.key) ? parsed.key.reveal() : parsed.key;
  registerSecret(typeof key === 'string' ? key : key.toString('utf8'));
  const passphrase = parsed.passphrase === undefined ? undefined : revealSecret(parsed.passphrase);
  if (passphrase !== undefined) registerSecret(passphrase);
  const verify = !parsed.dangerouslyDisableTlsVerification;

  const agent = new Agent({
    connections: parsed.connections,
    connect: {
      ca: parsed.ca,
      cert: parsed.cert,
      key,
      passphrase,
      servername: parsed.servername,
      rejectUnauthorized: verify,
      ...(verify ? {} : { checkServerIdentity: () => undefined }),
    },
  });

  // The agent keeps its connect options, private key included: never let inspect() print them.
  const description = `MutualTlsAgent { verify: ${verify}, key: [REDACTED] }`;
  Object.defineProperty(agent, inspect.custom, { value: () => description });

  const plugin: AuthPlugin = {
    name: 'mutual-tls',
    // The certificate is presented by the dispatcher; there is no header to add.
    authorize() {},
    dispatcher: agent,
    presentsClientCertificate: true,
    dangerouslyDisablesTlsVerification: !verify,
    close: () => agent.close(),
  };
  Object.defineProperty(plugin, inspect.custom, { value: () => `AuthPlugin(mutual-tls) ${description}` });
  return plugin;
}
