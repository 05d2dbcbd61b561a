import { STATUS_CODES } from 'node:http';
import { OcxError, type OcxErrorCode, type OcxErrorOptions } from '../errors/ocx-error.js';
import { type BackendErrorDetails, capText, type ErrorParser, parseBackendError } from './backend-error.js';
import type { HttpHeaders } from './request-types.js';
import { pathForDisplay } from './url.js';

/** A failed HTTP exchange, before it becomes an {@link OcxError}. */
export type HttpFailure =
  /** The backend answered with a status the call did not expect. */
  | { kind: 'status'; status: number; headers: HttpHeaders; bodyText: string }
  /** The backend answered, but not in its protocol (invalid JSON, HTML where JSON was expected, …). */
  | { kind: 'malformed'; status: number; headers: HttpHeaders; reason: string }
  /** The exchange did not complete: connection, TLS, timeout, abort, or a plug-in's own error. */
  | { kind: 'exception'; error: unknown; timedOut?: boolean; aborted?: boolean };

/** Where a failure happened, for the error's fields and message. */
export interface HttpErrorContext {
  backend: string;
  operation?: string | undefined;
  method: string;
  url: string;
  /** Response headers that carry the backend's request id, lower-case, first match wins. */
  requestIdHeaders?: readonly string[];
  /** The driver's parser for its backend's error bodies; the default parser fills what it leaves out. */
  errorParser?: ErrorParser | undefined;
  /** True when the connection presented a client certificate (mutual TLS). */
  presentsClientCertificate?: boolean;
  timeoutMs?: number;
}

/** Request-id headers of the backends the SDK knows (OpenStack, Nova, generic, S3/RGW, Swift). */
export const DEFAULT_REQUEST_ID_HEADERS: readonly string[] = Object.freeze([
  'x-openstack-request-id',
  'x-compute-request-id',
  'x-request-id',
  'x-amz-request-id',
  'x-trans-id',
]);

/**
 * Turn any failed HTTP exchange into an {@link OcxError}: the one place that decides codes.
 * 401/403 → `auth`; 404/410 → `not-found`; 409 → `conflict`; other 4xx → `http` (client fault);
 * 429 and 5xx → `http`, retryable; TLS failures → `tls`; connection failures → `network`
 * (retryable); timeouts → `timeout` (retryable); caller aborts → `aborted`; bodies that break the
 * protocol → `protocol`. Messages name the backend and operation and are redacted.
 *
 * @example
 * ```ts
 * const error = mapHttpError({ kind: 'status', status: 404, headers: {}, bodyText: '{"type":"NotFoundError","msg":"no node n1"}' },
 *   { backend: 'hil', operation: 'show_node', method: 'GET', url: 'http://hil/v0/nodes/n1' });
 * error.code; // 'not-found'
 * error.backendErrorType; // 'NotFoundError'
 * ```
 */
export function mapHttpError(failure: HttpFailure, context: HttpErrorContext): OcxError {
  return new OcxError(describeHttpFailure(failure, context));
}

/** The options {@link mapHttpError} builds its error from; the client adds attempts and retry delay. */
export function describeHttpFailure(failure: HttpFailure, context: HttpErrorContext): OcxErrorOptions {
  const label = `${context.backend}: ${context.operation ?? `${context.method} ${pathForDisplay(context.url)}`}`;
  switch (failure.kind) {
    case 'status':
      return describeStatus(failure, context, label);
    case 'malformed':
      return {
        code: 'protocol',
        message: `${label} failed: HTTP ${failure.status} response ${failure.reason}`,
        status: failure.status,
        requestId: requestIdFrom(failure.headers, context.requestIdHeaders),
        backend: context.backend,
        operation: context.operation,
        fault: 'server',
      };
    case 'exception':
      return describeException(failure, context, label);
  }
}

function describeStatus(
  failure: Extract<HttpFailure, { kind: 'status' }>,
  context: HttpErrorContext,
  label: string,
): OcxErrorOptions {
  const { status, headers } = failure;
  const contentType = headerText(headers['content-type']);
  const info = { status, headers, bodyText: failure.bodyText, contentType };
  const details: BackendErrorDetails = {
    ...safeParse(parseBackendError, info),
    ...definedOnly(safeParse(context.errorParser, info)),
  };
  const { code, retryable, fault } = classifyStatus(status);
  const reason = STATUS_CODES[status] ?? 'Unknown Status';
  const summary = details.message === undefined ? '' : `: ${capText(details.message.replace(/\s+/g, ' '), 300)}`;
  return {
    code,
    retryable,
    fault,
    status,
    message: `${label} failed: HTTP ${status} ${reason}${details.type === undefined ? '' : ` (${details.type})`}${summary}`,
    requestId: requestIdFrom(headers, context.requestIdHeaders) ?? details.requestId,
    backend: context.backend,
    operation: context.operation,
    backendErrorType: details.type,
    backendMessage: details.message === undefined ? undefined : capText(details.message),
  };
}

function classifyStatus(status: number): { code: OcxErrorCode; retryable: boolean; fault: 'client' | 'server' } {
  if (status === 401 || status === 403 || status === 407) return { code: 'auth', retryable: false, fault: 'client' };
  if (status === 404 || status === 410) return { code: 'not-found', retryable: false, fault: 'client' };
  if (status === 409) return { code: 'conflict', retryable: false, fault: 'client' };
  if (status === 429) return { code: 'http', retryable: true, fault: 'client' };
  if (status >= 500) return { code: 'http', retryable: true, fault: 'server' };
  if (status >= 400) return { code: 'http', retryable: false, fault: 'client' };
  // An unexpected 1xx/2xx/3xx: the backend did something this call does not handle.
  return { code: 'http', retryable: false, fault: 'server' };
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
]);
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const PROTOCOL_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_RES_EXCEEDED_MAX_SIZE']);
const INVALID_INPUT_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'ERR_INVALID_URL',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'UND_ERR_NOT_SUPPORTED',
]);

function describeException(
  failure: Extract<HttpFailure, { kind: 'exception' }>,
  context: HttpErrorContext,
  label: string,
): OcxErrorOptions {
  const { error } = failure;
  const base = { backend: context.backend, operation: context.operation, cause: error };
  if (OcxError.is(error)) {
    // A plug-in's or schema's own error: keep its verdict, add where it happened.
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      backend: error.backend ?? context.backend,
      operation: error.operation ?? context.operation,
      status: error.status,
      requestId: error.requestId,
      backendErrorType: error.backendErrorType,
      backendMessage: error.backendMessage,
      issues: error.issues,
      fault: error.fault,
      cause: error.cause,
    };
  }
  const text = errorText(error);
  if (failure.aborted) return { ...base, code: 'aborted', message: `${label} was aborted by the caller` };
  const codes = errorCodes(error);
  const has = (set: ReadonlySet<string>): string | undefined => codes.find((code) => set.has(code));
  const timeoutCode = has(TIMEOUT_CODES);
  if (failure.timedOut || timeoutCode !== undefined || errorName(error) === 'TimeoutError') {
    const limit = context.timeoutMs === undefined ? '' : ` after ${context.timeoutMs} ms`;
    return {
      ...base,
      code: 'timeout',
      retryable: true,
      message: `${label} timed out${limit}${timeoutCode ? ` (${timeoutCode})` : ''}`,
    };
  }
  const tlsCode = codes.find((code) => CERTIFICATE_CODES.has(code) || /^ERR_(SSL|TLS|OSSL)_/.test(code));
  if (tlsCode !== undefined || /alert|ssl routines|secure TLS connection/i.test(text)) {
    return { ...base, code: 'tls', message: `${label} failed: TLS error${tlsCode ? ` (${tlsCode})` : ''}: ${text}` };
  }
  if (context.presentsClientCertificate && codes.includes('UND_ERR_SOCKET') && bytesRead(error) === 0) {
    // Under TLS 1.3 a server refuses a client certificate after the handshake, often by just closing.
    return {
      ...base,
      code: 'tls',
      message: `${label} failed: the server closed the TLS connection before answering; it most likely refused the client certificate (${text})`,
    };
  }
  if (errorName(error) === 'AbortError' || codes.includes('UND_ERR_ABORTED') || codes.includes('ABORT_ERR')) {
    return { ...base, code: 'aborted', message: `${label} was aborted` };
  }
  if (has(PROTOCOL_CODES) !== undefined || codes.some((code) => code.startsWith('HPE_'))) {
    return { ...base, code: 'protocol', fault: 'server', message: `${label} failed: invalid HTTP response: ${text}` };
  }
  if (has(INVALID_INPUT_CODES) !== undefined) {
    return { ...base, code: 'validation', fault: 'client', message: `${label} failed: invalid request: ${text}` };
  }
  const networkCode = has(NETWORK_CODES);
  if (networkCode !== undefined || codes.includes('ENOTFOUND')) {
    return {
      ...base,
      code: 'network',
      retryable: networkCode !== undefined,
      message: `${label} failed: network error (${networkCode ?? 'ENOTFOUND'}): ${text}`,
    };
  }
  return { ...base, code: 'internal', message: `${label} failed unexpectedly: ${text}` };
}

/** The codes of an error, its cause, and an AggregateError's members (happy-eyeballs connects). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 3) return [];
  const codes: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') codes.push(code);
  codes.push(...errorCodes(cause, depth + 1));
  if (Array.isArray(errors)) for (const member of errors) codes.push(...errorCodes(member, depth + 1));
  return codes;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)
    ? String((error as { name: unknown }).name)
    : undefined;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : 'unknown error';
}

function bytesRead(error: unknown): number | undefined {
  const socket = (error as { socket?: { bytesRead?: unknown } }).socket;
  return typeof socket?.bytesRead === 'number' ? socket.bytesRead : undefined;
}

/** The first request-id header present. */
export function requestIdFrom(
  headers: HttpHeaders,
  names: readonly string[] = DEFAULT_REQUEST_ID_HEADERS,
): string | undefined {
  for (const name of names) {
    const value = headerText(headers[name]);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A driver's parser must not turn one error into another: a throwing parser counts as no answer. */
function safeParse(parser: ErrorParser | undefined, info: Parameters<ErrorParser>[0]): BackendErrorDetails | undefined {
  if (parser === undefined) return undefined;
  try {
    return parser(info);
  } catch {
    return undefined;
  }
}

function definedOnly(details: BackendErrorDetails | undefined): BackendErrorDetails {
  const result: BackendErrorDetails = {};
  if (details?.type !== undefined) result.type = details.type;
  if (details?.message !== undefined) result.message = details.message;
  if (details?.requestId !== undefined) result.requestId = details.requestId;
  return result;
}
