import type { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { type Dispatcher, getGlobalDispatcher } from 'undici';
import type { z } from 'zod';
import { OcxError, type OcxErrorOptions } from '../errors/ocx-error.js';
import { validationError } from '../errors/validation.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { AttemptSignal, timeOutSignal } from './attempt-signal.js';
import type { AuthPlugin, AuthRequest } from './auth/auth-plugin.js';
import { type ErrorParser, htmlTitle } from './backend-error.js';
import { bufferedExchange, ERROR_BODY_CAP_BYTES } from './buffered-exchange.js';
import { describeHttpFailure, type HttpErrorContext, type HttpFailure, requestIdFrom } from './map-http-error.js';
import type { HttpHeaders, HttpResponse, ResponseType } from './request-types.js';
import { parseRetryAfter, type RetryOptions } from './retry-policy.js';
import { pathForDisplay, type RequestTarget, requestTarget } from './url.js';

/** What a client knows for its whole life, computed once at construction. */
export interface ClientContext {
  backend: string;
  auth: AuthPlugin | undefined;
  dispatcher: Dispatcher | undefined;
  /** The origins that may receive credentials: the base URL's and the allowed ones. */
  credentialOrigins: ReadonlySet<string>;
  logger: Logger | undefined;
  errorParser: ErrorParser | undefined;
  requestIdHeaders: readonly string[];
  clock: Clock;
}

/** One call, with everything per-call resolved; shared by its attempts. */
export interface PreparedCall {
  method: string;
  target: RequestTarget;
  headers: Readonly<Record<string, string>>;
  body: string | Buffer | undefined;
  responseType: ResponseType;
  schema: z.ZodType | undefined;
  operation: string | undefined;
  idempotent: boolean;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  expectedStatus: readonly number[] | undefined;
  followRedirects: boolean;
  retry: RetryOptions | false;
}

/** What the attempts of one call have in common. */
export interface CallState {
  attempts: number;
  retries: number;
  totalRetryDelayMs: number;
  refreshedAuth: boolean;
}

/**
 * A failed attempt: the error it will become (without attempt counts, added once the call is
 * over) and what retrying needs to know. Internal; callers only ever see `OcxError`.
 */
export class AttemptFailure extends Error {
  constructor(
    readonly details: OcxErrorOptions,
    readonly retryAfterMs: number | undefined = undefined,
  ) {
    super(details.message);
  }
}

const MAX_REDIRECTS = 5;
/** Headers that carry credentials and must never follow a request to another origin. */
const CREDENTIAL_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-auth-token',
  'x-subject-token',
  'x-api-key',
];

/**
 * Send a call once: follow its 307/308 redirects, read and validate its body, and when the auth
 * plug-in refreshes its credentials after a 401, send it once more. Each send counts as an
 * attempt; each has its own deadline.
 */
export async function attempt(
  client: ClientContext,
  call: PreparedCall,
  state: CallState,
): Promise<HttpResponse<unknown>> {
  const callerSignal = call.signal;
  for (;;) {
    state.attempts += 1;
    let target = call.target;
    if (callerSignal?.aborted) {
      throw failureFor(client, call, target.url, { kind: 'exception', error: callerSignal.reason, aborted: true });
    }
    const started = client.logger === undefined ? 0 : performance.now();
    let status: number | undefined;
    // One signal per attempt carries both the caller's abort and this attempt's deadline.
    const signal = new AttemptSignal();
    const timer = setTimeout(timeOutSignal, call.timeoutMs, signal);
    const onCallerAbort = callerSignal === undefined ? undefined : () => signal.abort(callerSignal.reason);
    if (onCallerAbort !== undefined) callerSignal!.addEventListener('abort', onCallerAbort, { once: true });
    let streaming = false;

    try {
      for (let hop = 0; ; hop += 1) {
        const credentialed = client.credentialOrigins.has(target.origin);
        let headers = call.headers;
        let authRequest: AuthRequest | undefined;
        if (!credentialed) {
          headers = withoutCredentials(headers);
        } else if (client.auth !== undefined) {
          authRequest = { method: call.method, url: new URL(target.url), headers: { ...headers }, body: call.body };
          await client.auth.authorize(authRequest, { signal: callerSignal });
          headers = authRequest.headers;
        }
        const dispatcher =
          (credentialed ? client.auth?.dispatcher : undefined) ?? client.dispatcher ?? getGlobalDispatcher();
        // The dispatcher API takes origin and path apart, so no URL is parsed per request.
        const options: Dispatcher.DispatchOptions = {
          origin: target.origin,
          path: target.path,
          method: call.method as Dispatcher.HttpMethod,
          headers,
          body: call.body,
        };
        let headersReceived: HttpHeaders;
        let buffered: Buffer | undefined;
        let stream: Dispatcher.ResponseData['body'] | undefined;
        if (call.responseType === 'stream') {
          const response = await dispatcher.request({ ...options, signal: signal as unknown as EventEmitter });
          status = response.statusCode;
          headersReceived = response.headers;
          stream = response.body;
        } else {
          const response = await bufferedExchange(
            dispatcher,
            options,
            signal,
            call.expectedStatus,
            call.responseType === 'empty',
          );
          status = response.status;
          headersReceived = response.headers;
          buffered = response.body;
        }
        const expected =
          call.expectedStatus === undefined ? status >= 200 && status < 300 : call.expectedStatus.includes(status);

        if ((status === 307 || status === 308) && call.followRedirects && !expected) {
          const location = headerText(headersReceived.location);
          if (location !== undefined) {
            await stream?.dump();
            if (hop + 1 > MAX_REDIRECTS) {
              throw failureFor(
                client,
                call,
                target.url,
                malformed(status, headersReceived, `redirected more than ${MAX_REDIRECTS} times`),
              );
            }
            const next = URL.canParse(location, target.url) ? new URL(location, target.url) : undefined;
            if (next === undefined || (next.protocol !== 'https:' && next.protocol !== 'http:')) {
              throw failureFor(
                client,
                call,
                target.url,
                malformed(status, headersReceived, 'redirected to an invalid URL'),
              );
            }
            target = requestTarget(next.href);
            continue;
          }
        }

        if (status === 401 && credentialed && client.auth?.onUnauthorized !== undefined && !state.refreshedAuth) {
          const bodyText = await errorBodyText(stream, buffered);
          state.refreshedAuth = true;
          const unauthorized: HttpFailure = { kind: 'status', status, headers: headersReceived, bodyText };
          await refreshCredentials(client, call, target.url, authRequest, unauthorized);
          break; // send again
        }

        if (!expected) {
          const bodyText = await errorBodyText(stream, buffered);
          const retryAfterMs = parseRetryAfter(headersReceived['retry-after'], client.clock.now().getTime());
          throw failureFor(
            client,
            call,
            target.url,
            { kind: 'status', status, headers: headersReceived, bodyText },
            retryAfterMs,
          );
        }

        let data: unknown;
        if (stream !== undefined) {
          // The caller reads the body later: keep the caller's abort wired to it until it closes.
          streaming = true;
          clearTimeout(timer);
          if (onCallerAbort !== undefined)
            stream.once('close', () => callerSignal!.removeEventListener('abort', onCallerAbort));
          data = stream;
        } else if (call.responseType === 'json') {
          data = parseJson(client, call, target.url, status, headersReceived, buffered!.toString('utf8'));
        } else if (call.responseType === 'text') {
          data = buffered!.toString('utf8');
        } else if (call.responseType === 'buffer') {
          data = buffered;
        }
        return {
          status,
          headers: headersReceived,
          data,
          requestId: requestIdFrom(headersReceived, client.requestIdHeaders),
          attempts: state.attempts,
          totalRetryDelayMs: state.totalRetryDelayMs,
          url: target.url,
        };
      }
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      throw failureFor(client, call, target.url, {
        kind: 'exception',
        error: signal.reason ?? error,
        timedOut: signal.timedOut && callerSignal?.aborted !== true,
        aborted: callerSignal?.aborted === true,
      });
    } finally {
      if (!streaming) {
        clearTimeout(timer);
        if (onCallerAbort !== undefined) callerSignal!.removeEventListener('abort', onCallerAbort);
      }
      client.logger?.debug('http attempt', {
        backend: client.backend,
        operation: call.operation,
        method: call.method,
        path: pathForDisplay(target.url),
        status,
        ms: Math.round(performance.now() - started),
        attempt: state.attempts,
      });
    }
  }
}

/** After a 401: let the plug-in refresh; a plug-in that could not makes the 401 the call's error. */
async function refreshCredentials(
  client: ClientContext,
  call: PreparedCall,
  url: string,
  authRequest: AuthRequest | undefined,
  unauthorized: HttpFailure,
): Promise<void> {
  let refreshed: boolean;
  try {
    refreshed = (await client.auth!.onUnauthorized!(authRequest)) === true;
  } catch (error) {
    throw failureFor(client, call, url, { kind: 'exception', error });
  }
  if (!refreshed) throw failureFor(client, call, url, unauthorized);
}

/** Parse a JSON body (empty means undefined) and check it against the call's schema. */
function parseJson(
  client: ClientContext,
  call: PreparedCall,
  url: string,
  status: number,
  headers: HttpHeaders,
  text: string,
): unknown {
  let data: unknown;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      throw failureFor(client, call, url, malformed(status, headers, describeNonJson(text, headers)));
    }
  }
  if (call.schema === undefined) return data;
  const result = call.schema.safeParse(data);
  if (result.success) return result.data;
  const error = validationError(result.error, {
    what: `response from ${client.backend} ${call.operation ?? `${call.method} ${pathForDisplay(url)}`}`,
    backend: client.backend,
    operation: call.operation,
  });
  throw failureFor(client, call, url, { kind: 'exception', error });
}

/** Why a body is not JSON, without ever echoing the body (JSON.parse's message quotes it). */
function describeNonJson(text: string, headers: HttpHeaders): string {
  const contentType = headerText(headers['content-type']) ?? 'no content type';
  if (/html/i.test(contentType) || /^\s*<(!doctype html|html)/i.test(text)) {
    const title = htmlTitle(text);
    return `is an HTML page${title === undefined ? '' : ` ("${title}")`} where JSON was expected`;
  }
  return `body is not valid JSON (${Buffer.byteLength(text)} bytes of ${contentType}; truncated or malformed)`;
}

function malformed(status: number, headers: HttpHeaders, reason: string): HttpFailure {
  return { kind: 'malformed', status, headers, reason };
}

/** Build the failure of this attempt, with the error it will become. */
function failureFor(
  client: ClientContext,
  call: PreparedCall,
  url: string,
  failure: HttpFailure,
  retryAfterMs?: number,
): AttemptFailure {
  const context: HttpErrorContext = {
    backend: client.backend,
    operation: call.operation,
    method: call.method,
    url,
    requestIdHeaders: client.requestIdHeaders,
    errorParser: client.errorParser,
    presentsClientCertificate: client.auth?.presentsClientCertificate === true,
    timeoutMs: call.timeoutMs,
  };
  return new AttemptFailure(describeHttpFailure(failure, context), retryAfterMs);
}

/**
 * The text of an error body, at most 64 KiB. A streamed body that breaks off still yields what
 * arrived: the status is what matters, and a broken error body must not hide it.
 */
async function errorBodyText(
  stream: Dispatcher.ResponseData['body'] | undefined,
  buffered: Buffer | undefined,
): Promise<string> {
  if (stream === undefined) return buffered === undefined ? '' : buffered.toString('utf8');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= ERROR_BODY_CAP_BYTES) break;
    }
  } catch {
    // Keep the partial text.
  }
  return Buffer.concat(chunks).toString('utf8');
}

function withoutCredentials(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (!CREDENTIAL_HEADERS.some((name) => name in headers)) return headers;
  const copy = { ...headers };
  for (const name of CREDENTIAL_HEADERS) delete copy[name];
  return copy;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** True when the attempt's failure may be retried automatically under these options. */
export function isAutomaticallyRetryable(failure: AttemptFailure, retry: RetryOptions): boolean {
  const { code, status, retryable } = failure.details;
  if (status !== undefined && code !== 'validation' && code !== 'protocol') return retry.statuses.includes(status);
  return (code === 'network' && retryable === true) || code === 'timeout';
}

/** The error a finished call reports. */
export function finalError(error: unknown, state: CallState): OcxError {
  const details: OcxErrorOptions =
    error instanceof AttemptFailure
      ? error.details
      : OcxError.is(error)
        ? { ...error, code: error.code, message: error.message, cause: error.cause }
        : { code: 'internal', message: `HTTP call failed unexpectedly: ${String(error)}`, cause: error };
  return new OcxError({ ...details, attempts: state.attempts, totalRetryDelayMs: state.totalRetryDelayMs });
}
