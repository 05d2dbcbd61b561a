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
import { bufferedExchange, ERROR_BODY_CAP_BYTES, ResponseTooLargeError } from './buffered-exchange.js';
import { decodeBody, UnsupportedEncodingError } from './decode-body.js';
import { describeHttpFailure, type HttpErrorContext, type HttpFailure, requestIdFrom } from './map-http-error.js';
import { decideRedirect, foreignOriginHeaders } from './origin-policy.js';
import type { HttpHeaders, HttpResponse, ResponseType } from './request-types.js';
import { parseRetryAfter, type RetryOptions } from './retry-policy.js';
import { pathForDisplay, type RequestTarget } from './url.js';

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
  /** As the caller set it; `undefined` applies the default rules of `decideRedirect`. */
  followRedirects: boolean | undefined;
  /** Origins this call may reach besides its own (by its URL or by redirect). */
  allowOrigins: ReadonlySet<string> | undefined;
  /** The most bytes of an expected body read into memory (after decoding). */
  maxResponseBytes: number;
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

/**
 * Send a call once: follow the redirects the origin policy allows (see `origin-policy.ts`), read and validate its body, and when the auth
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
          headers = foreignOriginHeaders(headers);
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
            call.maxResponseBytes,
          );
          status = response.status;
          headersReceived = response.headers;
          buffered = response.body;
        }
        const expected =
          call.expectedStatus === undefined ? status >= 200 && status < 300 : call.expectedStatus.includes(status);

        if (!expected) {
          const decision = decideRedirect(
            call,
            client.credentialOrigins,
            call.target.origin,
            target,
            status,
            headerText(headersReceived.location),
          );
          if (decision.action !== 'ignore') {
            await stream?.dump();
            if (decision.action === 'refuse') {
              throw failureFor(client, call, target.url, malformed(status, headersReceived, decision.reason));
            }
            if (hop + 1 > MAX_REDIRECTS) {
              throw failureFor(
                client,
                call,
                target.url,
                malformed(status, headersReceived, `redirected more than ${MAX_REDIRECTS} times`),
              );
            }
            target = decision.next;
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
          const text = decoded(client, call, target.url, status, headersReceived, buffered!).toString('utf8');
          data = parseJson(client, call, target.url, status, headersReceived, text);
        } else if (call.responseType === 'text') {
          data = decoded(client, call, target.url, status, headersReceived, buffered!).toString('utf8');
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
      if (error instanceof ResponseTooLargeError) {
        throw failureFor(client, call, target.url, tooLarge(error));
      }
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

/** The body with its content encoding undone, within the call's size cap. */
function decoded(
  client: ClientContext,
  call: PreparedCall,
  url: string,
  status: number,
  headers: HttpHeaders,
  body: Buffer,
): Buffer {
  try {
    return decodeBody(body, status, headers, call.maxResponseBytes);
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw failureFor(client, call, url, tooLarge(error));
    const reason =
      error instanceof UnsupportedEncodingError
        ? error.message
        : `body could not be decoded (${headerText(headers['content-encoding'])}): it is corrupt or truncated`;
    throw failureFor(client, call, url, malformed(status, headers, reason));
  }
}

function tooLarge(error: ResponseTooLargeError): HttpFailure {
  return malformed(
    error.status,
    error.headers,
    `body exceeds ${error.capBytes} bytes (maxResponseBytes); the connection was closed. Raise maxResponseBytes for this call, or read it with responseType 'stream'`,
  );
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
