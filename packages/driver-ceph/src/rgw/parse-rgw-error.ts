import { OcxError, type OcxErrorCode } from '@ocx/core';
import { type BackendErrorDetails, type ErrorResponseInfo, parseBackendError } from '@ocx/core/http';

/**
 * What RGW's error codes mean to a caller. RGW sends `{"Code","Message","RequestId","HostId"}`
 * (Admin Ops, JSON) or the same as S3 XML, usually with an empty `Message`; the status alone
 * would call a full quota "auth" (403), so the code decides. Codes not listed keep the status's verdict.
 */
export const RGW_ERROR_CODES: Readonly<Record<string, { code: OcxErrorCode; message: string }>> = Object.freeze({
  AccessDenied: {
    code: 'auth',
    message: 'access denied: the RGW user lacks the Admin Ops caps (or bucket rights) for this call',
  },
  SignatureDoesNotMatch: {
    code: 'auth',
    message:
      'the request signature did not match the one RGW computed: the secret key is wrong, or the clock of this host is skewed from RGW’s',
  },
  RequestTimeTooSkewed: {
    code: 'auth',
    message: 'the request time is too far from RGW’s clock (over 15 minutes): fix clock skew on this host',
  },
  InvalidAccessKeyId: { code: 'auth', message: 'RGW does not know this access key' },
  UserSuspended: { code: 'auth', message: 'the RGW user is suspended' },
  NoSuchUser: { code: 'not-found', message: 'no such RGW user' },
  NoSuchBucket: { code: 'not-found', message: 'no such bucket' },
  NoSuchKey: { code: 'not-found', message: 'no such object or key' },
  NoSuchSubUser: { code: 'not-found', message: 'no such subuser' },
  UserAlreadyExists: { code: 'conflict', message: 'the RGW user already exists' },
  UserExists: { code: 'conflict', message: 'the RGW user already exists' },
  EmailExists: { code: 'conflict', message: 'another RGW user has this email' },
  KeyExists: { code: 'conflict', message: 'the access key belongs to another user' },
  SubuserExists: { code: 'conflict', message: 'the subuser already exists' },
  BucketAlreadyExists: { code: 'conflict', message: 'the bucket name is taken' },
  BucketAlreadyOwnedByYou: { code: 'conflict', message: 'the bucket already exists and is yours' },
  BucketNotEmpty: { code: 'conflict', message: 'the bucket is not empty' },
  QuotaExceeded: { code: 'conflict', message: 'the RGW quota is exceeded' },
  InvalidArgument: { code: 'http', message: 'RGW refused an argument' },
  InvalidBucketName: { code: 'http', message: 'the bucket name is invalid' },
});

/**
 * The RGW error parser for `createHttpClient`: takes `Code` and `RequestId` from RGW's JSON or
 * XML error bodies and, since RGW leaves `Message` empty, supplies a message that says what the
 * code means (e.g. that a signature mismatch comes from a wrong secret or clock skew).
 *
 * @example
 * ```ts
 * parseRgwError({ status: 404, headers: {}, contentType: 'application/json', bodyText: '{"Code":"NoSuchUser","Message":""}' });
 * // { type: 'NoSuchUser', message: 'no such RGW user' }
 * ```
 */
export function parseRgwError(info: ErrorResponseInfo): BackendErrorDetails | undefined {
  const details = parseBackendError(info);
  if (details?.type === undefined) return details;
  const known = RGW_ERROR_CODES[details.type];
  if (known === undefined || (details.message !== undefined && details.message !== '')) return details;
  return { ...details, message: known.message };
}

/**
 * Give an RGW failure the code its RGW error code implies when the HTTP status implies another
 * (`QuotaExceeded` comes as 403 but is not an authentication problem). Anything else is returned as is.
 */
export function remapRgwError(error: unknown): unknown {
  if (!OcxError.is(error) || error.backendErrorType === undefined) return error;
  const known = RGW_ERROR_CODES[error.backendErrorType];
  if (known === undefined || known.code === error.code) return error;
  return new OcxError({
    code: known.code,
    message: error.message,
    retryable: false,
    backend: error.backend,
    operation: error.operation,
    status: error.status,
    requestId: error.requestId,
    attempts: error.attempts,
    totalRetryDelayMs: error.totalRetryDelayMs,
    backendErrorType: error.backendErrorType,
    backendMessage: error.backendMessage,
    issues: error.issues,
    fault: 'client',
    cause: error.cause,
  });
}
