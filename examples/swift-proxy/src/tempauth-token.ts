import { OcxError, Secret } from '@ocx/core';
import { type BearerToken, createHttpClient } from '@ocx/core/http';

/**
 * A `getToken` for `bearerToken` that signs in to a Swift tempauth endpoint
 * (`GET /auth/v1.0` with `X-Auth-User` / `X-Auth-Key`). The token is wrapped in a `Secret`, so it
 * is redacted from every error and log line; its lifetime comes from `X-Auth-Token-Expires`.
 */
export function tempAuthToken(options: {
  landlord: string;
  authUrl: string;
  user: string;
  key: Secret;
  timeoutMs: number;
  retries: number;
}): (signal?: AbortSignal) => Promise<BearerToken> {
  const client = createHttpClient({
    backend: `${options.landlord}-tempauth`,
    baseUrl: new URL(options.authUrl).origin,
    timeoutMs: options.timeoutMs,
    retry: { retries: options.retries, minDelayMs: 50, maxDelayMs: 500 },
  });
  return async (signal) => {
    const response = await client.get(options.authUrl, {
      headers: { 'x-auth-user': options.user, 'x-auth-key': options.key.reveal() },
      responseType: 'empty',
      operation: 'tempauth',
      ...(signal === undefined ? {} : { signal }),
    });
    const token = response.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') {
      throw new OcxError({
        code: 'protocol',
        message: 'tempauth answered without an X-Auth-Token',
        backend: client.backend,
        fault: 'server',
      });
    }
    const seconds = Number(response.headers['x-auth-token-expires']);
    return {
      token: Secret.from(token),
      ...(Number.isFinite(seconds) && seconds > 0 ? { expiresAt: new Date(Date.now() + seconds * 1000) } : {}),
    };
  };
}
