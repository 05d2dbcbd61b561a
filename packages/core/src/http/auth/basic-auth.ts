import { z } from 'zod';
import { parseWith } from '../../errors/validation.js';
import { registerSecret } from '../../secrets/redact.js';
import { revealSecret, Secret } from '../../secrets/secret.js';
import type { AuthPlugin } from './auth-plugin.js';

/** Options of {@link basicAuth}. */
export interface BasicAuthOptions {
  username: string;
  password: string | Secret;
}

const basicAuthSchema = z
  .object({
    username: z.string().min(1),
    password: z.union([
      z.string().min(1),
      z.custom<Secret>((value) => Secret.is(value), 'expected a string or Secret'),
    ]),
  })
  .strict();

/**
 * HTTP Basic authentication (RFC 7617). The password is registered with the redactor, and so is
 * the encoded header, so neither appears in an error or log.
 *
 * @example
 * ```ts
 * const hil = createHttpClient({ backend: 'hil', baseUrl, auth: basicAuth({ username: 'admin', password: Secret.from(pw) }) });
 * ```
 */
export function basicAuth(options: BasicAuthOptions): AuthPlugin {
  const { username, password } = parseWith(basicAuthSchema, options, { what: 'basicAuth options' });
  const passwordText = revealSecret(password);
  const pair = `${username}:${passwordText}`;
  // Registering the pair also registers its base64 form: the exact text of the header's token.
  // It goes first so that the whole token is redacted, not just the password's part of it.
  registerSecret(pair);
  registerSecret(passwordText);
  const header = `Basic ${Buffer.from(pair).toString('base64')}`;
  return {
    name: 'basic-auth',
    authorize(request) {
      request.headers.authorization = header;
    },
  };
}
