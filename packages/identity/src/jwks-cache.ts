import { type Clock, type Logger, OcxError } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { tokenError } from './token-error.js';

const JwksSchema = z.object({ keys: z.array(z.object({ kty: z.string().min(1) }).loose()) }).loose();

/** A key set as last fetched. */
export interface CachedKeySet {
  /** For jose's `jwtVerify`. */
  readonly keys: JWTVerifyGetKey;
  /** The `kid`s in the set (for messages and tests). */
  readonly keyIds: readonly string[];
  /** When it was fetched (clock time, ms). */
  readonly fetchedAt: number;
}

/** Options of {@link createJwksCache}. */
export interface JwksCacheOptions {
  issuer: string;
  /** Where the keys are, resolved on first use (it may come from discovery). */
  jwksUri: () => Promise<string>;
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  refreshMs: number;
  maxAgeMs: number;
  cooldownMs: number;
}

/** The key set of one issuer, with refresh, rotation and outage handling. */
export interface JwksCache {
  /** The keys to verify with: refreshed when due, cached keys while the endpoint is down and they are younger than the max age. */
  current(signal?: AbortSignal): Promise<CachedKeySet>;
  /**
   * A token names a key the set lacks (the provider rotated): refetch, at most once per cooldown.
   * Undefined when the cooldown forbids a refetch now.
   */
  refreshForUnknownKey(signal?: AbortSignal): Promise<CachedKeySet | undefined>;
}

/**
 * Cache one issuer's JWKS on top of `@ocx/core/http` (jose's remote key set would do its own
 * network calls). One fetch at a time is shared by all callers; failed fetches respect the cooldown
 * too, so an outage is not hammered.
 */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  let cached: CachedKeySet | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<CachedKeySet> | undefined;
  const now = () => options.clock.now().getTime();

  const fetchKeys = async (): Promise<CachedKeySet> => {
    lastAttemptAt = now();
    let jwks: JSONWebKeySet;
    try {
      const uri = await options.jwksUri();
      // The key set may be on another origin than the issuer (OIDC Discovery allows it): listing
      // it lets the call go there, with no credentials and none of the client's headers.
      ({ data: jwks } = (await options.http.get(uri, {
        schema: JwksSchema,
        operation: 'jwks',
        allowOrigins: [uri],
      })) as {
        data: JSONWebKeySet;
      });
    } catch (error) {
      if (OcxError.is(error) && error.operation === 'verify-token') throw error;
      const reason = OcxError.is(error)
        ? `${error.code}${error.status === undefined ? '' : ` ${error.status}`}`
        : 'failure';
      throw tokenError('jwks-unavailable', `The key set of ${options.issuer} could not be fetched (${reason})`, {
        issuer: options.issuer,
        cause: error,
      });
    }
    let keys: JWTVerifyGetKey;
    try {
      keys = createLocalJWKSet(jwks);
    } catch (error) {
      throw tokenError('jwks-unavailable', `The key set of ${options.issuer} is malformed`, {
        issuer: options.issuer,
        cause: error,
      });
    }
    const keyIds = jwks.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string');
    const fetched: CachedKeySet = { keys, keyIds, fetchedAt: now() };
    cached = fetched;
    return fetched;
  };

  // One fetch is shared by every caller waiting for it, so it gets no one caller's signal (its
  // timeout bounds it); each caller stops waiting when its own signal aborts.
  const refresh = (signal: AbortSignal | undefined): Promise<CachedKeySet> => {
    if (inFlight === undefined) {
      const promise = fetchKeys().finally(() => {
        if (inFlight === promise) inFlight = undefined;
      });
      inFlight = promise;
    }
    return untilAborted(inFlight, signal);
  };

  const expired = (keys: CachedKeySet) => now() - keys.fetchedAt >= options.maxAgeMs;
  const staleError = (keys: CachedKeySet, cause?: unknown) =>
    tokenError(
      'jwks-unavailable',
      `The key set of ${options.issuer} is ${Math.round((now() - keys.fetchedAt) / 1000)} s old, past its max age, and could not be refreshed`,
      { issuer: options.issuer, cause },
    );

  return {
    async current(signal) {
      if (cached === undefined) return refresh(signal);
      const keys = cached;
      const due = now() - keys.fetchedAt >= options.refreshMs;
      if (!due) return keys;
      if (now() - lastAttemptAt < options.cooldownMs && inFlight === undefined) {
        if (expired(keys)) throw staleError(keys);
        return keys;
      }
      try {
        return await refresh(signal);
      } catch (error) {
        if (OcxError.is(error) && error.code === 'aborted') throw error;
        if (expired(keys)) throw staleError(keys, error);
        options.logger.warn('JWKS refresh failed; using cached keys until they reach their max age', {
          issuer: options.issuer,
          ageMs: now() - keys.fetchedAt,
          maxAgeMs: options.maxAgeMs,
          error: OcxError.is(error) ? error.message : String(error),
        });
        return keys;
      }
    },
    async refreshForUnknownKey(signal) {
      if (inFlight !== undefined) return untilAborted(inFlight, signal);
      if (now() - lastAttemptAt < options.cooldownMs) return undefined;
      return refresh(signal);
    },
  };
}

/** Wait for a shared promise, but give up (without cancelling it) when this caller's signal aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
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

function abortError(): OcxError {
  return new OcxError({ code: 'aborted', message: 'Token verification was aborted', operation: 'verify-token' });
}
