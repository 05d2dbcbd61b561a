import pRetry from 'p-retry';
import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import { systemClock } from '../runtime/clock.js';
import { redactingLogger } from '../runtime/logger.js';
import { traceBackendCall } from '../telemetry/backend-call.js';
import { type HttpClientOptions, maxResponseBytesSchema, parseHttpClientOptions } from './client-options.js';
import { originSet, refuseForeignTarget } from './origin-policy.js';
import type { HttpCallOptions, HttpClient, HttpRequest, HttpResponse, HttpShortcut } from './request-types.js';
import { isIdempotentMethod, type RetryOptions, retryDelay } from './retry-policy.js';
import {
  AttemptFailure,
  attempt,
  type CallState,
  type ClientContext,
  finalError,
  isAutomaticallyRetryable,
  type PreparedCall,
} from './send-attempt.js';
import { appendQuery, normaliseBaseUrl, requestTarget, resolveUrl } from './url.js';

/**
 * Create the HTTP client of one backend: undici underneath, a timeout on every attempt, retries
 * for idempotent calls (429/502/503/504 and connection failures, honouring Retry-After within a
 * cap), auth plug-ins applied only to the backend's own origins, response validation with zod,
 * and every failure mapped to an `OcxError`. Options are validated here, once.
 *
 * Trust boundaries: a call reaches only the client's origins (or those it lists in
 * `allowOrigins`); a redirect to another origin is an error and nothing is sent there; bodies are
 * read into memory only up to `maxResponseBytes` (64 MiB by default), decompressed ones too.
 *
 * @example
 * ```ts
 * const hil = createHttpClient({
 *   backend: 'hil',
 *   baseUrl: 'https://hil.example/v0',
 *   auth: basicAuth({ username: 'admin', password: Secret.from(process.env.HIL_PASSWORD!) }),
 *   errorParser: ({ bodyText }) => { const { type, msg } = JSON.parse(bodyText); return { type, message: msg }; },
 * });
 * const { data } = await hil.get('/nodes/free', { operation: 'list_free_nodes', schema: z.array(z.string()) });
 * ```
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const parsed = parseHttpClientOptions(options);
  const baseUrl = new URL(parsed.baseUrl);
  const baseOrigin = baseUrl.origin;
  // Built from the parsed URL so that it starts with exactly `baseOrigin`, the hot path's test.
  const base = normaliseBaseUrl(`${baseOrigin}${baseUrl.pathname}`);
  const auth = parsed.auth;
  const logger = parsed.logger === undefined ? undefined : redactingLogger(parsed.logger);

  if (auth?.dangerouslyDisablesTlsVerification) {
    const warning = `HTTP client for ${parsed.backend} does not verify the server's TLS certificate (dangerouslyDisableTlsVerification)`;
    process.emitWarning(warning, { code: 'OCX_TLS_VERIFICATION_DISABLED' });
    logger?.warn(warning, { backend: parsed.backend });
  }

  const client: ClientContext = {
    backend: parsed.backend,
    auth,
    dispatcher: parsed.dispatcher,
    credentialOrigins: new Set([baseOrigin, ...(parsed.allowedOrigins ?? []).map((origin) => new URL(origin).origin)]),
    logger,
    errorParser: parsed.errorParser,
    requestIdHeaders: parsed.requestIdHeaders,
    clock: parsed.clock ?? systemClock,
  };

  // Header sets are built once; a call copies them only when it adds its own.
  const customHeaders = lowerCaseKeys(parsed.headers ?? {});
  const jsonAcceptHeaders = Object.freeze({ accept: 'application/json', ...customHeaders });
  const anyAcceptHeaders = Object.freeze({ accept: '*/*', ...customHeaders });

  const prepare = (call: HttpRequest): PreparedCall => {
    const method = call.method.toUpperCase();
    const target = requestTarget(appendQuery(resolveUrl(base, call.path), call.query), baseOrigin);
    if (call.maxResponseBytes !== undefined) {
      parseWith(maxResponseBytesSchema, call.maxResponseBytes, {
        what: `${parsed.backend} call option maxResponseBytes`,
      });
    }
    const allowOrigins = originSet(call.allowOrigins);
    const refusal = refuseForeignTarget(target, client.credentialOrigins, allowOrigins, baseOrigin);
    if (refusal !== undefined) {
      throw new OcxError({
        code: 'validation',
        fault: 'client',
        backend: parsed.backend,
        operation: call.operation,
        message: `${parsed.backend}: ${call.operation ?? call.method.toUpperCase()} ${refusal}`,
      });
    }
    const responseType = call.responseType ?? 'json';
    const { body, contentType } = encodeBody(parsed.backend, call);
    let headers: Readonly<Record<string, string>> = responseType === 'json' ? jsonAcceptHeaders : anyAcceptHeaders;
    if (contentType !== undefined || call.headers !== undefined) {
      headers = { ...headers, ...(contentType === undefined ? {} : { 'content-type': contentType }) };
      if (call.headers !== undefined) Object.assign(headers, lowerCaseKeys(call.headers));
    }
    return {
      method,
      target,
      headers,
      body,
      responseType,
      schema: call.schema,
      operation: call.operation,
      idempotent: call.idempotent ?? isIdempotentMethod(method),
      timeoutMs: call.timeoutMs ?? parsed.timeoutMs,
      signal: call.signal,
      expectedStatus: call.expectedStatus,
      followRedirects: call.followRedirects,
      allowOrigins,
      maxResponseBytes: call.maxResponseBytes ?? parsed.maxResponseBytes,
      retry:
        call.retry === false ? false : call.retry === undefined ? parsed.retry : { ...parsed.retry, ...call.retry },
    };
  };

  const canRetry = (
    failure: AttemptFailure,
    call: PreparedCall,
    state: CallState,
  ): call is PreparedCall & { retry: RetryOptions } =>
    call.retry !== false &&
    call.idempotent &&
    call.signal?.aborted !== true &&
    state.retries < call.retry.retries &&
    isAutomaticallyRetryable(failure, call.retry);

  /** Wait before the next attempt; an abort during the wait ends the call at once. */
  const pause = async (failure: AttemptFailure, call: PreparedCall & { retry: RetryOptions }, state: CallState) => {
    const delay = retryDelay(state.retries + 1, failure.retryAfterMs, call.retry);
    state.retries += 1;
    state.totalRetryDelayMs += delay;
    logger?.debug('http retry', {
      backend: parsed.backend,
      operation: call.operation,
      delayMs: delay,
      code: failure.details.code,
    });
    try {
      await client.clock.sleep(delay, call.signal);
    } catch (error) {
      throw new AttemptFailure({
        code: 'aborted',
        message: `${parsed.backend}: ${call.operation ?? call.method} was aborted while waiting to retry`,
        backend: parsed.backend,
        operation: call.operation,
        cause: error,
      });
    }
  };

  /** Enter the retry machinery only after a first failure: the common, successful call never pays for it. */
  const retryAfter = async (
    firstFailure: AttemptFailure,
    call: PreparedCall & { retry: RetryOptions },
    state: CallState,
  ) => {
    await pause(firstFailure, call, state);
    return pRetry(() => attempt(client, call, state), {
      retries: call.retry.retries,
      minTimeout: 0,
      maxTimeout: 0,
      factor: 1,
      // Backoff, Retry-After and the abort check live in pause(): p-retry's own delay is zero.
      shouldRetry: async ({ error }) => {
        if (!(error instanceof AttemptFailure) || !canRetry(error, call, state)) return false;
        await pause(error, call, state);
        return true;
      },
    });
  };

  const request = async (call: HttpRequest): Promise<HttpResponse<unknown>> => {
    let prepared: PreparedCall;
    try {
      prepared = prepare(call);
    } catch (error) {
      // A URL that does not parse, a JSON body that does not serialise: the caller's mistake.
      if (OcxError.is(error)) throw error;
      throw new OcxError({
        code: 'validation',
        fault: 'client',
        backend: parsed.backend,
        operation: call.operation,
        message: `${parsed.backend}: invalid request: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    const state: CallState = { attempts: 0, retries: 0, totalRetryDelayMs: 0, refreshedAuth: false };
    let status: number | undefined;
    const run = async (): Promise<HttpResponse<unknown>> => {
      try {
        const response = await attempt(client, prepared, state);
        status = response.status;
        return response;
      } catch (error) {
        if (!(error instanceof AttemptFailure) || !canRetry(error, prepared, state)) throw failed(error);
        try {
          const response = await retryAfter(error, prepared, state);
          status = response.status;
          return response;
        } catch (retryError) {
          throw failed(retryError);
        }
      }
    };
    const failed = (error: unknown): unknown => {
      const final = finalError(error, state);
      if (OcxError.is(final)) status = final.status;
      return final;
    };
    return traceBackendCall(
      { backend: parsed.backend, operation: call.operation, method: prepared.method, origin: prepared.target.origin },
      run,
      () => ({ status, retries: state.retries }),
    );
  };

  const shortcut =
    (method: string): HttpShortcut =>
    (path: string, options?: HttpCallOptions) =>
      request({ ...options, method, path }) as never;

  return {
    backend: parsed.backend,
    baseUrl: base,
    request: request as HttpClient['request'],
    get: shortcut('GET'),
    post: shortcut('POST'),
    put: shortcut('PUT'),
    patch: shortcut('PATCH'),
    delete: shortcut('DELETE'),
    head: shortcut('HEAD'),
    close: async () => {
      await auth?.close?.();
    },
  };
}

/** Encode the one body a call may have, and the content type it implies. */
function encodeBody(
  backend: string,
  call: HttpRequest,
): { body: string | Buffer | undefined; contentType: string | undefined } {
  const given = Number(call.json !== undefined) + Number(call.form !== undefined) + Number(call.body !== undefined);
  if (given > 1) {
    throw new OcxError({
      code: 'validation',
      fault: 'client',
      backend,
      operation: call.operation,
      message: `${backend}: a call takes one of json, form or body, not ${given}`,
    });
  }
  if (call.json !== undefined) return { body: JSON.stringify(call.json), contentType: 'application/json' };
  if (call.form !== undefined) {
    return { body: appendQuery('', call.form).slice(1), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: call.body, contentType: undefined };
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name in headers) result[name.toLowerCase()] = headers[name]!;
  return result;
}
