import { z } from 'zod';
import { OcxError } from '../../errors/ocx-error.js';
import { parseWith } from '../../errors/validation.js';
import { type Clock, systemClock } from '../../runtime/clock.js';
import { forgetSecret, registerSecret } from '../../secrets/redact.js';
import { revealSecret, type Secret } from '../../secrets/secret.js';
import type { AuthPlugin } from './auth-plugin.js';

/** A token and, when known, when it stops being valid. */
export interface BearerToken {
  token: string | Secret;
  expiresAt?: Date;
}

/** Options of {@link bearerToken}. */
export interface BearerTokenOptions {
  /**
   * Obtain a new token (e.g. a Keystone `POST /v3/auth/tokens`). One refresh is shared by every
   * caller waiting for it, so it is not given any one caller's signal.
   */
  getToken: (signal?: AbortSignal) => Promise<BearerToken>;
  /** `Authorization` (default) sends `Bearer <token>`; `X-Auth-Token` (OpenStack) sends the raw token. */
  header?: 'Authorization' | 'X-Auth-Token';
  /** Refresh this long before the token expires. Default 60000. */
  refreshBeforeMs?: number;
  clock?: Clock;
}

const bearerTokenSchema = z
  .object({
    getToken: z.custom<BearerTokenOptions['getToken']>((value) => typeof value === 'function', 'expected a function'),
    header: z.enum(['Authorization', 'X-Auth-Token']).default('Authorization'),
    refreshBeforeMs: z.number().int().min(0).default(60_000),
    clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function').optional(),
  })
  .strict();

/**
 * Bearer-token authentication with caching: the token is fetched on first use, reused until
 * `refreshBeforeMs` before it expires, and refreshed once for all concurrent callers. On a 401 the
 * token is refreshed and the request sent once more; a second 401 is an `auth` error. Each new
 * token is registered with the redactor and the replaced one forgotten.
 *
 * @example
 * ```ts
 * const auth = bearerToken({
 *   header: 'X-Auth-Token',
 *   getToken: async () => {
 *     const { headers, data } = await keystone.post('/v3/auth/tokens', { json: credentials, schema: tokenSchema });
 *     return { token: Secret.from(String(headers['x-subject-token'])), expiresAt: new Date(data.token.expires_at) };
 *   },
 * });
 * ```
 */
export function bearerToken(options: BearerTokenOptions): AuthPlugin {
  const parsed = parseWith(bearerTokenSchema, options, { what: 'bearerToken options' });
  const clock = parsed.clock ?? systemClock;
  const headerName = parsed.header === 'Authorization' ? 'authorization' : 'x-auth-token';
  const format = parsed.header === 'Authorization' ? (token: string) => `Bearer ${token}` : (token: string) => token;
  let current: { token: string; header: string; refreshAt: number } | undefined;
  let refreshing: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    let result: BearerToken;
    try {
      result = await parsed.getToken();
    } catch (error) {
      if (OcxError.is(error)) throw error;
      throw new OcxError({
        code: 'auth',
        message: `Could not obtain a bearer token: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    const token = revealSecret(result.token);
    if (typeof token !== 'string' || token === '') {
      throw new OcxError({
        code: 'auth',
        message: 'Could not obtain a bearer token: getToken returned an empty token',
      });
    }
    registerSecret(token);
    if (current !== undefined && current.token !== token) forgetSecret(current.token);
    const expiresAt = result.expiresAt?.getTime();
    current = {
      token,
      header: format(token),
      refreshAt: expiresAt === undefined ? Number.POSITIVE_INFINITY : expiresAt - parsed.refreshBeforeMs,
    };
    return token;
  };

  /** Start a refresh, or join the one already running. */
  const refresh = (): Promise<string> => {
    if (refreshing !== undefined) return refreshing;
    const promise = fetchToken();
    refreshing = promise;
    const clear = (): void => {
      if (refreshing === promise) refreshing = undefined;
    };
    promise.then(clear, clear);
    return promise;
  };

  return {
    name: 'bearer-token',
    async authorize(request, context) {
      if (current === undefined || clock.now().getTime() >= current.refreshAt) {
        await untilAborted(refresh(), context.signal);
      }
      request.headers[headerName] = current!.header;
    },
    async onUnauthorized(request) {
      // Another caller may have refreshed since this request was sent: then just resend.
      const sent = request?.headers[headerName];
      if (sent !== undefined && current !== undefined && sent !== current.header && refreshing === undefined)
        return true;
      if (current !== undefined && refreshing === undefined) current.refreshAt = Number.NEGATIVE_INFINITY;
      await refresh();
      return true;
    },
  };
}

/** Wait for a shared promise, but give up (without cancelling it) when this caller's signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
