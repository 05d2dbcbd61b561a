import { redactText } from '../secrets/redact.js';

const OCX_ERROR_BRAND = Symbol.for('@ocx/core.OcxError');

/**
 * Every failure the SDK reports has one of these codes.
 *
 * - `validation`: input (from a user or a backend) did not match its schema.
 * - `http`: a backend answered with a non-success status.
 * - `timeout`, `aborted`, `network`, `tls`: the call did not complete.
 * - `auth`: credentials were refused or could not be obtained.
 * - `not-found`, `conflict`: the backend's own verdicts, kept apart because callers branch on them.
 * - `protocol`: the backend answered something that is not its protocol (HTML, truncated JSON, …).
 * - `state`: the exchange refused an operation in the current state (duplicate id, unknown landlord, …).
 * - `capability`: a driver or service does not offer what was asked of it.
 * - `internal`: a bug; report it.
 */
export type OcxErrorCode =
  | 'validation'
  | 'http'
  | 'timeout'
  | 'aborted'
  | 'network'
  | 'tls'
  | 'auth'
  | 'not-found'
  | 'conflict'
  | 'protocol'
  | 'state'
  | 'capability'
  | 'internal';

/** One problem with one field, as zod reports it. */
export interface FieldIssue {
  /** Dotted path to the bad field, e.g. `services.0.endpoint`. Empty for the whole value. */
  path: string;
  message: string;
}

/** Options shared by every {@link OcxError}. */
export interface OcxErrorOptions {
  code: OcxErrorCode;
  message: string;
  retryable?: boolean;
  /** The backend or component that failed, e.g. `hil`, `keystone`, `exchange`. */
  backend?: string;
  /** The operation that failed, e.g. `connect_network`. */
  operation?: string;
  status?: number;
  requestId?: string;
  attempts?: number;
  /** Total time spent waiting between retries, in milliseconds. */
  totalRetryDelayMs?: number;
  /** The backend's own error type name (HIL's `type`, Keylime's `status`, RGW's `Code`). */
  backendErrorType?: string;
  /** The backend's own error message, redacted. */
  backendMessage?: string;
  /** Problems with individual fields (validation errors). */
  issues?: readonly FieldIssue[];
  /** Whether the fault lies with the client (4xx, bad input) or the server. */
  fault?: 'client' | 'server';
  cause?: unknown;
}

/**
 * The one error type of the SDK. Recognise it with {@link OcxError.is}, which works across
 * copies of the package (ESM and CJS, two versions), unlike `instanceof`.
 *
 * Messages and backend messages are passed through the secret redactor when the error is built,
 * so no registered secret, bearer token or password field ever appears in them.
 *
 * @example
 * ```ts
 * try { await hil.nodes.get('n1'); }
 * catch (error) {
 *   if (OcxError.is(error) && error.code === 'not-found') { ... }
 * }
 * ```
 */
export class OcxError extends Error {
  readonly code: OcxErrorCode;
  readonly retryable: boolean;
  readonly backend: string | undefined;
  readonly operation: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number | undefined;
  readonly totalRetryDelayMs: number | undefined;
  readonly backendErrorType: string | undefined;
  readonly backendMessage: string | undefined;
  readonly issues: readonly FieldIssue[];
  readonly fault: 'client' | 'server' | undefined;

  constructor(options: OcxErrorOptions) {
    super(
      redactText(options.message),
      options.cause === undefined ? undefined : { cause: sanitizeCause(options.cause) },
    );
    this.name = 'OcxError';
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.backend = options.backend;
    this.operation = options.operation;
    this.status = options.status;
    this.requestId = options.requestId;
    this.attempts = options.attempts;
    this.totalRetryDelayMs = options.totalRetryDelayMs;
    this.backendErrorType = options.backendErrorType;
    this.backendMessage = options.backendMessage === undefined ? undefined : redactText(options.backendMessage);
    this.issues = (options.issues ?? []).map((issue) => ({
      path: issue.path,
      message: redactText(issue.message),
    }));
    this.fault = options.fault;
    Object.defineProperty(this, OCX_ERROR_BRAND, { value: true, enumerable: false });
  }

  /** True for any `OcxError`, from any copy of `@ocx/core`. */
  static is(value: unknown): value is OcxError {
    return typeof value === 'object' && value !== null && OCX_ERROR_BRAND in value;
  }

  /** A plain, secret-free object for logs and API responses. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      backend: this.backend,
      operation: this.operation,
      status: this.status,
      requestId: this.requestId,
      attempts: this.attempts,
      backendErrorType: this.backendErrorType,
      backendMessage: this.backendMessage,
      issues: this.issues.length > 0 ? this.issues : undefined,
    };
  }
}

/**
 * A cause is kept for debugging, but its message may hold a URL with a token or a header:
 * keep an OcxError as it is (already redacted) and rebuild any other error from redacted text.
 */
function sanitizeCause(cause: unknown): unknown {
  if (OcxError.is(cause)) return cause;
  if (cause instanceof Error) {
    const copy = new Error(redactText(cause.message));
    copy.name = cause.name;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }
  return typeof cause === 'string' ? redactText(cause) : undefined;
}

/** Is this error one the caller may retry? Non-OcxErrors are not. */
export function isRetryableError(error: unknown): boolean {
  return OcxError.is(error) && error.retryable;
}
