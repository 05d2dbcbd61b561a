import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { parseBackendError } from './backend-error.js';
import { type HttpErrorContext, mapHttpError } from './map-http-error.js';

const context: HttpErrorContext = {
  backend: 'nova',
  operation: 'show_server',
  method: 'GET',
  url: 'https://nova.example/v2.1/servers/s1?x=1',
};
const withCode = (code: string, message = `failure ${code}`, extra: object = {}) =>
  Object.assign(new Error(message), { code }, extra);
const exception = (
  error: unknown,
  flags: { timedOut?: boolean; aborted?: boolean } = {},
  extra: Partial<HttpErrorContext> = {},
) => mapHttpError({ kind: 'exception', error, ...flags }, { ...context, ...extra });

describe('mapHttpError: exceptions', () => {
  it.each([
    ['ECONNRESET', 'network', true],
    ['ECONNREFUSED', 'network', true],
    ['EPIPE', 'network', true],
    ['UND_ERR_SOCKET', 'network', true],
    ['ENOTFOUND', 'network', false],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', true],
    ['UND_ERR_BODY_TIMEOUT', 'timeout', true],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout', true],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', false],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', false],
    ['CERT_HAS_EXPIRED', 'tls', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', false],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tls', false],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'tls', false],
    ['ERR_OSSL_BAD_DECRYPT', 'tls', false],
    ['HPE_INVALID_CONSTANT', 'protocol', false],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'protocol', false],
    ['UND_ERR_INVALID_ARG', 'validation', false],
  ] as const)('%s → %s', (code, expected, retryable) => {
    const error = exception(withCode(code));
    expect(error).toMatchObject({ code: expected, retryable, backend: 'nova', operation: 'show_server' });
    expect(error.message).toContain('nova: show_server');
  });

  it('finds codes on the cause and on AggregateError members', () => {
    expect(exception(new Error('fetch failed', { cause: withCode('ECONNREFUSED') })).code).toBe('network');
    expect(
      exception(Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'both failed')))
        .code,
    ).toBe('network');
  });

  it('recognises TLS alerts by message', () => {
    expect(exception(new Error('error:0A000418:SSL routines::tlsv1 alert unknown ca')).code).toBe('tls');
    expect(
      exception(
        withCode('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'),
      ).code,
    ).toBe('tls');
  });

  it('reads a socket closed before any byte over mutual TLS as a refused client certificate', () => {
    const closed = withCode('UND_ERR_SOCKET', 'other side closed', { socket: { bytesRead: 0 } });
    expect(exception(closed, {}, { presentsClientCertificate: true }).code).toBe('tls');
    expect(exception(closed).code).toBe('network');
    const later = withCode('UND_ERR_SOCKET', 'other side closed', { socket: { bytesRead: 120 } });
    expect(exception(later, {}, { presentsClientCertificate: true }).code).toBe('network');
  });

  it('tells a caller abort from a timeout', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(exception(abort, { aborted: true }).code).toBe('aborted');
    expect(exception(abort, { timedOut: true }, { timeoutMs: 250 })).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
    expect(exception(abort, { timedOut: true }, { timeoutMs: 250 }).message).toContain('250 ms');
    expect(exception(abort).code).toBe('aborted');
  });

  it('keeps an OcxError thrown by a plug-in, filling in where it happened', () => {
    const original = new OcxError({ code: 'auth', message: 'token refused', status: 401 });
    expect(exception(original)).toMatchObject({ code: 'auth', message: 'token refused', status: 401, backend: 'nova' });
  });

  it('calls anything else internal', () => {
    expect(exception('weird').code).toBe('internal');
    expect(exception(new Error('bug')).code).toBe('internal');
  });
});

describe('mapHttpError: statuses', () => {
  it('uses the default parser and the request-id headers', () => {
    const error = mapHttpError(
      {
        kind: 'status',
        status: 404,
        headers: { 'x-compute-request-id': 'req-abc', 'content-type': 'application/json' },
        bodyText: '{"itemNotFound": {"message": "Instance s1 could not be found.", "code": 404}}',
      },
      context,
    );
    expect(error).toMatchObject({
      code: 'not-found',
      status: 404,
      requestId: 'req-abc',
      backendErrorType: 'itemNotFound',
      backendMessage: 'Instance s1 could not be found.',
    });
    expect(error.message).toBe(
      'nova: show_server failed: HTTP 404 Not Found (itemNotFound): Instance s1 could not be found.',
    );
  });

  it('maps a malformed body to protocol', () => {
    const error = mapHttpError(
      { kind: 'malformed', status: 200, headers: {}, reason: 'body is not valid JSON' },
      context,
    );
    expect(error).toMatchObject({ code: 'protocol', fault: 'server', status: 200 });
  });
});

describe('parseBackendError: the formats of the SDK backends', () => {
  const parse = (bodyText: string, contentType?: string) =>
    parseBackendError({ status: 400, headers: {}, bodyText, contentType });

  it.each([
    [
      'HIL',
      '{"type": "NotFoundError", "msg": "node n1 does not exist"}',
      { type: 'NotFoundError', message: 'node n1 does not exist' },
    ],
    [
      'Keylime',
      '{"code": 404, "status": "agent id not found", "results": {}}',
      { type: 'agent id not found', message: 'agent id not found' },
    ],
    [
      'RGW JSON',
      '{"Code": "NoSuchUser", "RequestId": "tx0001", "HostId": "h"}',
      { type: 'NoSuchUser', requestId: 'tx0001' },
    ],
    [
      'Keystone',
      '{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}',
      { type: 'Unauthorized', message: 'The request you have made requires authentication.' },
    ],
    [
      'Neutron',
      '{"NeutronError": {"type": "NetworkNotFound", "message": "Network n could not be found.", "detail": ""}}',
      { type: 'NetworkNotFound', message: 'Network n could not be found.' },
    ],
    [
      'Nova',
      '{"badRequest": {"message": "Invalid flavorRef", "code": 400}}',
      { type: 'badRequest', message: 'Invalid flavorRef' },
    ],
    ['generic', '{"message": "nope"}', { message: 'nope' }],
    ['OAuth', '{"error": "invalid_grant", "error_description": "expired"}', { message: 'expired' }],
  ])('%s', (_name, body, expected) => {
    expect(parse(body, 'application/json')).toEqual(expected);
  });

  it('reads S3-style XML', () => {
    const xml =
      '<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><Message>gone &amp; done</Message><RequestId>tx9</RequestId></Error>';
    expect(parse(xml, 'application/xml')).toEqual({ type: 'NoSuchBucket', message: 'gone & done', requestId: 'tx9' });
  });

  it('reads HTML titles and plain text', () => {
    expect(parse('<html><head><title> 503 Service\n Unavailable </title></head></html>', 'text/html')).toEqual({
      message: '503 Service Unavailable',
    });
    expect(parse('<html><body><h1>Oops</h1></body></html>')).toEqual({ message: 'Oops' });
    expect(parse('<html><body>no title</body></html>')?.message).toMatch(/^HTML error page/);
    expect(parse('  Service temporarily down \n try later ')).toEqual({
      message: 'Service temporarily down try later',
    });
    expect(parse('')).toBeUndefined();
  });
});
