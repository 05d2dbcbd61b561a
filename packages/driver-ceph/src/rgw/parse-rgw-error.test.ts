import { mapHttpError } from '@ocx/core/http';
import { describe, expect, it } from 'vitest';
import { loadRecorded } from '../test-support/recorded.js';
import { parseRgwError, remapRgwError } from './parse-rgw-error.js';

const { cases } = loadRecorded('rgw-admin-ops.json');

/** The error a client gets for a response: the core mapping with the RGW parser, then the RGW remap. */
function errorFor(status: number, body: string, contentType = 'application/json') {
  const failure = {
    kind: 'status' as const,
    status,
    headers: { 'content-type': contentType, 'x-amz-request-id': 'tx-1' },
    bodyText: body,
  };
  return remapRgwError(
    mapHttpError(failure, {
      backend: 'rgw-admin',
      operation: 'op',
      method: 'GET',
      url: 'http://rgw/admin/user',
      errorParser: parseRgwError,
    }),
  );
}

/** A body in the exact shape RGW sends (see the recorded ones). */
const rgwBody = (code: string) => JSON.stringify({ Code: code, Message: '', RequestId: 'tx-1', HostId: 'h' });

describe('RGW error codes', () => {
  it.each([
    ['get_user_not_found', 'not-found', 'NoSuchUser'],
    ['create_user_exists', 'conflict', 'UserAlreadyExists'],
    ['remove_bucket_not_empty', 'conflict', 'BucketNotEmpty'],
    ['access_denied', 'auth', 'AccessDenied'],
    ['signature_mismatch', 'auth', 'SignatureDoesNotMatch'],
    ['s3_put_quota_exceeded', 'conflict', 'QuotaExceeded'],
  ])('recorded %s → %s (%s)', (name, code, type) => {
    const recorded = cases[name]!.response;
    const error = errorFor(recorded.status, recorded.body, recorded.headers['content-type']);
    expect(error).toMatchObject({ code, backendErrorType: type, status: recorded.status, retryable: false });
  });

  it.each([
    [404, 'NoSuchBucket', 'not-found'],
    [404, 'NoSuchKey', 'not-found'],
    [409, 'BucketAlreadyExists', 'conflict'],
    [409, 'KeyExists', 'conflict'],
    [403, 'InvalidAccessKeyId', 'auth'],
    [403, 'RequestTimeTooSkewed', 'auth'],
    [400, 'InvalidArgument', 'http'],
    [400, 'InvalidBucketName', 'http'],
  ])('HTTP %i %s → %s', (status, type, code) => {
    const error = errorFor(status, rgwBody(type));
    expect(error).toMatchObject({ code, backendErrorType: type, fault: 'client' });
  });

  it('words what a code means, since RGW leaves Message empty', () => {
    expect(
      parseRgwError({
        status: 403,
        headers: {},
        contentType: 'application/json',
        bodyText: rgwBody('SignatureDoesNotMatch'),
      })?.message,
    ).toMatch(/signature did not match.*secret key is wrong.*clock/);
    expect(
      parseRgwError({
        status: 403,
        headers: {},
        contentType: 'application/json',
        bodyText: rgwBody('RequestTimeTooSkewed'),
      })?.message,
    ).toMatch(/clock skew/);
    // A message RGW does send is kept.
    const own = JSON.stringify({ Code: 'InvalidArgument', Message: 'max-objects must be a number' });
    expect(parseRgwError({ status: 400, headers: {}, contentType: 'application/json', bodyText: own })?.message).toBe(
      'max-objects must be a number',
    );
  });

  it('keeps unknown codes and non-RGW bodies (a proxy’s HTML 502) to the status’s verdict', () => {
    expect(errorFor(500, rgwBody('UnknownError'))).toMatchObject({
      code: 'http',
      retryable: true,
      backendErrorType: 'UnknownError',
    });
    const proxy = errorFor(502, '<html><head><title>502 Bad Gateway</title></head></html>', 'text/html');
    expect(proxy).toMatchObject({ code: 'http', retryable: true, status: 502 });
    expect((proxy as Error).message).toContain('502 Bad Gateway');
  });
});
